// fibrecon check --deep: one bit flipped in a stored slice (by a separate SQLite
// connection) passes SQLite's integrity_check, so plain `check` still says ok;
// --deep names the slice and exits 1, and so does an export of that volume,
// writing nothing; other volumes still export exactly (read back by tifffile).
// An older project (schema before checksums) is checked without being changed.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID, migrate, MIGRATIONS } from '../../src-main/project/schema';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, insertVolume, sliceWriter } from '../../src-main/project/volume-store';
import { runPython, tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';
import { cli, cliOk } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir('fibrecon-cli-check-deep-')));
afterAll(() => cleanup());

/** The schema version just before slice checksums (what the previous fibrecon wrote). */
const BEFORE_CHECKSUMS = MIGRATIONS.find((m) => m.description.startsWith('CRC-32 of every stored slice blob'))!.version - 1;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Flips one bit in the middle of a stored slice blob, through a connection of its own (not fibrecon's code). */
function flipBit(path: string, volume: string, z: number): void {
  const db = new Database(path);
  try {
    const row = db.prepare('SELECT slice.rowid AS rid, data FROM slice JOIN volume ON volume.id = slice.volume_id WHERE volume.name = ? AND z_index = ?').get(volume, z) as { rid: number; data: Buffer };
    const data = Buffer.from(row.data);
    data[data.length >> 1] ^= 0x08;
    db.prepare('UPDATE slice SET data = ? WHERE rowid = ?').run(data, row.rid);
  } finally {
    db.close();
  }
}

interface DeepJson {
  path: string;
  sqlite: { ok: boolean; problems: string[] };
  deep: { ok: boolean; slices: number; damagedSlices: number; notChecksummedSlices: number; volumes: { volume: string; role: string; checksummed: number; notChecksummed: number[]; damaged: { z: number; damage: { kind: string } }[] }[] };
  ok: boolean;
}

describe('fibrecon check --deep and export of a damaged slice', () => {
  const [nz, ny, nx] = [5, 18, 16];
  const grey = makeSlices(nz, ny, nx, 'uint8', 5);
  const other = makeSlices(nz, ny, nx, 'uint16', 9);
  let project: string;

  beforeAll(async () => {
    const a = writeStackWithTifffile(join(root, 'grey.tif'), grey, ny, nx, { layout: 'multipage' })[0];
    const b = writeStackWithTifffile(join(root, 'other.tif'), other, ny, nx, { layout: 'multipage' })[0];
    project = join(root, 'p.fibrecon');
    await cliOk(['create', project]);
    await cliOk(['import', project, '--channel', `grey=${a}`, '--channel', `other=${b}`, '--pixel-size-nm', '5', '--slice-spacing-nm', '10']);
    await cliOk(['segment', project, '--volume', 'grey', '--method', 'otsu', '--out', 'seg']);
  });

  it('passes in full on an undamaged project', async () => {
    const before = sha(project);
    const text = await cliOk(['check', project, '--deep']);
    expect(text).toContain(`${project}: SQLite structure ok`);
    expect(text).toMatch(/^"grey" \(channel, 5 slices\): ok$/m);
    expect(text).toMatch(/^"seg" \(derived, 5 slices\): ok$/m);
    expect(text).toMatch(/^"other" \(channel, 5 slices\): ok$/m);
    expect(text).toContain(`${project}: ok (15 slices in 3 volumes checked)`);
    expect(sha(project)).toBe(before);
  });

  it('after one flipped bit: plain check still ok (structure only), --deep exits 1 naming the slice, the file unchanged', async () => {
    flipBit(project, 'grey', 3);
    const before = sha(project);

    const plain = await cli(['check', project]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.trim()).toBe(`${project}: ok`);
    expect(plain.stderr).toMatch(/SQLite structure only.*--deep/);

    const deep = await cli(['check', project, '--deep']);
    expect(deep.code, deep.stderr).toBe(1);
    expect(deep.stdout).toContain(`${project}: SQLite structure ok`);
    expect(deep.stdout).toMatch(/^"grey" \(channel, 5 slices\): 1 damaged slice\n {2}slice 3: its stored bytes no longer match the checksum written with them \(CRC-32 stored 0x[0-9a-f]{8}, now 0x[0-9a-f]{8}\)$/m);
    expect(deep.stdout).toMatch(/^"other" \(channel, 5 slices\): ok$/m);
    expect(deep.stdout).toMatch(/^"seg" \(derived, 5 slices\): ok$/m);
    expect(deep.stdout).toContain(`${project}: 1 damaged slice in "grey" (z 3). Reads of these slices fail instead of giving wrong voxels. Restore p.fibrecon from a backup, or re-import channel "grey".`);
    expect(deep.stderr).toMatch(/100% Checking "seg": slice 5 of 5/);

    const j = JSON.parse((await cli(['check', project, '--deep', '--json'])).stdout) as DeepJson;
    expect(j).toMatchObject({ ok: false, sqlite: { ok: true, problems: [] }, deep: { ok: false, slices: 15, damagedSlices: 1, notChecksummedSlices: 0 } });
    expect(j.deep.volumes.map((v) => v.checksummed)).toEqual([nz, nz, nz]);
    expect(j.deep.volumes.map((v) => [v.volume, v.damaged.map((d) => [d.z, d.damage.kind])])).toEqual([
      ['grey', [[3, 'checksum']]],
      ['other', []],
      ['seg', []],
    ]);
    expect(sha(project)).toBe(before);
  });

  it('export of the damaged volume exits 1 with the message and writes nothing; the others export exactly', async () => {
    // MetaImage: a set of two files (.mhd header, .raw data), neither may be left behind.
    const bad = await cli(['export', project, '--channel', 'grey', '--out', join(root, 'grey-out.mhd')]);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('[corrupt_file]');
    expect(bad.stderr).toContain('Slice 3 of "grey" in p.fibrecon is damaged');
    expect(bad.stderr).toContain('fibrecon check p.fibrecon --deep');
    expect(readdirSync(root).filter((n) => n.startsWith('grey-out'))).toEqual([]);

    const out = join(root, 'other-out.tif');
    await cliOk(['export', project, '--channel', 'other', '--out', out]);
    const read = runPython('import sys, tifffile, hashlib\na = tifffile.imread(sys.argv[1])\nprint(a.shape, a.dtype, hashlib.sha256(a.astype("<u2").tobytes()).hexdigest())', [out]).trim();
    const expected = createHash('sha256').update(Buffer.concat(other.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength)))).digest('hex');
    expect(read).toBe(`(${nz}, ${ny}, ${nx}) uint16 ${expected}`);
  });
});

