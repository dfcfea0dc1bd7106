// The public names of the descriptors module, frozen; and cancellation / progress for every job.
import { describe, expect, it } from 'vitest';
import * as descriptors from '../../src-main/metrics/descriptors';
import { blobVolume } from './volumes';

describe('descriptors module', () => {
  it('exports exactly these functions and constants', () => {
    expect(Object.keys(descriptors).sort()).toEqual([
      'MAX_GLCM_LEVELS', 'PHASES', 'connectedComponents', 'cooccurrenceCounts', 'geodesicDistanceFromFaceNm', 'geodesicTortuosity',
      'glcmAnisotropy', 'glcmFeatures', 'labelClusters', 'localThickness', 'localThicknessMapNm', 'specificSurfaceArea',
      'squaredDistanceToBackgroundNm2',
    ]);
  });

  const v = blobVolume([12, 12, 12], 3, 0.5, 1, { x: 2, y: 2, z: 3 });
  const jobs: [string, (c: { signal?: AbortSignal; onProgress?: (f: number) => void }) => unknown][] = [
    ['specificSurfaceArea', (c) => descriptors.specificSurfaceArea(v, c)],
    ['localThickness', (c) => descriptors.localThickness(v, c)],
    ['geodesicTortuosity', (c) => descriptors.geodesicTortuosity(v, c)],
    ['connectedComponents', (c) => descriptors.connectedComponents(v, c)],
    ['glcmAnisotropy', (c) => descriptors.glcmAnisotropy(v, c)],
  ];
  for (const [name, run] of jobs) {
    it(`${name}: progress ends at 1, never decreases; an aborted signal cancels`, () => {
      const seen: number[] = [];
      run({ onProgress: (f) => seen.push(f) });
      expect(seen.at(-1)).toBe(1);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
      const ctl = new AbortController();
      ctl.abort();
      expect(() => run({ signal: ctl.signal })).toThrow(/cancelled/);
    });
  }
});
