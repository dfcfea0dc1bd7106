// Gap filling against scipy / numpy on the same columns (raw float64 bytes).
import { describe, expect, it } from 'vitest';
import { cubicSplineColumns } from '../../src-main/geometry/fill-cubic-spline';
import { fillGaps, type GapFillMethod } from '../../src-main/geometry/gap-fill';
import { fillSmallHolesXzYz } from '../../src-main/geometry/fill-holes';
import type { RepositionedVolume } from '../../src-main/geometry/reposition-volume';
import { uniformZPositions } from '../../src-shared/volume';
import type { SliceArray } from '../../src-shared/dtype';
import { random } from '../helpers/random';
import { referenceColumns, referenceHoles } from './reference';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function gapsOf(knots: number[], length: number): number[] {
  return Array.from({ length }, (_, j) => j).filter((j) => !knots.includes(j));
}

/** A repositioned volume (nz planes of ny x nx) with the given known planes filled from `value`. */
function repositioned(dtype: 'uint8' | 'uint16' | 'float32', nz: number, ny: number, nx: number, knots: number[], value: (k: number, i: number) => number): RepositionedVolume {
  const known = new Uint8Array(nz);
  const slices: SliceArray[] = [];
  for (let k = 0; k < nz; k++) {
    const s = dtype === 'uint8' ? new Uint8Array(ny * nx) : dtype === 'uint16' ? new Uint16Array(ny * nx) : new Float32Array(ny * nx);
    if (knots.includes(k)) {
      known[k] = 1;
      for (let i = 0; i < s.length; i++) s[i] = value(k, i);
    }
    slices.push(s);
  }
  return { volume: { shape: [nz, ny, nx], dtype, voxelSizeNm: { x: 2.5, y: 2.5, z: 2.5 }, zPositionsNm: uniformZPositions(nz, 2.5), slices }, known, sourceSlice: new Int32Array(nz) };
}

/** Known-plane values as knot-major float64 columns. */
function columnsOf(rep: RepositionedVolume, knots: number[]): Float64Array {
  const n = rep.volume.slices[0].length;
  const y = new Float64Array(knots.length * n);
  knots.forEach((k, i) => y.set(rep.volume.slices[k], i * n));
  return y;
}

describe('cubic spline (float64 path) equals scipy CubicSpline, not-a-knot', () => {
  const rnd = random(11);
  const cases: [string, number[]][] = [
    ['2 knots (line)', [0, 5]],
    ['3 knots (parabola)', [0, 2, 7]],
    ['4 knots', [0, 1, 4, 6]],
    ['uneven, 12 knots', [0, 3, 4, 8, 9, 13, 17, 18, 22, 27, 28, 33]],
    ['non-integer knots', [0, 0.7, 2.9, 3.1, 6.25, 10.5, 11]],
  ];
  for (const [name, knots] of cases) {
    it(name, () => {
      const columns = 300;
      const y = Float64Array.from({ length: knots.length * columns }, () => 255 * rnd());
      const last = knots[knots.length - 1];
      const xEval = Array.from({ length: 40 }, (_, i) => -0.5 + ((last + 1) * i) / 39).filter((x) => !knots.includes(x));
      const ours = cubicSplineColumns(knots, y, columns, xEval);
      const ref = referenceColumns('cubic', knots, y, columns, xEval);
      expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-9);
    });
  }
});

