// The orthoviews' voxel read-out: stored values (not a preview) with each
// slice's stored z, indices outside the volume refused, and the slice kept
// between reads never served for another volume.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../../src-main/project/open-project';
import { deleteVolume, renameVolume } from '../../src-main/project/volume-admin';
import { createVoxelReader } from '../../src-main/project/voxel-value';
import { FIXTURE_SHAPE, writeVolumeAdminProject } from '../helpers/volume-admin-project';
import { makeSlices } from '../helpers/stacks';
import { tempDir } from '../helpers/python';

const [NZ, NY, NX] = FIXTURE_SHAPE;
let tmp: { dir: string; cleanup: () => void };
let project: Project;

beforeAll(async () => {
  tmp = tempDir('fibrecon-voxel-');
  const path = join(tmp.dir, 'p.fibrecon');
  await writeVolumeAdminProject(path);
  project = openProject(path, { write: true, purpose: 'test' });
});

afterAll(() => {
  project?.close();
  tmp?.cleanup();
});

describe('createVoxelReader', () => {
  it('reads stored values and positions, and refuses indices outside the volume', async () => {
    const read = createVoxelReader();
    const grey = makeSlices(NZ, NY, NX, 'uint8', 1);
    const other = makeSlices(NZ, NY, NX, 'uint8', 2);
    for (const [z, y, x] of [
      [0, 0, 0],
      [3, 11, 15],
      [3, 4, 9],
    ]) {
      expect(await read(project.db, { volume: 'grey', z, y, x })).toMatchObject({ value: grey[z][y * NX + x], dtype: 'uint8', positionNm: { x: 4 * x, y: 4 * y, z: 10 * z } });
      // Same slice index of another volume: not the slice kept from the read before.
      expect((await read(project.db, { volume: 'other', z, y, x })).value).toBe(other[z][y * NX + x]);
    }
    await expect(read(project.db, { volume: 'grey', z: NZ, y: 0, x: 0 })).rejects.toMatchObject({ tag: 'invalid_input' });
    await expect(read(project.db, { volume: 'grey', z: 0, y: 0, x: NX })).rejects.toMatchObject({ tag: 'invalid_input' });
    await expect(read(project.db, { volume: 'nope', z: 0, y: 0, x: 0 })).rejects.toMatchObject({ tag: 'not_found' });
  });

  it('follows a rename and a volume stored under a deleted name', async () => {
    const read = createVoxelReader();
    const grey = makeSlices(NZ, NY, NX, 'uint8', 1);
    const other = makeSlices(NZ, NY, NX, 'uint8', 2);
    // A voxel where the two volumes differ.
    const i = grey[1].findIndex((v, k) => v !== other[1][k]);
    const at = { z: 1, y: Math.floor(i / NX), x: i % NX };
    expect((await read(project.db, { volume: 'grey', ...at })).value).toBe(grey[1][i]);
    deleteVolume(project.db, 'grey', { appVersion: 'test' });
    renameVolume(project.db, 'other', 'grey', { appVersion: 'test' });
    expect((await read(project.db, { volume: 'grey', ...at })).value).toBe(other[1][i]);
  });
});
