// Read-only opens (info, check, export, ...) never write the project file: an
// older project is read as it is (the first change upgrades it), and a reader
// next to a working writer leaves the file's bytes alone.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, integrityCheck, openProject } from '../../src-main/project/open-project';
import { lockPathFor } from '../../src-main/project/project-lock';
import { listRuns } from '../../src-main/project/runs';
import { APPLICATION_ID, migrate, MIGRATIONS, type Migration, SCHEMA_VERSION } from '../../src-main/project/schema';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, getVolume, insertVolume, readSlice, sliceWriter } from '../../src-main/project/volume-store';
import { tempDir } from '../helpers/python';
import { cli } from '../cli/run-cli';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const walBytes = (path: string) => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

function rawUserVersion(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

const slices = [Uint16Array.from({ length: 12 }, (_, i) => i * 1000), Uint16Array.from({ length: 12 }, (_, i) => 65535 - i)];

/** A project as the first fibrecon wrote it: schema 1 only, WAL, one channel and one finished run. */
async function schemaOneProject(path: string): Promise<void> {
  const db = new Database(path);
  db.pragma('page_size = 65536');
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma('journal_mode = WAL');
  expect(migrate(db, 1)).toBe(1);
  db.prepare("INSERT INTO meta VALUES ('name', 'old sample'), ('created_at', '2024-05-01T10:00:00.000Z')").run();
  const runId = Number(
    db
      .prepare("INSERT INTO run (step, params_json, software_version, started_at, finished_at, duration_s, status, host, pid) VALUES ('import', '{}', '0.0.1', '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:02.000Z', 2, 'done', 'old-host', 1)")
      .run().lastInsertRowid,
  );
  const id = insertVolume(db, { name: 'SE2', role: 'channel', kind: 'grey', dtype: 'uint16', shape: [2, 3, 4], voxelSizeNm: { x: 5, y: 5, z: 10 }, voxelSizeSource: { x: 'a', y: 'b', z: 'c' }, runId });
  const write = sliceWriter(db, id);
  for (const [z, s] of slices.entries()) write(z, z * 10, await encodeSlice(s));
  finishVolume(db, id);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

describe('read-only opens', () => {
  it('info, info --runs and check read a schema-1 project without changing a byte; the summary says the first change will upgrade it', async () => {
    const path = join(dir(), 'old.fibrecon');
    await schemaOneProject(path);
    const before = sha(path);

    const text = await cli(['info', path]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Project  old sample');
    expect(text.stdout).toContain(`this project was written by an older version of fibrecon (schema 1; this one writes ${SCHEMA_VERSION}); the first change will upgrade it`);
    expect(text.stdout).toContain('SE2: 2 slices x 3 rows x 4 columns, uint16');

    const json = await cli(['info', path, '--runs', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const s = JSON.parse(json.stdout);
    expect(s.schemaVersion).toBe(1);
    expect(s.runs).toMatchObject([{ step: 'import', status: 'done', modelName: null, executionProvider: null }]);

    const check = await cli(['check', path]);
    expect(check.code, check.stderr).toBe(0);

    // In this process too: the tables and columns of later schemas read as empty / NULL.
    const p = openProject(path, { write: false });
    expect(p.schemaVersion).toBe(1);
    expect(p.db.prepare('SELECT COUNT(*) FROM metric').pluck().get()).toBe(0);
    expect(p.db.prepare('SELECT COUNT(*) FROM thickness_table').pluck().get()).toBe(0);
    expect(listRuns(p.db)[0].modelName).toBeNull();
    expect([...(await readSlice(p.db, getVolume(p.db, 'SE2'), 1))]).toEqual([...slices[1]]);
    p.close();

    expect(sha(path)).toBe(before);
    expect(rawUserVersion(path)).toBe(1);
    expect(walBytes(path)).toBe(0); // SQLite may leave the empty -wal/-shm pair a WAL reader needs; never data
    expect(existsSync(lockPathFor(path))).toBe(false);

    // The first write upgrades it, keeping the data.
    const w = openProject(path, { write: true });
    expect(w.schemaVersion).toBe(SCHEMA_VERSION);
    expect(getVolume(w.db, 'SE2').shape).toEqual([2, 3, 4]);
    expect(integrityCheck(w.db)).toEqual([]);
    w.close();
    expect(rawUserVersion(path)).toBe(SCHEMA_VERSION);
  });

  it('says so, and changes nothing, when a later migration changed existing data (only an upgrade can read it)', async () => {
    const path = join(dir(), 'old.fibrecon');
    await schemaOneProject(path);
    const before = sha(path);
    const second = MIGRATIONS[1] as Migration;
    second.changesExistingData = true;
    try {
      expect(() => openProject(path, { write: false })).toThrow(
        expect.objectContaining({ tag: 'invalid_input', message: expect.stringMatching(/older fibrecon \(project schema 1\) and cannot be read without upgrading it.*Open it for writing once/) }),
      );
    } finally {
      delete second.changesExistingData;
    }
    expect(sha(path)).toBe(before);
    expect(rawUserVersion(path)).toBe(1);
  });

  it('a reader beside a writer with uncheckpointed changes reads them and leaves the file and its WAL as they are', async () => {
    const path = join(dir(), 'busy.fibrecon');
    const w = createProject(path, { name: 'first name', appVersion: 'test' });
    w.db.prepare("UPDATE meta SET value = 'second name' WHERE key = 'name'").run(); // committed, still in the WAL
    const main = sha(path);
    const wal = sha(`${path}-wal`);

    const r = await cli(['info', path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).name).toBe('second name');
    const q = openProject(path, { write: false });
    expect(q.db.prepare("SELECT value FROM meta WHERE key = 'name'").pluck().get()).toBe('second name');
    q.close();

    expect(sha(path)).toBe(main);
    expect(sha(`${path}-wal`)).toBe(wal);
    w.close();
  });
});
