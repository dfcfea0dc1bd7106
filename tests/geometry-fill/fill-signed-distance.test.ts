// Binary gap filling through the signed distance (shape-based interpolation) against
// scipy: distance_transform_edt in every measured plane, then CubicSpline / interp
// along z, solid where > 0.
import { describe, expect, it } from 'vitest';
import { fillGaps } from '../../src-main/geometry/gap-fill';
import type { RepositionedVolume } from '../../src-main/geometry/reposition-volume';
import { signedDistancePlane } from '../../src-main/geometry/signed-distance';
import { uniformZPositions } from '../../src-shared/volume';
import { random } from '../helpers/random';
import { referenceColumns, referenceSignedDistance } from './reference';

const ny = 23;
const nx = 31;
const n = ny * nx;
const pixel = { x: 2.5, y: 3 };

/** Random blobs: a few discs per plane, each plane different. */
function blobs(rnd: () => number): Uint8Array {
  const p = new Uint8Array(n);
  for (let b = 0; b < 4; b++) {
    const cy = ny * rnd();
    const cx = nx * rnd();
    const r = 2 + 6 * rnd();
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if ((y - cy) ** 2 + (x - cx) ** 2 < r * r) p[y * nx + x] = 1;
  }
  return p;
}

function repositioned(knots: number[], nz: number, plane: (k: number) => Uint8Array): RepositionedVolume {
  const known = new Uint8Array(nz);
  const slices = Array.from({ length: nz }, (_, k) => {
    if (!knots.includes(k)) return new Uint8Array(n);
    known[k] = 1;
    return plane(k);
  });
  return { volume: { shape: [nz, ny, nx], dtype: 'uint8', voxelSizeNm: { ...pixel, z: 2.5 }, zPositionsNm: uniformZPositions(nz, 2.5), slices }, known, sourceSlice: new Int32Array(nz) };
}

describe('signed distance of a label plane', () => {
  it('equals scipy edt(solid) - edt(pore) with anisotropic pixels', () => {
    const rnd = random(5);
    const planes = [blobs(rnd), blobs(rnd)];
    const ref = referenceSignedDistance(planes, ny, nx, pixel);
    planes.forEach((p, k) => {
      const ours = signedDistancePlane(p, ny, nx, pixel, 1e9);
      for (let i = 0; i < n; i++) expect(Math.abs(ours[i] - ref[k * n + i])).toBeLessThan(1e-4);
    });
  });

  it('is capped on a plane with no boundary', () => {
    const all = new Uint8Array(n).fill(1);
    expect(Array.from(signedDistancePlane(all, ny, nx, pixel, 50)).every((v) => v === 50)).toBe(true);
    expect(Array.from(signedDistancePlane(new Uint8Array(n), ny, nx, pixel, 50)).every((v) => v === -50)).toBe(true);
  });
});

describe("fillGaps binary, binaryInterpolant 'distance' (the default)", () => {
  const knots = [0, 3, 4, 9, 13, 14, 20];
  const nz = 21;
  const gaps = Array.from({ length: nz }, (_, j) => j).filter((j) => !knots.includes(j));
  const rnd = random(17);
  const planes = new Map(knots.map((k) => [k, blobs(rnd)]));
  const rep = repositioned(knots, nz, (k) => planes.get(k) as Uint8Array);
  const sdf = referenceSignedDistance(knots.map((k) => planes.get(k) as Uint8Array), ny, nx, pixel);

  for (const method of ['cubic', 'linear'] as const) {
    it(`${method}: solid exactly where the scipy interpolation of the distances is > 0`, () => {
      const res = fillGaps(rep, { method, fillHoles: false });
      expect(res.binaryInterpolant).toBe('distance');
      const ref = referenceColumns(method, knots, sdf, n, gaps);
      let solid = 0;
      let checked = 0;
      gaps.forEach((j, e) => {
        for (let i = 0; i < n; i++) {
          const r = ref[e * n + i];
          if (Math.abs(r) < 1e-4) continue;
          checked++;
          solid += r > 0 ? 1 : 0;
          expect(res.volume.slices[j][i]).toBe(r > 0 ? 1 : 0);
        }
      });
      expect(checked).toBeGreaterThan(0.99 * gaps.length * n);
      expect(solid).toBeGreaterThan(0);
      for (const k of knots) expect(Buffer.compare(Buffer.from(res.volume.slices[k]), Buffer.from(planes.get(k) as Uint8Array))).toBe(0);
    });
  }

  it('moves a boundary smoothly: a disc growing from r = 4 to r = 12 px over a gap of 8 planes', () => {
    const disc = (r: number) => {
      const p = new Uint8Array(n);
      for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if ((y - 11) ** 2 + (x - 15) ** 2 <= r * r) p[y * nx + x] = 1;
      return p;
    };
    const square = { x: 1, y: 1 };
    const r2 = repositioned([0, 8], 9, (k) => (k === 0 ? disc(4) : disc(12)));
    r2.volume.voxelSizeNm = { ...square, z: 1 };
    const lin = fillGaps(r2, { method: 'linear', fillHoles: false });
    const labels = fillGaps(r2, { method: 'linear', fillHoles: false, binaryInterpolant: 'labels' });
    // Distance: the radius grows by about 1 px per plane (area of plane 4 ~ pi 8^2); labels: a jump at the midpoint.
    const area = (p: ArrayLike<number>) => Array.from(p).reduce((a, b) => a + b, 0);
    expect(Math.abs(area(lin.volume.slices[4]) - Math.PI * 64) / (Math.PI * 64)).toBeLessThan(0.1);
    expect(area(labels.volume.slices[3])).toBe(area(disc(4)));
    expect(area(labels.volume.slices[5])).toBe(area(disc(12)));
  });
});
