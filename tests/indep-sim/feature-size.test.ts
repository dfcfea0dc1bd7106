// The feature-size parameter sets the size of the structure: the mean chord
// length of the solid (numpy, from the truth) grows in proportion to it, and
// with thicker slices than pixels the structure stays isotropic in nm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIndepStack, type IndepStack } from '../helpers/indep-sim';
import { runPython } from '../helpers/python';

// Mean length (in voxels) of solid runs along each axis, runs touching the border left out.
const CHORDS = `
import sys, json, numpy as np
def mean_chord(t, axis):
    a = np.moveaxis(t, axis, -1).reshape(-1, t.shape[axis]).astype(np.int8)
    d = np.diff(np.pad(a, ((0, 0), (1, 1))), axis=1)
    starts, ends = np.nonzero(d == 1)[1], np.nonzero(d == -1)[1]
    inner = (starts > 0) & (ends < t.shape[axis])
    return float((ends - starts)[inner].mean())
out = []
for d in sys.argv[1:]:
    m = json.load(open(d + '/manifest.json'))
    t = np.fromfile(d + '/truth.raw', dtype=np.uint8).reshape(m['shape'])
    out.append({'z': mean_chord(t, 0), 'y': mean_chord(t, 1), 'x': mean_chord(t, 2)})
print(json.dumps(out))
`;

type Chords = { z: number; y: number; x: number };
const FAMILIES = ['spinodal', 'waves', 'grains', 'pores', 'fibres'] as const;
const [SMALL, LARGE] = [4, 10];
const made: IndepStack[] = [];
const chords = new Map<string, Chords>();

beforeAll(() => {
  const keys: string[] = [];
  for (const family of FAMILIES) {
    for (const featurePx of [SMALL, LARGE]) {
      made.push(makeIndepStack({ family, seed: 5, shape: [8, 64, 64], featurePx }));
      keys.push(`${family}-${featurePx}`);
    }
  }
  made.push(makeIndepStack({ family: 'spinodal', seed: 6, shape: [24, 96, 96], featurePx: 8, pixelNm: 5, sliceNm: 10 }));
  keys.push('anisotropic');
  const measured = JSON.parse(runPython(CHORDS, made.map((s) => s.dir))) as Chords[];
  keys.forEach((k, i) => chords.set(k, measured[i]));
});
afterAll(() => made.forEach((s) => s.cleanup()));

const inPlane = (c: Chords) => (c.x + c.y) / 2;

describe('independent simulator: feature size', () => {
  it.each(FAMILIES)('%s: mean solid chord scales with feature_px', (family) => {
    const small = chords.get(`${family}-${SMALL}`)!;
    const large = chords.get(`${family}-${LARGE}`)!;
    const ratio = inPlane(large) / inPlane(small);
    // feature ratio 2.5: the chord ratio follows it within a third
    expect(ratio).toBeGreaterThan(LARGE / SMALL / 1.35);
    expect(ratio).toBeLessThan((LARGE / SMALL) * 1.35);
    // a chord is of the order of the feature size
    expect(inPlane(small)).toBeGreaterThan(SMALL / 2);
    expect(inPlane(small)).toBeLessThan(SMALL * 2);
  });

  it('slices twice as thick as pixels: chords along z match chords in x, y in nm', () => {
    const s = made[made.length - 1];
    expect(s.grey.voxelSizeNm).toEqual({ x: 5, y: 5, z: 10 });
    expect(s.grey.zPositionsNm[23]).toBeCloseTo(230, 9);
    const c = chords.get('anisotropic')!;
    const xyNm = inPlane(c) * 5;
    expect(Math.abs(c.z * 10 - xyNm) / xyNm).toBeLessThan(0.2);
  });
});
