// The layer list's backend methods through the contract: requests validated
// (an empty new name is refused before anything runs), rename and delete on the
// open project, refused while a job runs (its run may not be recorded yet), the
// voxel read-out.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiBackend } from '../../src-main/app/api-backend';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import type { JobEvent, VolumeProvenance, VolumeSummary } from '../../src-shared/contract';
import { tempDir } from '../helpers/python';
import { writeVolumeAdminProject } from '../helpers/volume-admin-project';
import { finished, value } from './backend-helpers';

let tmp: { dir: string; cleanup: () => void };
let backend: ApiBackend;
const events: JobEvent[] = [];

beforeAll(async () => {
  tmp = tempDir('fibrecon-backend-volume-admin-');
  const path = join(tmp.dir, 'p.fibrecon');
  await writeVolumeAdminProject(path);
  backend = createApiBackend({ appVersion: 'test', bridge: 'http' });
  backend.onJobEvent((e) => events.push(e));
  value(await backend.call('openProject', { path }));
});

afterAll(async () => {
  await backend?.dispose();
  tmp?.cleanup();
});

const names = async () => value<VolumeSummary[]>(await backend.call('listVolumes', undefined)).map((v) => v.name);

describe('volume administration through the backend', () => {
  it('validates, renames, deletes and reads provenance', async () => {
    const empty = await backend.call('renameVolume', { volume: 'grey-reg', to: '   ' });
    expect(empty).toMatchObject({ ok: false, error: { tag: 'invalid_input' } });
    const extra = await backend.call('deleteVolume', { volume: 'grey-reg', force: true });
    expect(extra).toMatchObject({ ok: false, error: { tag: 'invalid_input' } });
    value(await backend.call('renameVolume', { volume: 'grey-reg', to: 'grey-reg-bad' }));
    const p = value<VolumeProvenance>(await backend.call('volumeProvenance', { volume: 'grey-reg-bad' }));
    expect(p.madeBy?.step).toBe('register');
    expect(p.renames.map((r) => [r.from, r.to])).toEqual([['grey-reg', 'grey-reg-bad']]);
    value(await backend.call('deleteVolume', { volume: 'grey-reg-bad' }));
    expect(await names()).toEqual(['grey', 'other', 'grey-otsu', 'other-reg']);
    expect(value<{ value: number }>(await backend.call('getVoxel', { volume: 'grey-otsu', z: 0, y: 0, x: 0 })).value).toBeLessThanOrEqual(1);
  });

  it('refuses rename and delete while a job runs, with what to do', async () => {
    const { jobId } = value<{ jobId: string }>(await backend.call('startMetrics', { volume: 'grey-otsu' }));
    const rename = await backend.call('renameVolume', { volume: 'other', to: 'other-2' });
    const del = await backend.call('deleteVolume', { volume: 'other' });
    for (const r of [rename, del]) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.tag).toBe('project_locked');
        expect(r.error.message).toMatch(/while a job runs on this project: wait for it to finish or cancel it/);
      }
    }
    await finished(events, jobId);
    expect(await names()).toContain('other');
    value(await backend.call('renameVolume', { volume: 'other', to: 'other-2' }));
    expect(await names()).toContain('other-2');
  });
});
