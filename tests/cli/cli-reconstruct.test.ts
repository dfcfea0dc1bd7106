// `fibrecon reconstruct`: repositioned and gap-filled volumes land in the
// project with their run; measured slices pass through; metrics then run on them.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { getVolume, readSlice } from '../../src-main/project/volume-store';
import { leveledWaveStructure } from '../../src-main/synth';
import { writeTiffStack } from '../../src-main/tiff-write';
import { tempDir } from '../helpers/python';
import { cli, cliOk } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

it('fills the gaps of a label stack milled every 10 nm onto a 2.5 nm grid, keeping the measured slices', async () => {
  // Truth at 2.5 nm; every 4th plane is "imaged" (10 nm slices).
  const truth = leveledWaveStructure({ shape: [33, 24, 32], voxelSizeNm: 2.5, wavelengthNm: 30, waves: 40, seed: 5, solidFraction: 0.4 });
  const imaged = truth.slices.filter((_, z) => z % 4 === 0);
  const stack = join(root, 'imaged.tif');
  await writeTiffStack(stack, { shape: [imaged.length, 24, 32], dtype: 'uint8', voxelSizeNm: { x: 2.5, y: 2.5, z: 10 } }, imaged);
  const project = join(root, 'p.fibrecon');
  await cliOk(['create', project]);
  await cliOk(['import', project, stack, '--name', 'labels']);
  const out = await cliOk(['reconstruct', project, '--volume', 'labels', '--method', 'cubic', '--binary', '--out', 'rcs']);
  expect(out).toMatch(/Wrote "rcs": 33 planes of 2.5 nm from 9 slices/);
  expect(out).toContain('interpolated through the signed distance to the boundary');
  const outLabels = await cliOk(['reconstruct', project, '--volume', 'labels', '--method', 'cubic', '--binary-interpolant', 'labels', '--out', 'rcs-labels']);
  expect(outLabels).toContain('interpolated through the 0/1 labels');
  const bad = await cli(['reconstruct', project, '--volume', 'labels', '--method', 'cubic', '--binary-interpolant', 'sdf']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--binary-interpolant takes distance or labels');
  await cliOk(['reconstruct', project, '--volume', 'labels', '--method', 'dnn', '--target-nm', '10', '--binary']);

  const p = openProject(project, { write: false });
  const rcs = getVolume(p.db, 'rcs');
  expect(rcs.shape).toEqual([33, 24, 32]);
  expect(rcs.voxelSizeNm.z).toBeCloseTo(2.5, 12);
  expect(rcs.kind).toBe('labels');
  for (let i = 0; i < imaged.length; i++) expect(await readSlice(p.db, rcs, 4 * i)).toEqual(imaged[i]);
  // Filled planes agree with the truth far better than chance.
  let same = 0;
  let all = 0;
  for (let z = 1; z < 33; z += 4) {
    const got = await readSlice(p.db, rcs, z);
    got.forEach((v, i) => {
      all++;
      if (v === truth.slices[z][i]) same++;
    });
  }
  expect(same / all).toBeGreaterThan(0.8);
  // The signed distance puts the boundary between two slices where it moves; the 0/1 spline jumps at the midpoint.
  const labels = getVolume(p.db, 'rcs-labels');
  expect(labels.metadata.binaryInterpolant).toBe('labels');
  let sameLabels = 0;
  for (let z = 1; z < 33; z += 4) (await readSlice(p.db, labels, z)).forEach((v, i) => v === truth.slices[z][i] && sameLabels++);
  expect(same).toBeGreaterThan(sameLabels);
  expect(getVolume(p.db, 'labels-dnn').shape[0]).toBe(33);
  expect(listRuns(p.db).map((r) => `${r.step}:${r.status}`)).toEqual(['import:done', 'reconstruct:done', 'reconstruct:done', 'reconstruct:done']);
  p.close();

  const m = await cliOk(['metrics', `${project}:rcs`, '--json']);
  expect(JSON.parse(m).isotropy.eTpcf).toBeGreaterThanOrEqual(0);

  const again = await cli(['reconstruct', project, '--volume', 'labels', '--method', 'cubic', '--out', 'rcs']);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('already has a volume named "rcs"');
});

it('--method ml fills the gaps with the shipped inpainting model, keeps measured slices, records model and EP; refuses grey data and a segmentation model', async () => {
  const truth = leveledWaveStructure({ shape: [41, 32, 32], voxelSizeNm: 2.5, wavelengthNm: 40, waves: 40, seed: 6, solidFraction: 0.35 });
  const imaged = truth.slices.filter((_, z) => z % 4 === 0);
  const stack = join(root, 'imaged-ml.tif');
  await writeTiffStack(stack, { shape: [imaged.length, 32, 32], dtype: 'uint8', voxelSizeNm: { x: 2.5, y: 2.5, z: 10 } }, imaged);
  const grey = join(root, 'grey-ml.tif');
  await writeTiffStack(grey, { shape: [imaged.length, 32, 32], dtype: 'uint8', voxelSizeNm: { x: 2.5, y: 2.5, z: 10 } }, imaged.map((s) => s.map((v, i) => 60 + 120 * v + (i % 5)))); // grey: more than two values (a two-valued stack would be read as a mask)
  const project = join(root, 'ml.fibrecon');
  await cliOk(['create', project]);
  await cliOk(['import', project, stack, '--name', 'labels']);
  await cliOk(['import', project, grey, '--name', 'grey']);
  const out = await cliOk(['reconstruct', project, '--volume', 'labels', '--method', 'ml', '--ep', 'cpu', '--out', 'rml']);
  expect(out).toMatch(/Wrote "rml": 41 planes of 2.5 nm from 11 slices \(ml\)/);
  expect(out).toMatch(/gaps inpainted by inpaint-small on CPU \(CPU requested\)/);
  const p = openProject(project, { write: false });
  const rml = getVolume(p.db, 'rml');
  expect(rml.kind).toBe('labels');
  expect((rml.metadata.model as { name: string; ep: string }).ep).toBe('cpu');
  expect(rml.metadata.measuredPlanes).toEqual(imaged.map((_, i) => 4 * i));
  for (let i = 0; i < imaged.length; i++) expect(await readSlice(p.db, rml, 4 * i)).toEqual(imaged[i]);
  let same = 0;
  let all = 0;
  for (let z = 1; z < 41; z++) {
    if (z % 4 === 0) continue;
    (await readSlice(p.db, rml, z)).forEach((v, i) => {
      all++;
      if (v === truth.slices[z][i]) same++;
    });
  }
  expect(same / all).toBeGreaterThan(0.85);
  p.close();
  const g = await cli(['reconstruct', project, '--volume', 'grey', '--method', 'ml', '--out', 'grey-ml']);
  expect(g.code).toBe(1);
  expect(g.stderr).toContain('segment the stack first');
  const seg = await cli(['reconstruct', project, '--volume', 'labels', '--method', 'ml', '--model', 'unet2d-2kv', '--out', 'seg-ml']);
  expect(seg.code).toBe(1);
  expect(seg.stderr).toContain('not an inpainting model');
  const flag = await cli(['reconstruct', project, '--volume', 'labels', '--method', 'cubic', '--model', 'inpaint-small']);
  expect(flag.code).toBe(2);
  expect(flag.stderr).toContain('are for --method ml');
});
