// `fibrecon metrics` on label TIFFs: the numbers equal the metrics module's on
// the same volume; a ground truth gives MP/MGP/MDS; grey input is refused.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { anisotropyMetrics, compareToTruth } from '../../src-main/metrics';
import { leveledWaveStructure } from '../../src-main/synth';
import { writeTiffStack } from '../../src-main/tiff-write';
import { tempDir } from '../helpers/python';
import { makeSlices } from '../helpers/stacks';
import { cli } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

const structure = (seed: number) =>
  leveledWaveStructure({ shape: [24, 32, 40], voxelSizeNm: 2.5, wavelengthNm: 30, waves: 40, seed, solidFraction: 0.35 });

it('computes the isotropy metrics of a label TIFF, and MP/MGP/MDS against a truth', async () => {
  const a = structure(1);
  const b = structure(2);
  // Solid stored as 255, as many tools write label TIFFs.
  const as255 = a.slices.map((s) => Uint8Array.from(s, (v) => v * 255));
  await writeTiffStack(join(root, 'a.tif'), a, as255);
  await writeTiffStack(join(root, 'b.tif'), b, b.slices);
  const r = await cli(['metrics', join(root, 'a.tif'), '--truth', join(root, 'b.tif'), '--rmax-nm', '15', '--json']);
  expect(r.stderr).toContain('read as label 1');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  const expected = anisotropyMetrics(a, { rMaxVoxels: 6 });
  expect(out.voxelSizeNm).toEqual({ x: 2.5, y: 2.5, z: 2.5 });
  expect(out.isotropy.eTpcf).toBeCloseTo(expected.eTpcf, 12);
  expect(out.isotropy.eLpf).toBeCloseTo(expected.eLpf, 12);
  expect(out.isotropy.eD).toBeCloseTo(expected.eD, 12);
  const truth = compareToTruth(a, b);
  expect(out.truth.misplacedPercent).toBeCloseTo(truth.misplacedPercent, 12);
  expect(out.truth.meanDice).toBeCloseTo(truth.meanDice, 12);
  expect(out.truth.misplacedPercent).toBeGreaterThan(10);

  const text = await cli(['metrics', join(root, 'a.tif'), '--truth', join(root, 'a.tif')]);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/e_TPCF \d\.\d{4}/);
  expect(text.stdout).toMatch(/D_xy [\d.]+ nm/);
  expect(text.stdout).toContain('MP 0.000 %');
});

it('refuses a grey image with a message that says to segment it', async () => {
  const grey = makeSlices(4, 8, 8, 'uint8', 3);
  await writeTiffStack(join(root, 'grey.tif'), { shape: [4, 8, 8], dtype: 'uint8', voxelSizeNm: { x: 2, y: 2, z: 2 } }, grey);
  const r = await cli(['metrics', join(root, 'grey.tif')]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/not binary.*segment it first/);
});
