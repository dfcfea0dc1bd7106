// The in-plane resampler and scale decision (src-main/segment/scale), against
// independent computations in numpy / skimage (Debian's python3):
// - enlarging = skimage.transform.resize(order=1, mode='edge', anti_aliasing=False);
// - shrinking = the exact area average, computed by repeating every pixel m times and
//   taking the mean of blocks of n (exact for any n -> m);
// - a model run through segmentStackRescaled with a stand-in model that returns its
//   input: the probabilities that come back are the slice shrunk and enlarged again,
//   at exactly the slice's own rows and columns.
import { describe, expect, it } from 'vitest';
import type { InferenceSession } from 'onnxruntime-node';
import { parseModelCard } from '../../src-main/inference/model-card';
import { ort } from '../../src-main/inference/session';
import { chordLengths } from '../../src-main/segment/ood/structure-size';
import { DEFAULT_TOLERANCE, MAX_SCALE, MIN_SCALE, decideScale, describeInPlaneScale, sampleChordPx, scaledSize, snapToWholeRatio } from '../../src-main/segment/scale/in-plane-scale';
import { resampleChannels, resampleSlice } from '../../src-main/segment/scale/resample';
import { segmentStackRescaled } from '../../src-main/segment/scale/rescaled-run';
import { runPython } from '../helpers/python';

const REFERENCE = `
import sys, json
import numpy as np
from skimage.transform import resize
cases = json.loads(sys.stdin.read())
def area(a, axis, m):
    b = np.moveaxis(a, axis, 0)
    n = b.shape[0]
    r = np.repeat(b, m, axis=0).reshape((m, n) + b.shape[1:]).mean(axis=1)
    return np.moveaxis(r, 0, axis)
def linear(a, axis, m):
    shape = list(a.shape); shape[axis] = m
    return resize(a, tuple(shape), order=1, mode='edge', anti_aliasing=False, preserve_range=True)
def axis(a, ax, m):
    n = a.shape[ax]
    return a if m == n else (area(a, ax, m) if m < n else linear(a, ax, m))
out = []
for c in cases:
    a = np.array(c['data'], dtype=np.float64).reshape(c['ny'], c['nx'])
    r = axis(axis(a, 1, c['mx']), 0, c['my'])
    if 'back' in c:
        r = axis(axis(r, 1, c['nx']), 0, c['ny'])
    out.append(r.ravel().tolist())
print(json.dumps(out))
`;

/** A deterministic pseudo-random slice (LCG), values 0..255. */
function slice(ny: number, nx: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: ny * nx }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  });
}

interface Case {
  ny: number;
  nx: number;
  my: number;
  mx: number;
  data: number[];
  back?: true;
}

