import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, integrityCheck, openProject } from '../../src-main/project/open-project';
import { lockPathFor } from '../../src-main/project/project-lock';
import { finishRun, listRuns, startRun } from '../../src-main/project/runs';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from '../../src-main/project/schema';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, getVolume, insertVolume, readSlice, sliceWriter } from '../../src-main/project/volume-store';
import { tempDir } from '../helpers/python';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('project file', () => {
  it('is created with our application id, the current schema and WAL, and reopens', () => {
    const path = join(dir(), 'a.fibrecon');
    const p = createProject(path, { name: 'Sample A', appVersion: 'test' });
    expect(p.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(p.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(p.db.pragma('journal_mode', { simple: true })).toBe('wal');
    p.close();
    expect(existsSync(lockPathFor(path))).toBe(false);
    const r = openProject(path, { write: false });
    expect(r.db.prepare("SELECT value FROM meta WHERE key = 'name'").pluck().get()).toBe('Sample A');
    expect(integrityCheck(r.db)).toEqual([]);
    r.close();
  });

  it('refuses to create over an existing file', () => {
    const path = join(dir(), 'x.fibrecon');
    writeFileSync(path, 'hello');
    expect(() => createProject(path, { appVersion: 't' })).toThrow(expect.objectContaining({ tag: 'invalid_input' }));
  });

  it('says clearly when a file is not a project, missing, or from a newer version', () => {
    const d = dir();
    const text = join(d, 'notes.fibrecon');
    writeFileSync(text, 'this is not a database at all, just some text that is long enough');
    expect(() => openProject(text, { write: true })).toThrow(expect.objectContaining({ tag: 'not_a_project', message: expect.stringContaining('notes.fibrecon') }));
    expect(existsSync(lockPathFor(text))).toBe(false);

    const other = join(d, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => openProject(other, { write: false })).toThrow(expect.objectContaining({ tag: 'not_a_project' }));

    expect(() => openProject(join(d, 'missing.fibrecon'), { write: false })).toThrow(expect.objectContaining({ tag: 'file_not_found' }));
    expect(() => openProject(d, { write: false })).toThrow(expect.objectContaining({ tag: 'not_a_project' }));

    const newer = join(d, 'newer.fibrecon');
    createProject(newer, { appVersion: 't' }).close();
    const raw = new Database(newer);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    for (const write of [true, false]) {
      expect(() => openProject(newer, { write })).toThrow(expect.objectContaining({ tag: 'newer_project_version', message: expect.stringContaining('Update fibrecon') }));
    }
    // The newer file was not touched.
    const check = new Database(newer, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    check.close();
  });

  it('migrates a project of the first schema version forward, keeping its data', async () => {
    const path = join(dir(), 'v1.fibrecon');
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    expect(migrate(db, 1)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'thickness_table'").get()).toBeUndefined();
    db.prepare("INSERT INTO meta VALUES ('name', 'old sample')").run();
    const volumeId = insertVolume(db, {
      name: 'SE2',
      role: 'channel',
      kind: 'grey',
      dtype: 'uint16',
      shape: [2, 3, 4],
      voxelSizeNm: { x: 5, y: 5, z: 10 },
      voxelSizeSource: { x: 'a', y: 'b', z: 'c' },
    });
    const write = sliceWriter(db, volumeId);
    const slices = [Uint16Array.from({ length: 12 }, (_, i) => i * 1000), Uint16Array.from({ length: 12 }, (_, i) => 65535 - i)];
    for (const [z, s] of slices.entries()) write(z, z * 10, await encodeSlice(s));
    finishVolume(db, volumeId);
    db.close();

    const p = openProject(path, { write: true });
    expect(p.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = p.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['thickness_table', 'thickness_value', 'metric']));
    const cols = (p.db.prepare('PRAGMA table_info(run)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['model_name', 'model_version', 'execution_provider']));
    const v = getVolume(p.db, 'SE2');
    expect(v.shape).toEqual([2, 3, 4]);
    expect(v.rawBytes).toBe(48);
    expect([...(await readSlice(p.db, v, 1))]).toEqual([...slices[1]]);
    expect(integrityCheck(p.db)).toEqual([]);
    p.close();
  });

  it('opening an older project read-only leaves it at its version (the first write upgrades it)', () => {
    const path = join(dir(), 'v1b.fibrecon');
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db, 1);
    db.close();
    const p = openProject(path, { write: false });
    expect(p.schemaVersion).toBe(1);
    expect(p.db.pragma('user_version', { simple: true })).toBe(1);
    p.close();
    const w = openProject(path, { write: true });
    expect(w.schemaVersion).toBe(SCHEMA_VERSION);
    w.close();
  });

  it('lets one process write: a second process gets a clear message; a dead owner’s lock is taken over', async () => {
    const path = join(dir(), 'locked.fibrecon');
    createProject(path, { appVersion: 't' }).close();
    const p = openProject(path, { write: true });
    const probe = `
      import { openProject } from './src-main/project/open-project.ts';
      try { openProject(process.argv[1], { write: true }); console.log('opened'); }
      catch (e) { console.log(JSON.stringify({ tag: e.tag, message: e.message })); }`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe, path], { encoding: 'utf8' });
    const answer = JSON.parse(out.trim());
    expect(answer.tag).toBe('project_locked');
    expect(answer.message).toContain(`pid ${process.pid}`);
    // Read-only access still works while someone writes.
    const reader = openProject(path, { write: false });
    reader.close();
    p.close();

    // A lock left by a process that no longer exists.
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((res) => dead.on('exit', () => res(dead.pid as number)));
    writeFileSync(lockPathFor(path), JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), since: 'earlier', purpose: 'import' }));
    const again = openProject(path, { write: true });
    again.close();
    expect(existsSync(lockPathFor(path))).toBe(false);
  });

  it('marks runs left running by a dead process as interrupted on the next write open', () => {
    const path = join(dir(), 'runs.fibrecon');
    const p = createProject(path, { appVersion: 't' });
    const done = startRun(p.db, 'import', { a: 1 }, 't');
    finishRun(p.db, done, 'done');
    const orphan = startRun(p.db, 'import', { a: 2 }, 't');
    p.db.prepare('UPDATE run SET pid = 999999999 WHERE id = ?').run(orphan);
    const mine = startRun(p.db, 'import', { a: 3 }, 't');
    p.close();
    const q = openProject(path, { write: true });
    const runs = listRuns(q.db);
    expect(runs.map((r) => r.status)).toEqual(['done', 'interrupted', 'running']);
    expect(runs[1].log).toContain('Interrupted');
    expect(runs[2].id).toBe(mine);
    q.close();
  });
});