describe('fillGaps vs numpy / scipy on the same columns', () => {
  const knots = [0, 2, 3, 7, 8, 12, 16, 17, 19];
  const nz = 20;
  const [ny, nx] = [6, 7];
  const rnd = random(5);
  const grey = repositioned('float32', nz, ny, nx, knots, () => 1000 * rnd());
  const gaps = gapsOf(knots, nz);
  const y = columnsOf(grey, knots);
  const n = ny * nx;

  for (const method of ['nearest', 'linear', 'cubic'] as GapFillMethod[]) {
    it(`${method}: float32 grey equals the reference rounded to float32`, () => {
      const out = fillGaps(grey, { method }).volume.slices;
      const ref = referenceColumns(method, knots, y, n, gaps);
      gaps.forEach((j, e) => {
        const want = Float32Array.from(ref.subarray(e * n, (e + 1) * n));
        if (method === 'nearest') expect(Array.from(out[j])).toEqual(Array.from(want));
        else expect(maxAbsDiff(out[j], want)).toBeLessThan(1e-3); // float32 of values up to 1000: 1 ulp = 6e-5
      });
    });
  }

  it('cubic on uint16: the reference rounded and clamped', () => {
    const g16 = repositioned('uint16', nz, ny, nx, knots, () => (rnd() < 0.5 ? 0 : 65535));
    const out = fillGaps(g16, { method: 'cubic' }).volume.slices;
    const ref = referenceColumns('cubic', knots, columnsOf(g16, knots), n, gaps);
    let clamped = 0;
    gaps.forEach((j, e) => {
      for (let i = 0; i < n; i++) {
        const r = ref[e * n + i];
        if (r < 0 || r > 65535) clamped++;
        expect(out[j][i]).toBe(Math.min(65535, Math.max(0, Math.round(r))));
      }
    });
    expect(clamped).toBeGreaterThan(0);
  });

  it('binary cubic without hole filling: reference thresholded at 0.5', () => {
    const bin = repositioned('uint8', nz, ny, nx, knots, () => (rnd() < 0.5 ? 1 : 0));
    const res = fillGaps(bin, { method: 'cubic', fillHoles: false, binaryInterpolant: 'labels' });
    expect(res.binary).toBe(true);
    expect(res.binaryInterpolant).toBe('labels');
    const ref = referenceColumns('cubic', knots, columnsOf(bin, knots), n, gaps);
    gaps.forEach((j, e) => {
      for (let i = 0; i < n; i++) {
        const r = ref[e * n + i];
        if (Math.abs(r - 0.5) > 1e-9) expect(res.volume.slices[j][i]).toBe(r >= 0.5 ? 1 : 0);
      }
    });
  });

  it('measured planes pass through bit-exact for every method and dtype', () => {
    const vols = [grey, repositioned('uint8', nz, ny, nx, knots, () => (rnd() < 0.4 ? 1 : 0)), repositioned('uint16', nz, ny, nx, knots, () => Math.floor(65536 * rnd()))];
    for (const rep of vols) {
      for (const method of ['nearest', 'linear', 'cubic'] as GapFillMethod[]) {
        const out = fillGaps(rep, { method }).volume.slices;
        for (const k of knots) expect(Buffer.compare(Buffer.from(out[k].buffer, out[k].byteOffset, out[k].byteLength), Buffer.from(rep.volume.slices[k].buffer, rep.volume.slices[k].byteOffset, rep.volume.slices[k].byteLength))).toBe(0);
      }
    }
  });
});

describe('hole filling in xz and yz planes vs scipy.ndimage.binary_fill_holes + size filter', () => {
  it('random blobs with holes of many sizes', () => {
    const rnd = random(3);
    const [nz, ny, nx] = [24, 20, 22];
    const slices = Array.from({ length: nz }, () => Uint8Array.from({ length: ny * nx }, () => (rnd() < 0.72 ? 1 : 0)));
    // Some solid blocks with square holes of 1..36 px in the middle, cut through xz planes.
    for (const [z0, x0, side] of [[2, 2, 3], [10, 3, 5], [14, 12, 6], [4, 12, 4]]) {
      for (let z = z0 - 1; z <= z0 + side; z++) for (let x = x0 - 1; x <= x0 + side; x++) for (let y = 5; y < 12; y++) slices[z][y * nx + x] = z >= z0 && z < z0 + side && x >= x0 && x < x0 + side && y === 8 ? 0 : 1;
    }
    const known = Uint8Array.from({ length: nz }, (_, z) => (z % 4 === 0 ? 1 : 0));
    const ref = referenceHoles(slices, ny, nx, known, 20);
    const ours = slices.map((s) => s.slice());
    const filled = fillSmallHolesXzYz(ours, ny, nx, known);
    expect(filled).toBeGreaterThan(20);
    ours.forEach((s, z) => expect(Array.from(s)).toEqual(Array.from(ref[z])));
    for (let z = 0; z < nz; z += 4) expect(Array.from(ours[z])).toEqual(Array.from(slices[z]));
  });
});