function reference(cases: Case[]): number[][] {
  return JSON.parse(runPython(REFERENCE, [], JSON.stringify(cases)));
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('resampleSlice against numpy / skimage', () => {
  const sizes: [number, number, number, number][] = [
    [7, 5, 17, 12], // enlarge, non-integer factors
    [10, 10, 20, 20], // enlarge 2x
    [30, 20, 13, 7], // shrink, non-integer
    [64, 48, 32, 24], // shrink 0.5
    [24, 40, 9, 97], // shrink y, enlarge x
    [15, 11, 15, 11], // same size: a copy
  ];
  const cases: Case[] = sizes.map(([ny, nx, my, mx], k) => ({ ny, nx, my, mx, data: Array.from(slice(ny, nx, 7 + k)) }));
  const want = reference(cases);
  for (const [k, c] of cases.entries()) {
    it(`${c.ny} x ${c.nx} -> ${c.my} x ${c.mx}`, () => {
      const got = resampleSlice(Uint8Array.from(c.data), c.ny, c.nx, c.my, c.mx);
      expect(got.length).toBe(c.my * c.mx);
      expect(maxDiff(got, want[k])).toBeLessThan(1e-3);
    });
  }

  it('shrinking averages areas: the mean grey value is kept exactly (up to float32)', () => {
    const s = slice(50, 70, 3);
    const r = resampleSlice(s, 50, 70, 21, 33);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / a.length;
    expect(Math.abs(mean(r) - mean(s))).toBeLessThan(1e-3);
  });

  it('channels are resampled one by one', () => {
    const a = Float32Array.from(slice(9, 8, 1));
    const b = Float32Array.from(slice(9, 8, 2));
    const both = new Float32Array(2 * 72);
    both.set(a);
    both.set(b, 72);
    const r = resampleChannels(both, 2, 9, 8, 4, 19);
    expect(Array.from(r.subarray(0, 76))).toEqual(Array.from(resampleSlice(a, 9, 8, 4, 19)));
    expect(Array.from(r.subarray(76))).toEqual(Array.from(resampleSlice(b, 9, 8, 4, 19)));
  });

  it('rejects a slice that does not match its size', () => {
    expect(() => resampleSlice(new Uint8Array(10), 3, 4, 2, 2)).toThrow(/12|3 x 4/);
  });
});

describe('scale decision', () => {
  const trained: [number, number] = [14.2, 17.2];
  const target = Math.sqrt(14.2 * 17.2);

  it('inside the range, and within the tolerance of it, the stack is used as it is', () => {
    for (const c of [14.2, 15, 17.2, 17.2 * DEFAULT_TOLERANCE * 0.99, (14.2 / DEFAULT_TOLERANCE) * 1.01]) {
      const r = decideScale((s) => s * c, trained);
      expect(r.factor).toBe(1);
      expect(r.measuredChordPx).toBe(c);
    }
    expect(describeInPlaneScale(decideScale(() => 15, trained))).toMatch(/not resampled: the measured chord \(15\.0 px\) lies in the trained range \(14\.2-17\.2 px\)/);
  });

  it('outside: the whole ratio nearest to the factor that moves the chord to the middle of the range (geometric mean)', () => {
    const tried: number[] = [];
    const r = decideScale((s) => (tried.push(s), 34.3 * s), trained);
    expect(r.idealFactor).toBeCloseTo(target / 34.3, 12);
    expect(r.factor).toBe(1 / 2);
    expect(r.chordAtFactorPx).toBeCloseTo(34.3 / 2, 10);
    expect(tried).toEqual([1, 1 / 2]);
    expect(r.clamped).toBe(false);
    // 15.63 / 5 = 3.13 -> 3; 15.63 / 45 = 0.347 = 1 / 2.88 -> 1/3; 15.63 / 36 = 1 / 2.30 -> 1/2 (2.30 is nearer 2 than 3 in ratio).
    expect(decideScale((s) => 5 * s, trained).factor).toBe(3);
    expect(decideScale((s) => 45 * s, trained).factor).toBe(1 / 3);
    expect(decideScale((s) => 36 * s, trained).factor).toBe(1 / 2);
    expect(describeInPlaneScale(r)).toMatch(/^resampled in-plane by 0\.5x to the trained feature size: measured chord 34\.3 px vs trained 14\.2-17\.2 px/);
  });

  it('snapToWholeRatio picks k or 1/k nearest in ratio', () => {
    for (let k = 1; k <= 8; k++) {
      const cut = Math.sqrt(k * (k + 1)); // the ratio midpoint between k and k + 1
      expect(snapToWholeRatio(cut * 0.999)).toBe(k);
      expect(snapToWholeRatio(cut * 1.001)).toBe(k + 1);
      expect(snapToWholeRatio(1 / (cut * 0.999))).toBe(1 / k);
      expect(snapToWholeRatio(1 / (cut * 1.001))).toBe(1 / (k + 1));
    }
  });

  it('the factor is clamped to [1/8, 4]', () => {
    expect(decideScale((s) => 1000 * s, trained)).toMatchObject({ factor: MIN_SCALE, clamped: true });
    expect(decideScale((s) => 0.5 * s, trained)).toMatchObject({ factor: MAX_SCALE, clamped: true });
  });

  it('a stack without chords (one phase) is left alone', () => {
    const r = decideScale(() => 0, trained);
    expect(r.factor).toBe(1);
    expect(describeInPlaneScale(r)).toMatch(/no chords/);
  });

  it('scaledSize rounds and keeps at least one pixel', () => {
    expect(scaledSize(101, 37, 0.5)).toEqual([51, 19]);
    expect(scaledSize(3, 3, 0.125)).toEqual([1, 1]);
  });

  it('the chord of a stack enlarged 2x by repetition, measured at 0.5, is the chord of the stack itself', () => {
    const ny = 40;
    const nx = 48;
    const base = Array.from({ length: 3 }, (_, k) => slice(ny, nx, 11 + k));
    const big = base.map((s) => {
      const o = new Uint8Array(4 * ny * nx);
      for (let y = 0; y < 2 * ny; y++) for (let x = 0; x < 2 * nx; x++) o[y * 2 * nx + x] = s[(y >> 1) * nx + (x >> 1)];
      return o;
    });
    const direct = chordLengths(base.map((s) => Uint8Array.from(s, (v) => (v > 127 ? 1 : 0))), [3, ny, nx], { x: 1, y: 1, z: 1 }).meanPx;
    expect(sampleChordPx({ rows: 2 * ny, columns: 2 * nx, slices: big }, 127, 0.5)).toBeCloseTo(direct, 10);
    expect(sampleChordPx({ rows: 2 * ny, columns: 2 * nx, slices: big }, 127, 1)).toBeGreaterThan(1.8 * direct);
  });
});

describe('segmentStackRescaled: round trip at the stack own size', () => {
  it('a stand-in model that returns its input gives back the slice shrunk and enlarged, ny x nx exactly', async () => {
    const { Tensor } = ort();
    const card = parseModelCard({
      name: 'identity',
      kind: 'segmentation-2d',
      input: { slices: 1, tile: 16, overlap: 4 },
      output: { channels: 1, activation: 'none', classes: ['solid'], threshold: 0.5 },
    });
    // Returns its input (B x 1 x T x T) scaled to [0, 1] by 1/255.
    const session = {
      inputNames: ['x'],
      outputNames: ['y'],
      run: async (feeds: Record<string, InstanceType<typeof Tensor>>) => {
        const t = feeds.x;
        return { y: new Tensor('float32', Float32Array.from(t.data as Float32Array, (v) => v / 255), t.dims) };
      },
      release: async () => {},
    } as unknown as InferenceSession;
    const [nz, ny, nx] = [3, 37, 53];
    const slices = Array.from({ length: nz }, (_, z) => slice(ny, nx, 100 + z));
    for (const factor of [0.43, 1.7]) {
      const got: { labels: Uint8Array; prob: Float32Array }[] = [];
      const stats = await segmentStackRescaled({ session, card }, [nz, ny, nx], (z) => slices[z], (z, labels, prob) => void (got[z] = { labels, prob: prob! }), factor);
      const [my, mx] = scaledSize(ny, nx, factor);
      expect(stats.modelShape).toEqual([nz, my, mx]);
      const want = reference(slices.map((s) => ({ ny, nx, my, mx, data: Array.from(s), back: true })));
      for (let z = 0; z < nz; z++) {
        expect(got[z].labels.length).toBe(ny * nx);
        expect(got[z].prob.length).toBe(ny * nx);
        expect(maxDiff(got[z].prob, want[z].map((v) => v / 255))).toBeLessThan(1e-5);
        for (let i = 0; i < ny * nx; i++) expect(got[z].labels[i]).toBe(got[z].prob[i] >= 0.5 ? 1 : 0);
      }
    }
  });
});
