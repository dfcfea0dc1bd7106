// `fibrecon import-volume`: an exported AmiraMesh / NRRD comes back with its voxels and voxel size.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { getVolume, readSlice } from '../../src-main/project/volume-store';
import { writeTiffStack } from '../../src-main/tiff-write';
import { tempDir } from '../helpers/python';
import { makeSlices } from '../helpers/stacks';
import { cli, cliOk } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

it('round-trips a volume through .am and .nrrd', async () => {
  const slices = makeSlices(4, 10, 12, 'uint16', 8);
  await writeTiffStack(join(root, 's.tif'), { shape: [4, 10, 12], dtype: 'uint16', voxelSizeNm: { x: 3, y: 3, z: 7 } }, slices);
  const project = join(root, 'p.fibrecon');
  await cliOk(['create', project]);
  await cliOk(['import', project, join(root, 's.tif'), '--name', 'grey']);
  for (const ext of ['am', 'nrrd']) {
    await cliOk(['export', project, '--volume', 'grey', '--out', join(root, `g.${ext}`)]);
    const out = await cliOk(['import-volume', project, join(root, `g.${ext}`), '--name', `back-${ext}`]);
    expect(out).toContain('voxel 3 x 3 x 7 nm');
  }
  const p = openProject(project, { write: false });
  for (const ext of ['am', 'nrrd']) {
    const v = getVolume(p.db, `back-${ext}`);
    expect(v.shape).toEqual([4, 10, 12]);
    for (let z = 0; z < 4; z++) expect(await readSlice(p.db, v, z)).toEqual(slices[z]);
  }
  p.close();
  const bad = await cli(['import-volume', project, join(root, 's.tif')]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('for TIFF stacks use fibrecon import');
});
