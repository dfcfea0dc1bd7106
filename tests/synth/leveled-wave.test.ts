// Leveled-wave generator: the field against numpy, the exact solid fraction
// (single and hierarchical), reproducibility, and input errors.
import { describe, expect, it } from 'vitest';
import { leveledWaveField, leveledWaveSet, evaluateWaveField } from '../../src-main/synth/leveled-wave-field';
import { fineLevelSeed, leveledWaveStructure } from '../../src-main/synth/leveled-wave-structure';
import { runPython } from '../helpers/python';
import { countSolid } from './synth-test-utils';

const NUMPY_FIELD = `
import sys, json, base64, numpy as np
p = json.load(sys.stdin)
nz, ny, nx = p['shape']
k = np.array(p['k']).reshape(-1, 3); ph = np.array(p['phase'])
z = (np.arange(nz) + 0.5) * p['voxel']['z']
y = (np.arange(ny) + 0.5) * p['voxel']['y']
x = (np.arange(nx) + 0.5) * p['voxel']['x']
Z, Y, X = np.meshgrid(z, y, x, indexing='ij')
f = np.zeros((nz, ny, nx))
for (kx, ky, kz), phi in zip(k, ph):
    f += np.cos(kx * X + ky * Y + kz * Z + phi)
f *= np.sqrt(2.0 / len(ph))
sys.stdout.write(base64.b64encode(f.astype('<f8').tobytes()).decode())
`;

describe('leveledWaveField', () => {
  it('matches an independent numpy evaluation of the same waves to 1e-4', () => {
    const shape = [7, 9, 11] as const;
    const voxel = { x: 2, y: 3, z: 5 };
    const params = { shape, voxelSizeNm: voxel, wavelengthNm: 17, waves: 37, seed: 42 };
    const field = leveledWaveField(params);
    const waves = leveledWaveSet(params);
    // The exported wave set has the requested wavelength.
    for (let w = 0; w < 37; w++) {
      const [kx, ky, kz] = waves.wavevectorsPerNm.subarray(3 * w, 3 * w + 3);
      expect(Math.hypot(kx, ky, kz)).toBeCloseTo((2 * Math.PI) / 17, 12);
    }
    const out = runPython(NUMPY_FIELD, [], JSON.stringify({ shape, voxel, k: [...waves.wavevectorsPerNm], phase: [...waves.phasesRad] }));
    const ref = new Float64Array(new Uint8Array(Buffer.from(out, 'base64')).buffer);
    expect(ref.length).toBe(7 * 9 * 11);
    let maxDiff = 0;
    field.forEach((slice, z) => slice.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - ref[z * 99 + i])))));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('has zero mean and unit variance (normalised by sqrt(2 / waves))', () => {
    const field = leveledWaveField({ shape: [48, 48, 48], voxelSizeNm: 1, wavelengthNm: 8, waves: 100, seed: 3 });
    let s = 0, s2 = 0, n = 0;
    for (const sl of field) for (const v of sl) (s += v), (s2 += v * v), n++;
    expect(Math.abs(s / n)).toBeLessThan(0.1);
    expect(s2 / n).toBeGreaterThan(0.8);
    expect(s2 / n).toBeLessThan(1.2);
  });

  it('evaluates the same wave set identically when called twice', () => {
    const waves = leveledWaveSet({ wavelengthNm: 10, waves: 5, seed: 1 });
    const a = evaluateWaveField(waves, [2, 3, 4], { x: 1, y: 1, z: 1 });
    const b = evaluateWaveField(waves, [2, 3, 4], { x: 1, y: 1, z: 1 });
    expect(a).toEqual(b);
  });
});

