// RPGM: porosity reached, radii as requested, and the carved voxels are exactly
// the union of the reported spheres (checked in numpy).
import { describe, expect, it } from 'vitest';
import { carveRandomPores, randomPoresStructure } from '../../src-main/synth/random-pores';
import { runPython } from '../helpers/python';
import { countSolid } from './synth-test-utils';

const NUMPY_UNION = `
import sys, json, base64, numpy as np
p = json.load(sys.stdin)
nz, ny, nx = p['shape']; v = p['voxel']
z = ((np.arange(nz) + 0.5) * v['z'])[:, None, None]
y = ((np.arange(ny) + 0.5) * v['y'])[None, :, None]
x = ((np.arange(nx) + 0.5) * v['x'])[None, None, :]
pore = np.zeros((nz, ny, nx), bool)
for (cx, cy, cz), r in p['spheres']:
    pore |= (x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2 <= r * r
sys.stdout.write(base64.b64encode((~pore).astype(np.uint8).tobytes()).decode())
`;

describe('randomPoresStructure (RPGM)', () => {
  it.each([[0.3, 1], [0.5, 2], [0.7, 3]])('porosity %f (seed %i) within 1 %', (porosity, seed) => {
    const shape = [64, 64, 64] as const;
    const { volume, spheres } = carveRandomPores({ shape, voxelSizeNm: 2, meanRadiusNm: 8, sdRadiusNm: 2, porosity, seed });
    const measured = 1 - countSolid(volume) / 64 ** 3;
    expect(Math.abs(measured - porosity)).toBeLessThan(0.01);
    // Radii: Gaussian N(8, 2) (truncation at 0 is 4 sd away and never matters here).
    const r = spheres.map((s) => s.radiusNm);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
    expect(r.length).toBeGreaterThan(50);
    expect(Math.abs(mean - 8)).toBeLessThan((4 * 2) / Math.sqrt(r.length));
    expect(sd).toBeGreaterThan(1.6);
    expect(sd).toBeLessThan(2.4);
    expect(Math.min(...r)).toBeGreaterThan(0);
  });

  it('carves exactly the union of the reported spheres (numpy), with anisotropic voxels', () => {
    const shape = [20, 24, 28] as const;
    const voxel = { x: 2, y: 2.5, z: 4 };
    const { volume, spheres } = carveRandomPores({ shape, voxelSizeNm: voxel, meanRadiusNm: 7, sdRadiusNm: 3, count: 25, seed: 11 });
    expect(spheres.length).toBe(25);
    expect(volume.voxelSizeNm).toEqual(voxel);
    const out = runPython(NUMPY_UNION, [], JSON.stringify({ shape, voxel, spheres: spheres.map((s) => [s.centreNm, s.radiusNm]) }));
    const ref = Buffer.from(out, 'base64');
    expect(ref.length).toBe(20 * 24 * 28);
    let mismatches = 0;
    volume.slices.forEach((s, z) => s.forEach((x, i) => (mismatches += x === ref[z * 24 * 28 + i] ? 0 : 1)));
    expect(mismatches).toBe(0);
  });

  it('is reproducible and seed-dependent', () => {
    const p = { shape: [16, 16, 16] as const, voxelSizeNm: 1, meanRadiusNm: 3, sdRadiusNm: 1, porosity: 0.4, seed: 5 };
    const a = Buffer.concat(randomPoresStructure(p).slices as Uint8Array[]);
    expect(a.equals(Buffer.concat(randomPoresStructure(p).slices as Uint8Array[]))).toBe(true);
    expect(a.equals(Buffer.concat(randomPoresStructure({ ...p, seed: 6 }).slices as Uint8Array[]))).toBe(false);
  });

  it.each([
    [{ porosity: 0.3, count: 4 }, /either a porosity .* or a count/],
    [{}, /either a porosity/],
    [{ porosity: 1 }, /strictly between 0 and 1/],
    [{ porosity: 0.3, meanRadiusNm: 0 }, /mean pore radius \(nm\) must be a positive/],
    [{ porosity: 0.3, sdRadiusNm: -1 }, /standard deviation .* zero or a positive/],
    [{ porosity: 0.9, meanRadiusNm: 0.05, sdRadiusNm: 0 }, /not reached after .*use larger pores/],
    [{ count: 1.5 }, /integer from 0/],
  ])('%j is refused with invalid_input', (change, message) => {
    const p = { shape: [8, 8, 8] as const, voxelSizeNm: 1, meanRadiusNm: 2, sdRadiusNm: 0.5, seed: 1, ...change };
    expect(() => randomPoresStructure(p)).toThrow(message);
  });
});
