// Pixel features against scipy.ndimage / skimage.feature on random images
// (conventions matched: see pixel-features-python.ts): every in-plane family
// at every default scale, images smaller than the kernels, neighbouring
// slices mirrored at both stack ends, several channels, row bands, pixel
// subsets and a workspace reused while going through a stack.
import { afterAll, describe, expect, it } from 'vitest';
import {
  channelFromVolume,
  computeFeaturesAtPixels,
  computeSliceFeatures,
  defaultFeatureSpec,
  FeatureWorkspace,
  gatherFeatureRows,
  type GreyNormalisation,
  type PixelFeatureSpec,
} from '../../src-main/segment/pixel-features';
import type { Volume } from '../../src-shared/volume';
import { tempDir } from '../helpers/python';
import { random } from '../helpers/random';
import { referenceFeatures } from './pixel-features-python';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Random grey with some structure (blobs and a ramp), so that every derivative carries signal at every scale. */
function randomSlice(ny: number, nx: number, seed: number): Float32Array {
  const rnd = random(seed);
  const blobs = Array.from({ length: 6 }, () => ({ y: rnd() * ny, x: rnd() * nx, r: 2 + 6 * rnd(), a: rnd() - 0.3 }));
  const out = new Float32Array(ny * nx);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      let v = 0.3 * rnd() + (0.4 * x) / nx;
      for (const b of blobs) v += b.a * Math.exp(-((y - b.y) ** 2 + (x - b.x) ** 2) / (2 * b.r * b.r));
      out[y * nx + x] = v;
    }
  }
  return out;
}

function floatVolume(nz: number, ny: number, nx: number, seed: number): Volume {
  return {
    shape: [nz, ny, nx],
    dtype: 'float32',
    voxelSizeNm: { x: 4, y: 4, z: 8 },
    zPositionsNm: Array.from({ length: nz }, (_, i) => 8 * i),
    slices: Array.from({ length: nz }, (_, z) => randomSlice(ny, nx, seed * 100 + z)),
  };
}

const IDENTITY: GreyNormalisation = { version: 1, lowPercentile: 0, highPercentile: 100, channels: [{ low: 0, high: 1 }] };

/** Largest |ours - reference| over all pixels, relative to the largest |reference|, per feature. */
function compare(names: string[], data: Float32Array, nF: number, ref: Record<string, number[]>): { worst: number; worstName: string } {
  let worst = 0;
  let worstName = '';
  for (let f = 0; f < nF; f++) {
    const r = ref[names[f]];
    expect(r, `python has no reference for ${names[f]}`).toBeDefined();
    let scale = 0;
    let diff = 0;
    for (let p = 0; p < r.length; p++) {
      scale = Math.max(scale, Math.abs(r[p]));
      diff = Math.max(diff, Math.abs(data[p * nF + f] - r[p]));
    }
    const rel = diff / Math.max(scale, 1e-12);
    if (rel > worst) {
      worst = rel;
      worstName = names[f];
    }
  }
  return { worst, worstName };
}

describe('in-plane features equal scipy.ndimage / skimage.feature', () => {
  it('every family at sigma 0.7, 1.6, 3.5, 5 on a random 40 x 50 image', () => {
    const vol = floatVolume(1, 40, 50, 1);
    const spec: PixelFeatureSpec = { ...defaultFeatureSpec(1), neighbours: { offsets: [], scalesPx: [], mode: 'difference' } };
    const f = computeSliceFeatures([channelFromVolume(vol)], 0, spec, IDENTITY);
    expect(f.nFeatures).toBe(32);
    expect(f.data.length).toBe(40 * 50 * 32);
    const [ref] = referenceFeatures(tmp.dir, 'a', [vol.slices as Float32Array[]], 40, 50, [0], spec);
    expect(Object.keys(ref).length).toBe(32);
    const { worst, worstName } = compare(f.names, f.data, f.nFeatures, ref);
    console.log(`40 x 50: largest relative difference ${worst.toExponential(2)} (${worstName})`);
    expect(worst).toBeLessThan(1e-5);
  });

  it('kernels longer than the image (7 x 5 px, sigma 5 has radius 20) reflect as scipy does', () => {
    const vol = floatVolume(1, 7, 5, 2);
    const spec: PixelFeatureSpec = { ...defaultFeatureSpec(1), scalesPx: [0.7, 5], neighbours: { offsets: [], scalesPx: [], mode: 'difference' } };
    const f = computeSliceFeatures([channelFromVolume(vol)], 0, spec, IDENTITY);
    const [ref] = referenceFeatures(tmp.dir, 'b', [vol.slices as Float32Array[]], 7, 5, [0], spec);
    const { worst, worstName } = compare(f.names, f.data, f.nFeatures, ref);
    console.log(`7 x 5: largest relative difference ${worst.toExponential(2)} (${worstName})`);
    expect(worst).toBeLessThan(1e-5);
  });

  it('a 2-px-wide image (x neighbours mirror within two columns)', () => {
    const vol = floatVolume(1, 9, 2, 3);
    const spec: PixelFeatureSpec = { ...defaultFeatureSpec(1), scalesPx: [1.6], neighbours: { offsets: [], scalesPx: [], mode: 'difference' } };
    const f = computeSliceFeatures([channelFromVolume(vol)], 0, spec, IDENTITY);
    const [ref] = referenceFeatures(tmp.dir, 'c', [vol.slices as Float32Array[]], 9, 2, [0], spec);
    expect(compare(f.names, f.data, f.nFeatures, ref).worst).toBeLessThan(1e-5);
  });
});

