// Tiled segmentation against untiled / brute-force references on tiny ONNX models
// built in the test (tests/fixtures/onnx/make_models.py).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SliceArray } from '../../src-shared/dtype';
import { loadModel, reflectIndex, runOnce, segmentStack, tileOrigins, type LoadedModel, type SegmentOptions } from '../../src-main/inference';
import { buildTestModels, type TestModels } from '../fixtures/onnx/models';

let models: TestModels;
const loaded = new Map<string, LoadedModel>();
async function model(name: string): Promise<LoadedModel> {
  if (!loaded.has(name)) loaded.set(name, await loadModel(models.path(name), { ep: 'cpu' }));
  return loaded.get(name)!;
}
beforeAll(() => {
  models = buildTestModels();
});
afterAll(async () => {
  for (const m of loaded.values()) await m.session.release();
  models?.cleanup();
});

/** Deterministic pseudo-random uint8 stack. */
function stack(nz: number, ny: number, nx: number, seed = 1): Uint8Array[] {
  let s = seed >>> 0;
  const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
  return Array.from({ length: nz }, () => Uint8Array.from({ length: ny * nx }, next));
}

interface Written {
  labels: Uint8Array[];
  prob: Float32Array[];
  order: number[];
}
async function segment(m: LoadedModel, slices: SliceArray[], ny: number, nx: number, opts: SegmentOptions = {}) {
  const out: Written = { labels: [], prob: [], order: [] };
  const stats = await segmentStack(m, [slices.length, ny, nx], (z) => slices[z], (z, labels, prob) => {
    out.order.push(z);
    out.labels[z] = labels;
    out.prob[z] = prob!;
  }, opts);
  return { ...out, stats };
}

