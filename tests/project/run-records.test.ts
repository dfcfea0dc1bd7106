// Run records tell the truth at once and only about what was asked: a run whose
// process was killed reads as interrupted without waiting for the next writer
// (and without any write), and a refused request leaves the project file as it was.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors';
import { createProject, openProject } from '../../src-main/project/open-project';
import { lockPathFor } from '../../src-main/project/project-lock';
import { runProjectStep } from '../../src-main/project/project-step';
import { projectSummary } from '../../src-main/project/project-summary';
import { listRuns, startRun } from '../../src-main/project/runs';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, insertVolume, sliceWriter } from '../../src-main/project/volume-store';
import { tempDir } from '../helpers/python';
import { cli, REPO } from '../cli/run-cli';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** The project's bytes: the file and its write-ahead log, if any. */
function fileBytes(path: string): string {
  const h = createHash('sha256').update(readFileSync(path));
  if (existsSync(`${path}-wal`)) h.update('wal').update(readFileSync(`${path}-wal`));
  return h.digest('hex');
}

/** Status straight from the file (not through listRuns, which derives 'interrupted' when reading). */
function storedStatuses(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT status FROM run ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

const step = { signal: new AbortController().signal, onProgress: () => {}, appVersion: 'test' };

async function projectWithVolume(path: string): Promise<void> {
  const p = createProject(path, { appVersion: 'test' });
  const id = insertVolume(p.db, { name: 'grey', role: 'channel', kind: 'grey', dtype: 'uint8', shape: [4, 8, 8], voxelSizeNm: { x: 5, y: 5, z: 10 }, voxelSizeSource: { x: 'a', y: 'a', z: 'a' } });
  const write = sliceWriter(p.db, id);
  for (let z = 0; z < 4; z++) write(z, z * 10, await encodeSlice(Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + z) % 256)));
  finishVolume(p.db, id);
  p.close();
}