describe('neighbouring slices (2.5D)', () => {
  const nz = 5;
  const vol = floatVolume(nz, 24, 30, 4);
  const slices = vol.slices as Float32Array[];

  for (const mode of ['difference', 'value'] as const) {
    it(`${mode} of G(z + o), o = -2, -1, +1, +3, mirrored at both ends, at every z (one workspace, slices in order)`, () => {
      const spec: PixelFeatureSpec = { ...defaultFeatureSpec(1), scalesPx: [1.6], families: ['gaussian'], neighbours: { offsets: [-2, -1, 1, 3], scalesPx: [0.7, 3.5], mode } };
      const ws = new FeatureWorkspace();
      const channels = [channelFromVolume(vol)];
      const refs = referenceFeatures(tmp.dir, `n${mode}`, [slices], 24, 30, [0, 1, 2, 3, 4], spec);
      for (let z = 0; z < nz; z++) {
        const f = computeSliceFeatures(channels, z, spec, IDENTITY, { workspace: ws });
        expect(f.nFeatures).toBe(1 + 2 * 4);
        expect(compare(f.names, f.data, f.nFeatures, refs[z]).worst).toBeLessThan(1e-5);
      }
      // every slice smoothed once per neighbour scale, however many slices read it
      expect(ws.smoothedSlices).toBe(nz * 2);
    });
  }

  it('one workspace reused in any slice order, and for another stack, gives what a fresh computation gives', () => {
    const spec = defaultFeatureSpec(1);
    const other = floatVolume(nz, 24, 30, 9);
    const ws = new FeatureWorkspace();
    const a = [channelFromVolume(vol)];
    const b = [channelFromVolume(other)];
    // The workspace keeps smoothed slices of the channel objects it was last given; the same objects are passed again.
    const steps: [typeof a, number][] = [[a, 3], [a, 0], [a, 4], [a, 1], [b, 1], [a, 1], [a, 3], [a, 2]];
    for (const [channels, z] of steps) {
      const pixels = [0, 31, 400, 719];
      const reused = computeFeaturesAtPixels(channels, z, pixels, spec, IDENTITY, { workspace: ws });
      const fresh = computeFeaturesAtPixels([{ ...channels[0] }], z, pixels, spec, IDENTITY);
      expect(reused.data).toEqual(fresh.data);
      const band = computeSliceFeatures(channels, z, spec, IDENTITY, { workspace: ws, rows: { y0: 13, y1: 14 } });
      expect(band.data.subarray(10 * 40, 11 * 40)).toEqual(computeFeaturesAtPixels([{ ...channels[0] }], z, [13 * 30 + 10], spec, IDENTITY).data);
    }
  });

  it('a stack longer than the cache: in order each slice is smoothed once; back again, evicted buffers are reused correctly', () => {
    const long = floatVolume(14, 8, 9, 10);
    const spec = defaultFeatureSpec(1);
    const channels = [channelFromVolume(long)];
    const ws = new FeatureWorkspace();
    const check = (z: number) => {
      const reused = computeSliceFeatures(channels, z, spec, IDENTITY, { workspace: ws });
      expect(reused.data).toEqual(computeSliceFeatures([{ ...channels[0] }], z, spec, IDENTITY).data);
    };
    for (let z = 0; z < 14; z++) check(z);
    expect(ws.smoothedSlices).toBe(14 * 2);
    for (let z = 13; z >= 0; z--) check(z);
    // the cache holds the last 6 slices per scale (8..13); the way back recomputes 0..7, once each
    expect(ws.smoothedSlices).toBe(14 * 2 + 8 * 2);
  });

  it('at the ends the mirrored slice is the stack slice itself: z = 0, o = -1 reads slice 0; z = nz - 1, o = +1 reads slice nz - 1', () => {
    const spec: PixelFeatureSpec = { ...defaultFeatureSpec(1), families: [], neighbours: { offsets: [-1, 1], scalesPx: [1.6], mode: 'difference' } };
    const first = computeSliceFeatures([channelFromVolume(vol)], 0, spec, IDENTITY);
    const last = computeSliceFeatures([channelFromVolume(vol)], nz - 1, spec, IDENTITY);
    // Mirroring about the slice edge (scipy 'reflect'): z = -1 is slice 0, so its difference to slice 0 is exactly zero.
    for (let p = 0; p < 24 * 30; p++) {
      expect(first.data[p * 2 + 0]).toBe(0);
      expect(last.data[p * 2 + 1]).toBe(0);
    }
    expect(first.data.some((v, i) => i % 2 === 1 && Math.abs(v) > 1e-3)).toBe(true);
  });
});

