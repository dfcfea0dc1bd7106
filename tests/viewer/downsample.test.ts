// planLevel and downsample (src-renderer/viewer/downsample.ts) against
// brute-force versions written from the definitions.
import { describe, expect, it } from 'vitest';
import { downsample, downsampledShape, planLevel, type Shape3 } from '../../src-renderer/viewer/downsample';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomVolume(shape: Shape3, seed: number, maxValue: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(shape[0] * shape[1] * shape[2]);
  for (let i = 0; i < out.length; i += 1) out[i] = Math.floor(r() * (maxValue + 1));
  return out;
}

/** Brute force: for every output voxel, collect its block's values and reduce them. */
function bruteForce(data: Uint8Array, shape: Shape3, f: Shape3, kind: 'grey' | 'labels'): Uint8Array {
  const [nz, ny, nx] = shape;
  const [oz, oy, ox] = [Math.ceil(nz / f[0]), Math.ceil(ny / f[1]), Math.ceil(nx / f[2])];
  const out = new Uint8Array(oz * oy * ox);
  for (let z0 = 0; z0 < oz; z0 += 1) {
    for (let y0 = 0; y0 < oy; y0 += 1) {
      for (let x0 = 0; x0 < ox; x0 += 1) {
        const values: number[] = [];
        for (let z = z0 * f[0]; z < Math.min(nz, (z0 + 1) * f[0]); z += 1) {
          for (let y = y0 * f[1]; y < Math.min(ny, (y0 + 1) * f[1]); y += 1) {
            for (let x = x0 * f[2]; x < Math.min(nx, (x0 + 1) * f[2]); x += 1) values.push(data[(z * ny + y) * nx + x]);
          }
        }
        let v: number;
        if (kind === 'grey') {
          v = Math.round(values.reduce((a, b) => a + b, 0) / values.length);
        } else {
          const counts = new Map<number, number>();
          for (const x of values) counts.set(x, (counts.get(x) ?? 0) + 1);
          v = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0][0];
        }
        out[(z0 * oy + y0) * ox + x0] = v;
      }
    }
  }
  return out;
}

describe('downsample', () => {
  const cases: Array<{ shape: Shape3; f: Shape3 }> = [
    { shape: [8, 8, 8], f: [2, 2, 2] },
    { shape: [7, 9, 11], f: [2, 3, 4] }, // partial blocks at every far edge
    { shape: [5, 6, 13], f: [1, 1, 3] },
    { shape: [4, 4, 4], f: [4, 4, 4] }, // a single output voxel
    { shape: [3, 10, 10], f: [3, 1, 5] },
  ];
  for (const { shape, f } of cases) {
    it(`grey mean matches brute force for [${shape}] / [${f}]`, () => {
      const data = randomVolume(shape, shape[0] * 100 + f[2], 255);
      const got = downsample(data, shape, f, 'grey');
      expect(got.shape).toEqual(downsampledShape(shape, f));
      expect(Array.from(got.data)).toEqual(Array.from(bruteForce(data, shape, f, 'grey')));
    });
    it(`binary labels (solid when mean >= 0.5) match brute force for [${shape}] / [${f}]`, () => {
      const data = randomVolume(shape, shape[1] * 7 + f[0], 1);
      const got = downsample(data, shape, f, 'labels');
      expect(Array.from(got.data)).toEqual(Array.from(bruteForce(data, shape, f, 'labels')));
    });
    it(`multi-phase labels (majority, ties to the larger) match brute force for [${shape}] / [${f}]`, () => {
      const data = randomVolume(shape, shape[2] * 13 + f[1], 3);
      const got = downsample(data, shape, f, 'labels');
      expect(Array.from(got.data)).toEqual(Array.from(bruteForce(data, shape, f, 'labels')));
    });
  }

  it('a 2x2x2 block of four solid and four pore voxels becomes solid (mean 0.5)', () => {
    const data = Uint8Array.from([1, 0, 0, 1, 1, 0, 0, 1]);
    expect(Array.from(downsample(data, [2, 2, 2], [2, 2, 2], 'labels').data)).toEqual([1]);
    expect(Array.from(downsample(Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 1]), [2, 2, 2], [2, 2, 2], 'labels').data)).toEqual([0]);
  });

  it('factors of 1 return a copy of the data', () => {
    const data = randomVolume([3, 4, 5], 1, 255);
    const got = downsample(data, [3, 4, 5], [1, 1, 1], 'grey');
    expect(Array.from(got.data)).toEqual(Array.from(data));
    expect(got.data).not.toBe(data);
  });

  it('refuses data of the wrong length and bad factors', () => {
    expect(() => downsample(new Uint8Array(10), [2, 2, 2], [1, 1, 1], 'grey')).toThrow(/needs 8/);
    expect(() => downsample(new Uint8Array(8), [2, 2, 2], [0, 1, 1], 'grey')).toThrow(/factors/);
  });
});

describe('planLevel', () => {
  const bytes = (shape: Shape3, f: Shape3) => downsampledShape(shape, f).reduce((a, b) => a * b, 1);

  it('keeps a volume that fits at full resolution', () => {
    expect(planLevel([64, 64, 64], 256 * 2 ** 20, 2048)).toEqual([1, 1, 1]);
    expect(planLevel([512, 512, 512])).toEqual([1, 1, 1]); // 128 MB < 256 MB
  });

  it('halves every axis of 1024^3 under the default 256 MB budget', () => {
    expect(planLevel([1024, 1024, 1024])).toEqual([2, 2, 2]);
  });

  it('shrinks only the axes longer than the largest 3D texture when memory is plenty', () => {
    expect(planLevel([300, 4000, 5000], 2 ** 40, 2048)).toEqual([1, 2, 3]);
  });

  it('gives the smallest uniform factor that meets the budget (brute force)', () => {
    for (const [shape, budget, maxTex] of [
      [[300, 1024, 1024], 64 * 2 ** 20, 2048],
      [[100, 3000, 3000], 256 * 2 ** 20, 2048],
      [[50, 50, 50], 1000, 256],
      [[1000, 10, 10], 100, 2048],
    ] as Array<[Shape3, number, number]>) {
      const got = planLevel(shape, budget, maxTex);
      expect(bytes(shape, got)).toBeLessThanOrEqual(budget);
      for (let i = 0; i < 3; i += 1) expect(Math.ceil(shape[i] / got[i])).toBeLessThanOrEqual(maxTex);
      // No smaller k of the same scheme fits.
      const fmin = shape.map((n) => Math.ceil(n / maxTex));
      const k = Math.max(...got.map((f, i) => (f > fmin[i] ? f : 1)));
      if (k > 1) {
        const smaller = fmin.map((m, i) => Math.min(shape[i], Math.max(m, k - 1))) as Shape3;
        expect(bytes(shape, smaller)).toBeGreaterThan(budget);
      }
    }
  });

  it('stops at one voxel when even that is over the budget', () => {
    expect(planLevel([4, 4, 4], 1, 2048)).toEqual([4, 4, 4]);
  });

  it('refuses nonsense', () => {
    expect(() => planLevel([0, 4, 4])).toThrow(/positive integers/);
    expect(() => planLevel([4, 4, 4], 0)).toThrow(/budgetBytes/);
    expect(() => planLevel([4, 4, 4], 100, 0)).toThrow(/maxTexture3D/);
  });
});
