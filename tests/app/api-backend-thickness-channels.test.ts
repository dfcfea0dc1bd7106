// One thickness series for every channel of a milling: channels imported
// together (1, 2 and 4 kV of one sample: the same slices) get the same series as
// tables of their own, and their slices the same z, in one transaction with one
// run; through the backend the UI uses and directly on a real SQLite project
// (a failure before the commit leaves every channel as it was; a volume with
// other slices is refused before anything is written; the request is checked by
// the contract's schema).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished as waitForEnd, value } from './backend-helpers';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { openProject } from '../../src-main/project/open-project';
import { listRuns, startRun } from '../../src-main/project/runs';
import { saveDerivedVolume } from '../../src-main/project/save-volume';
import { getVolume } from '../../src-main/project/volume-store';
import { importStoredThickness } from '../../src-main/steps/thickness-step';
import { getThicknessTable, listThicknessTables } from '../../src-main/thickness';
import { ThicknessJobSchema, type JobEvent, type ThicknessSeries, type VolumeSummary } from '../../src-shared/contract';
import { cliOk } from '../cli/run-cli';
import { tempDir } from '../helpers/python';

const SLICES = 6;
let backend: ApiBackend;
let root: string;
let cleanup: () => void;
const events: JobEvent[] = [];
let sample: { files: { stacks: { path: string }[]; projectData: string } };
const KV = ['1kV', '2kV', '4kV'];

async function job(method: 'startImport' | 'startThickness', req: unknown): Promise<JobEvent> {
  const { jobId } = value<{ jobId: string }>(await backend.call(method, req));
  return waitForEnd(events, jobId);
}

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  const { createApiBackend } = await import('../../src-main/app/api-backend');
  backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
  backend.onJobEvent((e) => events.push(e));
  sample = JSON.parse(await cliOk(['synth', join(root, 'sample'), '--columns', '64', '--rows', '48', '--slices', String(SLICES), '--json']));
}, 120_000);

afterAll(async () => {
  await backend?.dispose();
  cleanup();
});