describe('interrupted runs', () => {
  it('a run whose process was killed with SIGKILL reads as interrupted at once, without a write; the next writer records it', async () => {
    const path = join(dir(), 'killed.fibrecon');
    createProject(path, { appVersion: 'test' }).close();
    const job = `
      import { openProject } from './src-main/project/open-project.ts';
      import { startRun } from './src-main/project/runs.ts';
      const p = openProject(process.argv[1], { write: true, purpose: 'a long job' });
      startRun(p.db, 'segment', { volume: 'grey' }, 'test');
      console.log('started');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', job, path], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((res, rej) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('started') && res());
      child.on('exit', () => rej(new Error(`the job ended before it started its run:\n${stderr}`)));
    });

    // While the job lives, its run is running.
    let r = openProject(path, { write: false });
    expect(listRuns(r.db).map((x) => x.status)).toEqual(['running']);
    expect(projectSummary(r, 'test').interruptedRuns).toBe(0);
    r.close();

    child.kill('SIGKILL');
    await new Promise((res) => child.on('exit', res));
    expect(child.signalCode).toBe('SIGKILL');
    const before = fileBytes(path);

    // At once, before any writer: readers in this process and the CLI say interrupted.
    r = openProject(path, { write: false });
    const runs = listRuns(r.db);
    expect(runs.map((x) => x.status)).toEqual(['interrupted']);
    expect(runs[0].log).toContain('Interrupted');
    expect(projectSummary(r, 'test').interruptedRuns).toBe(1);
    r.close();
    const info = await cli(['info', path, '--runs']);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain('Warning  1 step(s) were interrupted');
    expect(info.stdout).toMatch(/run 1: segment interrupted/);
    // ... and nothing was written to do so.
    expect(fileBytes(path)).toBe(before);
    expect(storedStatuses(path)).toEqual(['running']);
    expect(existsSync(lockPathFor(path))).toBe(true); // the killed job's lock is still there

    // The next writer takes the lock over and records the interruption in the file.
    openProject(path, { write: true }).close();
    expect(storedStatuses(path)).toEqual(['interrupted']);
    expect(existsSync(lockPathFor(path))).toBe(false);
  });

  it('a run of another computer counts as interrupted when the lock no longer names its process', () => {
    const path = join(dir(), 'shared.fibrecon');
    const p = createProject(path, { appVersion: 'test' });
    const id = startRun(p.db, 'reconstruct', {}, 'test');
    p.db.prepare("UPDATE run SET host = 'lab-workstation', pid = 4242 WHERE id = ?").run(id);
    p.close();
    // That computer still holds the lock: its run may well be going on.
    writeFileSync(lockPathFor(path), JSON.stringify({ pid: 4242, host: 'lab-workstation', since: 'now', purpose: 'reconstruct', token: '1111222233334444' }));
    let r = openProject(path, { write: false });
    expect(listRuns(r.db).map((x) => x.status)).toEqual(['running']);
    r.close();
    // Its lock is gone (or names another process): the run ended without being finished.
    writeFileSync(lockPathFor(path), JSON.stringify({ pid: 77, host: 'lab-workstation', since: 'later', purpose: 'import', token: '5555666677778888' }));
    r = openProject(path, { write: false });
    expect(listRuns(r.db).map((x) => x.status)).toEqual(['interrupted']);
    r.close();
    expect(hostname()).not.toBe('lab-workstation');
  });
});

describe('refusals write nothing', () => {
  it('a thickness table with a 5 MB bad line is refused: project bytes unchanged, a short message', async () => {
    const d = dir();
    const path = join(d, 'p.fibrecon');
    await projectWithVolume(path);
    const bad = join(d, 'thickness.csv');
    writeFileSync(bad, `slice,thickness_nm\n1,10.2\n2,${'9'.repeat(1000)}x${'7'.repeat(5_000_000)}\n3,9.8\n`);
    const before = fileBytes(path);
    const size = statSync(path).size;

    const r = await cli(['thickness', path, '--volume', 'grey', '--table', bad]);
    expect(r.code, r.stderr.slice(0, 2000)).toBe(1);
    expect(r.stderr.length).toBeLessThan(700);
    expect(r.stderr).toMatch(/\[invalid_input\]: thickness\.csv/);
    // The cell is shown by its first 40 characters; the message keeps what to do.
    expect(r.stderr).toMatch(/line 3: "9{40}…" is not a number: correct it[^\n]*\.\n?$/);

    expect(fileBytes(path)).toBe(before);
    expect(statSync(path).size).toBe(size);
    expect(storedStatuses(path)).toEqual([]);
    expect(existsSync(lockPathFor(path))).toBe(false);
  });

  it('a request refused after its run was recorded takes the record back; a failure of the work keeps it, with its message cut', async () => {
    const d = dir();
    const path = join(d, 'p.fibrecon');
    await projectWithVolume(path);

    await expect(
      runProjectStep(path, 'reconstruct', step, async ({ start }) => {
        start({ volume: 'grey' });
        throw new AppError('invalid_input', 'ML gap filling works on binary labels: segment the stack first.');
      }),
    ).rejects.toMatchObject({ tag: 'invalid_input' });
    expect(storedStatuses(path)).toEqual([]);

    // Refused, but only after it had stored something under its run: the record must stay.
    await expect(
      runProjectStep(path, 'import-volume', step, async ({ project, start }) => {
        const runId = start({ file: 'x.am' });
        insertVolume(project.db, { name: 'half', role: 'derived', kind: 'grey', dtype: 'uint8', shape: [1, 1, 1], voxelSizeNm: { x: 1, y: 1, z: 1 }, voxelSizeSource: { x: 'a', y: 'a', z: 'a' }, runId });
        throw new AppError('invalid_input', `x.am: ${'?'.repeat(100_000)}: choose another file.`);
      }),
    ).rejects.toMatchObject({ tag: 'invalid_input' });
    expect(storedStatuses(path)).toEqual(['failed']);

    await expect(
      runProjectStep(path, 'segment', step, async ({ start }) => {
        start({ volume: 'grey' });
        throw new Error(`out of memory ${'!'.repeat(20_000)}`);
      }),
    ).rejects.toThrow(/out of memory/);
    const r = openProject(path, { write: false });
    const runs = listRuns(r.db);
    r.close();
    expect(runs.map((x) => [x.step, x.status])).toEqual([
      ['import-volume', 'failed'],
      ['segment', 'failed'],
    ]);
    for (const run of runs) {
      expect(run.error?.message.length).toBeLessThanOrEqual(500);
      expect(run.error?.message).toMatch(/characters cut/);
    }
    expect(runs[0].error?.message).toMatch(/choose another file\.$/);
    expect(runs[1].error).toMatchObject({ tag: 'internal' });
  });
});