/** The model on the whole slice at once (no tiling), via runOnce. */
async function untiled(m: LoadedModel, x: Float32Array, dims: number[]): Promise<Float32Array> {
  return (await runOnce(m.session, x, dims)).data;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

describe('(a) pointwise model: tiled equals untiled exactly', () => {
  it.each([
    [3, 5, 7, 32, 8], // slice smaller than the tile: reflection padding
    [2, 33, 31, 32, 8], // one pixel over the tile
    [2, 70, 53, 16, 5], // many tiles, odd sizes
    [1, 40, 40, 10, 0], // no overlap
    [1, 19, 64, 7, 6], // overlap nearly the tile
  ])('nz %i, %i x %i px, tile %i overlap %i', async (nz, ny, nx, tile, overlap) => {
    const m = await model('pointwise');
    const s = stack(nz, ny, nx, ny * nx);
    const r = await segment(m, s, ny, nx, { tile, overlap, batchSize: 3 });
    expect(r.order).toEqual(Array.from({ length: nz }, (_, z) => z));
    for (let z = 0; z < nz; z++) {
      const ref = await untiled(m, Float32Array.from(s[z]), [1, 1, ny, nx]);
      expect(r.prob[z]).toEqual(ref);
      expect([...r.labels[z]]).toEqual([...ref].map((p) => (p >= 0.5 ? 1 : 0)));
      // And the model is what it says: sigmoid(0.05 (x - 100)).
      for (let p = 0; p < ny * nx; p += 7) expect(r.prob[z][p]).toBeCloseTo(sigmoid(0.05 * (s[z][p] - 100)), 6);
    }
  });
});

describe('(b) 5x5 convolution: tiled equals untiled away from interior tile edges', () => {
  it('exact (1e-6) outside a band of 2 px (the kernel radius) along interior tile edges; small inside it', async () => {
    const m = await model('conv5');
    const [ny, nx, tile, overlap, r] = [70, 53, 24, 8, 2];
    const s = stack(1, ny, nx, 9);
    const got = (await segment(m, s, ny, nx, { batchSize: 4 })).prob[0];
    const norm = Float32Array.from(s[0], (v) => (v - 128) / 64);
    const ref = (await untiled(m, norm, [1, 1, ny, nx])).map(sigmoid);
    // A pixel is exact in a tile unless it lies within r of an edge of that tile that is inside the image.
    const exact = new Uint8Array(ny * nx).fill(1);
    const ys = tileOrigins(ny, tile, overlap);
    const xs = tileOrigins(nx, tile, overlap);
    const bad = (o: number, i: number, n: number): boolean => (o > 0 && i - o < r) || (o + tile < n && o + tile - 1 - i < r);
    for (const y0 of ys) for (const x0 of xs) {
      for (let y = y0; y < y0 + tile; y++) for (let x = x0; x < x0 + tile; x++) if (bad(y0, y, ny) || bad(x0, x, nx)) exact[y * nx + x] = 0;
    }
    let maxIn = 0;
    let maxBand = 0;
    let band = 0;
    for (let p = 0; p < ny * nx; p++) {
      const d = Math.abs(got[p] - ref[p]);
      if (exact[p]) maxIn = Math.max(maxIn, d);
      else {
        band++;
        maxBand = Math.max(maxBand, d);
      }
    }
    expect(band).toBeGreaterThan(0);
    expect(band).toBeLessThan(ny * nx * 0.5);
    expect(maxIn).toBeLessThan(1e-6);
    // Inside the band the wrong tile has a weight near the floor: the error stays well below a probability step.
    expect(maxBand).toBeLessThan(0.05);
    console.log(`conv5: ${band} of ${ny * nx} px in the tile-edge band, max |tiled - untiled| there ${maxBand.toExponential(2)}, elsewhere ${maxIn.toExponential(2)}`);
  });
});

describe('(c) 2.5D model with a 7-slice window', () => {
  it.each([[12], [5], [2], [1]])('matches a brute-force weighted sum with reflection at the stack ends (nz = %i)', async (nz) => {
    const m = await model('window7');
    const [ny, nx] = [21, 18];
    const s = stack(nz, ny, nx, 77 + nz);
    const r = await segment(m, s, ny, nx, { batchSize: 5 });
    const c = [0.1, -0.2, 0.3, 1.0, -0.5, 0.25, 0.05];
    for (let z = 0; z < nz; z++) {
      for (let p = 0; p < ny * nx; p++) {
        let v = 0.2;
        for (let k = 0; k < 7; k++) v += c[k] * ((s[reflectIndex(z + k - 3, nz)][p] - 100) / 50);
        expect(Math.abs(r.prob[z][p] - sigmoid(v))).toBeLessThan(1e-5);
      }
    }
  });
});

describe('(d) batching', () => {
  it.each([['conv5'], ['window7'], ['zconv3d']])('%s: batch sizes 1, 3 and 16 give identical outputs', async (name) => {
    const m = await model(name);
    const [nz, ny, nx] = [9, 37, 41];
    const s = stack(nz, ny, nx, 3);
    const one = await segment(m, s, ny, nx, { batchSize: 1 });
    for (const b of [3, 16]) {
      const r = await segment(m, s, ny, nx, { batchSize: b });
      expect(r.prob).toEqual(one.prob);
      expect(r.labels).toEqual(one.labels);
      expect(r.stats.modelRuns).toBeLessThan(one.stats.modelRuns);
    }
  });
});

describe('multi-channel softmax and per-slice percentile normalisation', () => {
  it('labels are the argmax channel, probabilities are channel-major and sum to 1', async () => {
    const m = await model('softmax2');
    const [ny, nx] = [30, 25];
    const s = stack(2, ny, nx, 11);
    const r = await segment(m, s, ny, nx);
    const P = ny * nx;
    for (let z = 0; z < 2; z++) {
      const sorted = [...s[z]].sort((a, b) => a - b);
      const pct = (q: number): number => {
        const rank = (q / 100) * (P - 1);
        const lo = Math.floor(rank);
        return sorted[lo] + (sorted[Math.ceil(rank)] - sorted[lo]) * (rank - lo);
      };
      const [lo, hi] = [pct(1), pct(99)];
      expect(r.prob[z].length).toBe(2 * P);
      for (let p = 0; p < P; p++) {
        const x = Math.min(1, Math.max(0, (s[z][p] - lo) / (hi - lo)));
        expect(r.prob[z][P + p]).toBeCloseTo(1 / (1 + Math.exp(-2 * (x - 0.5))), 5);
        expect(r.prob[z][p] + r.prob[z][P + p]).toBeCloseTo(1, 6);
        if (Math.abs(x - 0.5) > 1e-4) expect(r.labels[z][p]).toBe(x > 0.5 ? 1 : 0);
      }
    }
  });
});

describe('3D models', () => {
  it.each([[11, 19, 23], [3, 16, 16], [1, 9, 40]])('pointwise 3D: tiled in z, y, x equals untiled (nz %i, %i x %i)', async (nz, ny, nx) => {
    const m = await model('pointwise3d');
    const s = stack(nz, ny, nx, nz);
    const r = await segment(m, s, ny, nx, { batchSize: 2 });
    expect(r.order).toEqual(Array.from({ length: nz }, (_, z) => z));
    for (let z = 0; z < nz; z++) {
      // The model's depth is fixed at 5: run it untiled in x/y on 5 copies of the slice.
      const x = new Float32Array(5 * ny * nx);
      for (let k = 0; k < 5; k++) x.set(s[z], k * ny * nx);
      const ref = (await untiled(m, x, [1, 1, 5, ny, nx])).subarray(0, ny * nx);
      expect(r.prob[z]).toEqual(ref);
    }
  });
  it('z convolution: equals a brute-force 3-tap filter in z away from interior patch ends', async () => {
    const m = await model('zconv3d');
    const [nz, ny, nx] = [20, 12, 14];
    const s = stack(nz, ny, nx, 4);
    const r = await segment(m, s, ny, nx);
    // Patches of 6 slices with overlap 3: starts 0, 3, ..., 14. A slice is exact when some covering
    // patch has it away from an interior end (both neighbours inside the patch or at the stack end).
    const zs = tileOrigins(nz, 6, 3);
    const norm = (z: number, p: number): number => (s[z][p] - 100) / 50;
    let checked = 0;
    for (let z = 0; z < nz; z++) {
      const allExact = zs.filter((o) => z >= o && z < o + 6).every((o) => (z > o || o === 0) && (z < o + 5 || o + 6 === nz));
      if (!allExact) continue;
      checked++;
      for (let p = 0; p < ny * nx; p++) {
        const v = 0.25 * (z > 0 ? norm(z - 1, p) : 0) + 0.5 * norm(z, p) + 0.25 * (z < nz - 1 ? norm(z + 1, p) : 0);
        expect(Math.abs(r.prob[z][p] - sigmoid(v))).toBeLessThan(1e-5);
      }
    }
    expect(checked).toBeGreaterThan(nz / 3);
  });
});

describe('(h) bounded memory', () => {
  it.each([
    ['window7', 40, 10, 12, 3],
    ['window7', 15, 40, 37, 4],
    ['conv5', 25, 20, 20, 6],
    ['zconv3d', 30, 20, 20, 2],
  ])('%s: each slice read once, no more than window + batch slices held, look-ahead bounded', async (name, nz, ny, nx, batchSize) => {
    const m = await model(name);
    const s = stack(nz, ny, nx, 8);
    const reads = new Array<number>(nz).fill(0);
    let written = 0;
    let maxAhead = 0;
    const stats = await segmentStack(m, [nz, ny, nx], (z) => {
      reads[z]++;
      maxAhead = Math.max(maxAhead, z - written);
      // A fresh copy every time: the engine cannot rely on the caller keeping slices.
      return Uint8Array.from(s[z]);
    }, (z) => {
      expect(z).toBe(written);
      written++;
    }, { batchSize });
    expect(reads).toEqual(new Array(nz).fill(1));
    expect(written).toBe(nz);
    const S = m.card.input.slices;
    const is3d = m.card.kind === 'segmentation-3d';
    const bound = is3d ? S : S + batchSize - 1;
    expect(stats.getSliceCalls).toBe(nz);
    expect(stats.maxSlicesHeld).toBeLessThanOrEqual(bound);
    expect(stats.maxSlicesInFlight).toBeLessThanOrEqual(is3d ? S : batchSize + 1);
    // A slice is read at most window + batch slices ahead of the first one not yet written.
    expect(maxAhead).toBeLessThanOrEqual(is3d ? S : (S - 1) / 2 + batchSize);
  });
});
