// What the wizard says: method sentences, the exact run line, default output
// names, and the result lines built from real volume metadata (the shapes the
// backend stores: see src-main/steps/reconstruct-step.ts, src-main/segment).
import { describe, expect, it } from 'vitest';
import type { VolumeSummary } from '../../src-shared/contract';
import { RECONSTRUCT_METHODS, SEGMENTATION_METHODS } from '../../src-shared/pipeline-methods';
import {
  RECONSTRUCT_METHOD_TEXT,
  SEGMENT_METHOD_TEXT,
  defaultOutName,
  formatShape,
  formatVoxelSize,
  howMade,
  modelLine,
  reconstructCommandLine,
  reconstructResultLine,
  segmentCommandLine,
  segmentResultLine,
} from '../../src-renderer/components/step-text';

const base = (over: Partial<VolumeSummary>): VolumeSummary => ({
  name: 'v',
  role: 'derived',
  kind: 'labels',
  shape: [8, 40, 48],
  dtype: 'uint8',
  voxelSizeNm: { x: 5, y: 5, z: 20 },
  zRangeNm: [0, 140],
  metadata: {},
  ...over,
});

describe('wizard texts', () => {
  it('explains every method in one sentence; multi-Otsu and k-means name the shine-through class; the baselines say so', () => {
    for (const m of SEGMENTATION_METHODS) expect(SEGMENT_METHOD_TEXT[m]).toMatch(/^[^\n]+\.$/);
    for (const m of RECONSTRUCT_METHODS) expect(RECONSTRUCT_METHOD_TEXT[m]).toMatch(/^[^\n]+\.$/);
    for (const m of ['multi-otsu', 'kmeans'] as const)
      expect(SEGMENT_METHOD_TEXT[m]).toContain('3 grey classes; the brightest is solid, the middle one is taken as shine-through and set to pore');
    expect(RECONSTRUCT_METHOD_TEXT.dnn).toMatch(/baseline \(from \[Sardhara2023\]\)/);
    expect(RECONSTRUCT_METHOD_TEXT.srcs).toMatch(/baseline \(from \[Sardhara2023\]\)/);
  });

  it('formats shapes z × y × x and voxel sizes x × y × z nm', () => {
    expect(formatShape([8, 40, 48])).toBe('8 × 40 × 48');
    expect(formatVoxelSize({ x: 2.5, y: 2.5, z: 10.16 })).toBe('2.5 × 2.5 × 10.16 nm');
  });

  it('defaults the output to <volume>-<method>, numbered when taken', () => {
    expect(defaultOutName('grey', 'otsu', [])).toBe('grey-otsu');
    expect(defaultOutName('grey', 'otsu', ['grey-otsu', 'grey-otsu-2'])).toBe('grey-otsu-3');
    expect(defaultOutName('x'.repeat(70), 'cubic', []).length).toBe(60);
  });

  it('spells the run as the CLI would', () => {
    expect(segmentCommandLine({ volume: 'grey', method: 'otsu', out: 'grey-otsu' })).toBe('segment --volume grey --method otsu --out grey-otsu');
    expect(segmentCommandLine({ volume: 'grey', method: 'model', model: 'window7', ep: 'cpu', out: 'm' })).toBe(
      'segment --volume grey --method model --model window7 --ep cpu --out m',
    );
    const d = { gridNm: 5, targetNm: 20 };
    expect(reconstructCommandLine({ volume: 'l', method: 'cubic', binaryInterpolant: 'distance', out: 'r' }, d)).toBe(
      'reconstruct --volume l --method cubic --grid-nm 5 --binary-interpolant distance --out r',
    );
    expect(reconstructCommandLine({ volume: 'l', method: 'srcs', targetNm: 10, out: 'r' }, d)).toBe('reconstruct --volume l --method srcs --target-nm 10 --out r');
    expect(reconstructCommandLine({ volume: 'l', method: 'dnn', out: 'r' }, d)).toBe('reconstruct --volume l --method dnn --target-nm 20 --out r');
    expect(modelLine({ name: 'window7', kind: 'segmentation-2.5d', inputSlices: 7, tile: 16 })).toBe('window7 — segmentation-2.5d, input window 7 slices, tile 16 px');
  });

  it('says how a volume was made and what the last run gave, from its metadata', () => {
    const otsu = base({ name: 'grey-otsu', metadata: { method: 'otsu', source: 'grey', thresholds: [120], solidAbove: 120, convention: 'value > 120 is solid.' } });
    expect(howMade(otsu)).toBe('otsu · from grey · thresholds 120');
    expect(segmentResultLine(otsu)).toBe('"grey-otsu" (8 × 40 × 48, labels): otsu, thresholds 120 — value > 120 is solid.');
    const ml = base({ name: 'ml', metadata: { method: 'model', source: 'grey', model: { name: 'window7', ep: 'cpu', reason: 'CUDA provider not installed', kind: 'segmentation-2.5d', path: '/m' } } });
    expect(howMade(ml)).toBe('model window7 on CPU · from grey');
    expect(segmentResultLine(ml)).toMatch(/model window7 on CPU \(CUDA provider not installed\)/);
    const rcs = base({
      name: 'rcs',
      shape: [29, 40, 48],
      voxelSizeNm: { x: 5, y: 5, z: 5 },
      metadata: { out: 'rcs', method: 'srcs', planes: 29, gridSpacingNm: 5, sourceSlices: 8, moved: 2, lostSlices: [3], maxShiftNm: 5, meanShiftNm: 1.25, binary: true, binaryInterpolant: 'labels', holeVoxelsFilled: 12, targetNm: 20 },
    });
    expect(howMade(rcs)).toBe('srcs · 2 moved · 1 lost');
    expect(reconstructResultLine(rcs)).toBe(
      '"rcs": 29 planes of 5 nm from 8 slices (srcs); 2 slice(s) moved (largest shift 5 nm); 1 slice(s) lost; 12 hole voxel(s) filled; binary via 0/1 labels.',
    );
    expect(howMade(base({ role: 'channel', kind: 'grey' }))).toBe('imported');
  });
});