describe('leveledWaveStructure', () => {
  const base = { shape: [30, 34, 38] as const, voxelSizeNm: 2.5, wavelengthNm: 40, waves: 60 };
  const voxels = 30 * 34 * 38;

  it.each([
    [0.1, 1], [0.25, 2], [0.3, 7], [0.5, 11], [0.73, 5], [0.9, 99],
  ])('solid fraction %f (seed %i) is exact to one voxel', (solidFraction, seed) => {
    const v = leveledWaveStructure({ ...base, seed, solidFraction });
    expect(v.dtype).toBe('uint8');
    expect(v.shape).toEqual(base.shape);
    expect(v.voxelSizeNm).toEqual({ x: 2.5, y: 2.5, z: 2.5 });
    expect(v.zPositionsNm[29]).toBeCloseTo(29 * 2.5, 12);
    expect(Math.abs(countSolid(v) - solidFraction * voxels)).toBeLessThanOrEqual(0.5);
    let notLabel = 0;
    for (const s of v.slices) for (const x of s) notLabel += x === 0 || x === 1 ? 0 : 1;
    expect(notLabel).toBe(0);
  });

  it('is solid where the field is high: every solid voxel has a field value >= every pore voxel', () => {
    const p = { ...base, seed: 4, solidFraction: 0.35 };
    const v = leveledWaveStructure(p);
    const f = leveledWaveField(p);
    let minSolid = Infinity, maxPore = -Infinity;
    f.forEach((sl, z) => sl.forEach((x, i) => (v.slices[z][i] ? (minSolid = Math.min(minSolid, x)) : (maxPore = Math.max(maxPore, x)))));
    expect(minSolid).toBeGreaterThanOrEqual(maxPore);
  });

  it('same seed gives identical bytes, another seed a different structure', () => {
    const a = leveledWaveStructure({ ...base, seed: 8, solidFraction: 0.3 });
    const b = leveledWaveStructure({ ...base, seed: 8, solidFraction: 0.3 });
    const c = leveledWaveStructure({ ...base, seed: 9, solidFraction: 0.3 });
    expect(Buffer.concat(a.slices as Uint8Array[]).equals(Buffer.concat(b.slices as Uint8Array[]))).toBe(true);
    let differ = 0;
    a.slices.forEach((s, z) => s.forEach((x, i) => (differ += x === c.slices[z][i] ? 0 : 1)));
    expect(differ / voxels).toBeGreaterThan(0.2);
  });

  it.each([[0.3, 0.6, 1], [0.2, 0.45, 2], [0.4, 0.7, 3]])(
    'hierarchical: overall fraction %f exact, inside the fine solid (fine fraction %f, seed %i)',
    (solidFraction, fineFraction, seed) => {
      const shape = [40, 40, 40] as const;
      const fine = { wavelengthNm: 15, waves: 50, solidFraction: fineFraction };
      const p = { shape, voxelSizeNm: 2.5, wavelengthNm: 80, waves: 60, seed, solidFraction, fine };
      const v = leveledWaveStructure(p);
      const n = 40 ** 3;
      expect(Math.abs(countSolid(v) - solidFraction * n)).toBeLessThanOrEqual(0.5);
      // The fine level alone, generated as a one-level structure with the derived seed.
      const fineOnly = leveledWaveStructure({ shape, voxelSizeNm: 2.5, ...fine, seed: fineLevelSeed(seed) });
      const coarseOnly = leveledWaveStructure({ ...p, fine: undefined, solidFraction: solidFraction / fineFraction });
      let outsideFine = 0, agreeCoarse = 0, solid = 0;
      v.slices.forEach((s, z) => s.forEach((x, i) => {
        if (x && !fineOnly.slices[z][i]) outsideFine++;
        if (x) (solid++, (agreeCoarse += coarseOnly.slices[z][i]));
      }));
      expect(outsideFine).toBe(0);
      // The coarse cut over the fine solid is close to the coarse field's own cut at phi / phi_fine.
      expect(agreeCoarse / solid).toBeGreaterThan(0.95);
    },
  );
});

describe('leveled-wave job control', () => {
  it('stops with "cancelled" when the signal is aborted, reports progress up to 1', () => {
    const p = { shape: [6, 8, 8] as const, voxelSizeNm: 1, wavelengthNm: 5, waves: 8, seed: 1, solidFraction: 0.4 };
    const ac = new AbortController();
    ac.abort();
    expect(() => leveledWaveStructure(p, { signal: ac.signal })).toThrow(/cancelled/);
    const fractions: number[] = [];
    leveledWaveStructure({ ...p, fine: { wavelengthNm: 3, waves: 8, solidFraction: 0.7 } }, { onProgress: (q) => fractions.push(q.fraction) });
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
  });
});

describe('leveled-wave input errors', () => {
  const ok = { shape: [4, 4, 4] as [number, number, number], voxelSizeNm: 2.5, wavelengthNm: 40, waves: 10, seed: 1, solidFraction: 0.3 };
  it.each([
    [{ solidFraction: 0 }, /strictly between 0 and 1/],
    [{ solidFraction: 1.2 }, /strictly between 0 and 1/],
    [{ voxelSizeNm: -1 }, /voxel size along x must be a positive/],
    [{ wavelengthNm: 0 }, /wavelength \(nm\) must be a positive/],
    [{ wavelengthNm: 4 }, /shorter than two voxels \(2.5 nm\): use a wavelength of at least 5 nm/],
    [{ directions: 'sideways' }, /'stratified' or 'independent'/],
    [{ waves: 0 }, /number of waves/],
    [{ shape: [4, 0, 4] }, /number of rows must be a positive integer/],
    [{ seed: 1.5 }, /seed must be an integer/],
    [{ shape: [2048, 2048, 2048] }, /needs 42\.9 GB .*smaller volume/],
    [{ fine: { wavelengthNm: 15, waves: 10, solidFraction: 0.2 } }, /cannot exceed the fine level/],
  ])('%j is refused', (change, message) => {
    expect(() => leveledWaveStructure({ ...ok, ...change } as typeof ok)).toThrow(message);
    try {
      leveledWaveStructure({ ...ok, ...change } as typeof ok);
    } catch (e) {
      expect((e as { tag: string }).tag).toBe('invalid_input');
    }
  });
});