describe('channels, bands, pixel subsets', () => {
  const vol = floatVolume(3, 20, 26, 5);
  const vol2 = floatVolume(3, 20, 26, 6);
  const spec = defaultFeatureSpec(2);
  const norm: GreyNormalisation = { version: 1, lowPercentile: 0.5, highPercentile: 99.5, channels: [{ low: 0, high: 1 }, { low: -0.5, high: 1.5 }] };
  const channels = [channelFromVolume(vol), channelFromVolume(vol2)];

  it('channel 1 is normalised with its own range and equals the reference on (v - low) / (high - low)', () => {
    const f = computeSliceFeatures(channels, 1, spec, norm);
    expect(f.nFeatures).toBe(2 * 40);
    expect(f.names.filter((n) => n.startsWith('c1:')).length).toBe(40);
    const n1 = (vol2.slices as Float32Array[]).map((s) => s.map((v) => (v + 0.5) / 2));
    const [ref] = referenceFeatures(tmp.dir, 'ch', [vol.slices as Float32Array[], n1], 20, 26, [1], spec);
    expect(compare(f.names, f.data, f.nFeatures, ref).worst).toBeLessThan(1e-5);
  });

  it('a band of rows and features at pixel indices equal the same pixels of the whole slice', () => {
    const full = computeSliceFeatures(channels, 2, spec, norm);
    const band = computeSliceFeatures(channels, 2, spec, norm, { rows: { y0: 5, y1: 9 } });
    expect(band.data).toEqual(full.data.subarray(5 * 26 * full.nFeatures, 9 * 26 * full.nFeatures));
    const rnd = random(7);
    const pixels = Array.from({ length: 40 }, () => Math.floor(rnd() * 20 * 26));
    const at = computeFeaturesAtPixels(channels, 2, pixels, spec, norm);
    expect(at.data.length).toBe(40 * full.nFeatures);
    const gathered = gatherFeatureRows(full, pixels);
    for (let i = 0; i < pixels.length; i++) {
      for (let k = 0; k < full.nFeatures; k++) expect(at.data[i * full.nFeatures + k]).toBe(full.data[pixels[i] * full.nFeatures + k]);
    }
    expect(gathered).toEqual(at.data);
  });

  it('rejects a channel of another size, a slice out of range and a pixel outside the slice, saying what to do', () => {
    const small = floatVolume(3, 20, 25, 8);
    expect(() => computeSliceFeatures([channels[0], channelFromVolume(small)], 0, spec, norm)).toThrow(/register and crop/);
    expect(() => computeSliceFeatures(channels, 3, spec, norm)).toThrow(/outside the stack/);
    expect(() => computeFeaturesAtPixels(channels, 0, [20 * 26], spec, norm)).toThrow(/outside the 26 x 20 px slice/);
    expect(() => computeSliceFeatures([channels[0]], 0, spec, norm)).toThrow(/set up for 2 channel/);
  });
});
