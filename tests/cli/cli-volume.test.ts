// fibrecon volume rename / delete / show as the real CLI: the renamed and the
// deleted volume as info --json and check --deep see them afterwards, exit codes
// and messages of refusals (a taken name, a wrong command line, the project
// open for writing in another process), and nothing changed by a refusal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeProvenance, VolumeSummary } from '../../src-shared/contract';
import { main } from '../../src-main/cli/main';
import { openProject } from '../../src-main/project/open-project';
import { listVolumes } from '../../src-main/project/volume-store';
import { tempDir } from '../helpers/python';
import { writeVolumeAdminProject } from '../helpers/volume-admin-project';
import { cli, cliOk } from './run-cli';

let tmp: { dir: string; cleanup: () => void };
let path: string;

const names = (): string[] => {
  const p = openProject(path, { write: false });
  try {
    return listVolumes(p.db).map((v) => v.name);
  } finally {
    p.close();
  }
};

beforeAll(async () => {
  tmp = tempDir('fibrecon-cli-volume-');
  path = join(tmp.dir, 'p.fibrecon');
  await writeVolumeAdminProject(path);
});

afterAll(() => tmp?.cleanup());

describe('fibrecon volume', () => {
  it('shows how a volume was made and what depends on it', async () => {
    const p = JSON.parse(await cliOk(['volume', 'show', path, 'grey-otsu', '--json'])) as VolumeProvenance;
    expect(p.madeBy).toMatchObject({ step: 'segment', params: { volume: 'grey', method: 'otsu' } });
    const text = await cliOk(['volume', 'show', path, 'grey']);
    expect(text).toMatch(/Made by run \d+ \(import, done/);
    expect(text).toMatch(/annotations bound to it: 2 annotated slices/);
    expect(text).toMatch(/Volumes made from it \(kept\): grey-otsu, grey-reg, other-reg/);
  });

  it('renames, refuses a taken name with exit 1 and a remedy, and deletes', async () => {
    const renamed = await cliOk(['volume', 'rename', path, 'grey-reg', 'grey-reg-bad']);
    expect(renamed).toMatch(/^Renamed "grey-reg" to "grey-reg-bad"/);
    expect(names()).toEqual(['grey', 'other', 'grey-otsu', 'grey-reg-bad', 'other-reg']);

    const before = readFileSync(path);
    const taken = await cli(['volume', 'rename', path, 'grey-reg-bad', 'other-reg']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/already has a volume named "other-reg": choose another name/);
    expect(readFileSync(path).equals(before)).toBe(true);

    const deleted = await cliOk(['volume', 'delete', path, 'grey-reg-bad']);
    expect(deleted).toMatch(/^Deleted "grey-reg-bad" \(run \d+\):\n {2}5 slices/);
    expect(names()).toEqual(['grey', 'other', 'grey-otsu', 'other-reg']);
    const info = JSON.parse(await cliOk(['info', path, '--runs', '--json'])) as { runs: { step: string; status: string }[] };
    expect(info.runs.slice(-2).map((r) => [r.step, r.status])).toEqual([
      ['rename-volume', 'done'],
      ['delete-volume', 'done'],
    ]);
    const check = await cli(['check', path, '--deep']);
    expect(check.code).toBe(0);
  });

  it('says what is wrong with the command line (exit 2; in-process, the same main())', async () => {
    for (const args of [['volume', 'move', path, 'a'], ['volume', 'rename', path, 'grey'], ['volume', 'delete', path], ['volume']]) {
      let err = '';
      const code = await main(args, { out: () => {}, err: (t) => void (err += t), tty: false });
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(/Usage: fibrecon volume rename/);
    }
  });

  it('is refused while another process writes to the project', async () => {
    const holder = openProject(path, { write: true, purpose: 'a test holding the lock' });
    try {
      const r = await cli(['volume', 'delete', path, 'other']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/already open for writing by another fibrecon process .*a test holding the lock.*Wait for it to finish or close it/);
      expect(listVolumes(holder.db).map((v: VolumeSummary | { name: string }) => v.name)).toContain('other');
    } finally {
      holder.close();
    }
  });
});