describe('thickness for all channels of one milling', () => {
  it('the schema takes a list of other volumes and refuses anything else there', () => {
    const base = { volume: '2kV', source: { asv: '/x/ProjectData.dat' }, apply: true };
    expect(ThicknessJobSchema.safeParse({ ...base, alsoVolumes: ['1kV', '4kV'] }).success).toBe(true);
    expect(ThicknessJobSchema.safeParse({ ...base, alsoVolumes: '1kV' }).success).toBe(false);
    expect(ThicknessJobSchema.safeParse({ ...base, alsoVolumes: [''] }).success).toBe(false);
  });

  it('through the backend: one job, one run, a table per channel, every channel at the same measured z', async () => {
    value(await backend.call('createProject', { path: join(root, 'three.fibrecon') }));
    const channels = KV.map((name, i) => ({ name, paths: [sample.files.stacks[i].path] }));
    expect((await job('startImport', { channels })).type).toBe('done');
    const before = value<VolumeSummary[]>(await backend.call('listVolumes', undefined));
    // Refused by the schema where it enters: a list of numbers is not a list of names.
    const bad = await backend.call('startThickness', { volume: '2kV', alsoVolumes: [1], source: { asv: sample.files.projectData }, apply: true });
    expect(bad.ok).toBe(false);

    const e = await job('startThickness', { volume: '2kV', alsoVolumes: ['1kV', '4kV'], source: { asv: sample.files.projectData }, apply: true });
    expect(e.type, JSON.stringify(e)).toBe('done');
    expect(e.type === 'done' && e.message).toMatch(/applied as the z positions of the slices \(also for "1kV" as table \d+, "4kV" as table \d+: the same milling\)\.$/);
    const series = await Promise.all(KV.map(async (volume) => value<ThicknessSeries>(await backend.call('getThickness', { volume }))));
    expect(new Set(series.map((s) => s.tableId)).size).toBe(3);
    for (const s of series) {
      expect(s.thicknessNm).toEqual(series[1].thicknessNm);
      expect(s.flags).toEqual(series[1].flags);
      expect(s.applied).toBe(true);
      expect(s.zPositionsNm).toEqual(series[1].zPositionsNm);
    }
    const after = value<VolumeSummary[]>(await backend.call('listVolumes', undefined));
    for (const name of KV) {
      const a = after.find((v) => v.name === name)!;
      expect(a.voxelSizeNm.z).toBeCloseTo(series[1].statistics.meanNm, 9);
      expect(a.voxelSizeSource?.z).toMatch(/^mean of the measured thicknesses/);
      expect(a.zRangeNm[1]).not.toBe(before.find((v) => v.name === name)!.zRangeNm[1]);
    }
  }, 120_000);

  describe('directly on a project', () => {
    let path: string;
    beforeAll(async () => {
      path = join(root, 'direct.fibrecon');
      await cliOk(['create', path]);
      await cliOk(['import', path, ...KV.map((k, i) => `--channel=${k}=${sample.files.stacks[i].path}`)]);
    }, 120_000);

    const req = { volume: '2kV', alsoVolumes: ['1kV', '4kV'], source: { asv: '' }, apply: true };

    it('a failure before the commit leaves every channel without a table and at its old z; the run is not done', async () => {
      const p = openProject(path, { write: true });
      try {
        const z0 = KV.map((k) => [...getVolume(p.db, k).zPositionsNm]);
        let runId = 0;
        await expect(
          importStoredThickness(p.db, { ...req, source: { asv: sample.files.projectData } }, {
            startRun: (params) => (runId = startRun(p.db, 'thickness', params, 'test')),
            finishRun: () => {
              throw new Error('killed before the commit');
            },
          }),
        ).rejects.toThrow('killed before the commit');
        expect(p.db.inTransaction).toBe(false);
        expect(listThicknessTables(p.db)).toHaveLength(0);
        KV.forEach((k, i) => expect(getVolume(p.db, k).zPositionsNm).toEqual(z0[i]));
        expect(listRuns(p.db).find((r) => r.id === runId)?.status).not.toBe('done');

        // The same request completed: three tables under one run, in the order asked.
        let okRun = 0;
        const r = await importStoredThickness(p.db, { ...req, source: { asv: sample.files.projectData } }, {
          startRun: (params) => (okRun = startRun(p.db, 'thickness', params, 'test')),
          finishRun: () => p.db.prepare("UPDATE run SET status = 'done' WHERE id = ?").run(okRun),
        });
        expect(r.tables.map((t) => t.volume)).toEqual(['2kV', '1kV', '4kV']);
        const tables = listThicknessTables(p.db);
        expect(tables.map((t) => t.runId)).toEqual([okRun, okRun, okRun]);
        const values = r.tables.map((t) => getThicknessTable(p.db, t.tableId).values.map((v) => v.thicknessNm));
        expect(values[1]).toEqual(values[0]);
        expect(values[2]).toEqual(values[0]);
        expect(getVolume(p.db, '4kV').zPositionsNm).toEqual(getVolume(p.db, '2kV').zPositionsNm);
        expect(getVolume(p.db, '2kV').zPositionsNm).not.toEqual(z0[1]);
        expect(listRuns(p.db).find((x) => x.id === okRun)?.params).toMatchObject({ volume: '2kV', alsoVolumes: ['1kV', '4kV'] });
      } finally {
        p.close();
      }
    }, 60_000);

    it('a volume with other slices is refused before any run or table is written', async () => {
      const p = openProject(path, { write: true });
      try {
        const v = getVolume(p.db, '2kV');
        const [ny, nx] = [v.shape[1], v.shape[2]];
        await saveDerivedVolume(
          p.db,
          { shape: [2, ny, nx], dtype: 'uint8', voxelSizeNm: v.voxelSizeNm, zPositionsNm: [0, 10], slices: [new Uint8Array(ny * nx), new Uint8Array(ny * nx)] },
          { name: 'short', kind: 'grey', voxelSizeSource: { x: 'test', y: 'test', z: 'test' } },
        );
        const tables = listThicknessTables(p.db).length;
        const runs = listRuns(p.db).length;
        let started = false;
        await expect(
          importStoredThickness(p.db, { ...req, alsoVolumes: ['short'], source: { asv: sample.files.projectData } }, {
            startRun: () => {
              started = true;
              return 0;
            },
          }),
        ).rejects.toThrow(/"short" has 2 slices and "2kV" 6: one thickness series is for volumes of the same milling/);
        expect(started).toBe(false);
        expect(listThicknessTables(p.db)).toHaveLength(tables);
        expect(listRuns(p.db)).toHaveLength(runs);
      } finally {
        p.close();
      }
    }, 60_000);
  });
});