describe('fibrecon check --deep on a project written before checksums', () => {
  it('reports its slices as not checksummed, decodes them, exits 0 and leaves the file as it was', async () => {
    const path = join(root, 'older.fibrecon');
    const slices = makeSlices(3, 6, 7, 'uint16', 11) as Uint16Array[];
    const db = new Database(path);
    db.pragma('page_size = 65536');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    migrate(db, BEFORE_CHECKSUMS);
    db.prepare("INSERT INTO meta VALUES ('name', 'older')").run();
    const id = insertVolume(db, { name: 'SE2', role: 'channel', kind: 'grey', dtype: 'uint16', shape: [3, 6, 7], voxelSizeNm: { x: 5, y: 5, z: 10 }, voxelSizeSource: { x: 'a', y: 'a', z: 'a' } });
    const write = sliceWriter(db, id);
    for (const [z, s] of slices.entries()) write(z, z * 10, await encodeSlice(s));
    finishVolume(db, id);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = sha(path);

    const text = await cliOk(['check', path, '--deep']);
    expect(text).toMatch(/^"SE2" \(channel, 3 slices\): ok; 3 slices not checksummed \(written by an older version\)$/m);
    expect(text).toContain(`${path}: ok (3 slices in 1 volume checked; 3 slices not checksummed (written by an older version)`);
    expect(sha(path)).toBe(before);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(BEFORE_CHECKSUMS);
    raw.close();
  });
});
