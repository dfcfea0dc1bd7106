// `fibrecon thickness --volume 2kV,1kV,4kV`: one measured series for the channels
// of one milling, each given its own table and the same measured z, in one run.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { getVolume } from '../../src-main/project/volume-store';
import { listThicknessTables } from '../../src-main/thickness';
import { cli, cliOk } from './run-cli';
import { tempDir } from '../helpers/python';

let root: string;
let cleanup: () => void;
let sample: { files: { stacks: { path: string }[]; projectData: string } };
const KV = ['1kV', '2kV', '4kV'];

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  sample = JSON.parse(await cliOk(['synth', join(root, 'sample'), '--columns', '64', '--rows', '48', '--slices', '6', '--json']));
}, 120_000);

afterAll(() => cleanup());

describe('fibrecon thickness for several channels', () => {
  it('applies one series to every channel named, in one run; an unknown name changes nothing', async () => {
    const path = join(root, 'p.fibrecon');
    await cliOk(['create', path]);
    await cliOk(['import', path, ...KV.map((k, i) => `--channel=${k}=${sample.files.stacks[i].path}`)]);

    const bad = await cli(['thickness', path, '--volume', '2kV,nope', '--asv', sample.files.projectData, '--apply']);
    expect(bad.code).toBe(1);
    let p = openProject(path, { write: false });
    try {
      expect(listThicknessTables(p.db)).toHaveLength(0);
    } finally {
      p.close();
    }

    const out = await cliOk(['thickness', path, '--volume', '2kV,1kV,4kV', '--asv', sample.files.projectData, '--apply']);
    expect(out).toMatch(/^Also stored for "1kV" \(table \d+\), "4kV" \(table \d+\): the same milling\.$/m);
    expect(out).toMatch(/^Applied: the slices of "2kV", "1kV", "4kV" now sit at the measured z/m);
    p = openProject(path, { write: false });
    try {
      const tables = listThicknessTables(p.db);
      expect(tables).toHaveLength(3);
      expect(new Set(tables.map((t) => t.runId)).size).toBe(1);
      expect(listRuns(p.db).find((r) => r.id === tables[0].runId)?.status).toBe('done');
      const z = getVolume(p.db, '2kV').zPositionsNm;
      for (const k of KV) expect(getVolume(p.db, k).zPositionsNm).toEqual(z);
    } finally {
      p.close();
    }
  }, 120_000);
});
