// Slice checksums: every stored slice blob carries the CRC-32 of its bytes
// (checked against Python's zlib.crc32); a bit flipped in a stored blob (by a
// separate SQLite connection, as damage would) makes the read of that slice fail
// with an error naming the project, the volume and the slice, never wrong voxels;
// slices written before checksums read as before and are reported as such.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStoredSlices } from '../../src-main/project/deep-check';
import { createProject, openProject } from '../../src-main/project/open-project';
import { saveDerivedVolume } from '../../src-main/project/save-volume';
import { APPLICATION_ID, migrate, MIGRATIONS, SCHEMA_VERSION } from '../../src-main/project/schema';
import { sliceChecksum } from '../../src-main/project/slice-checksum';
import { decodeSlice, encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, getVolume, insertVolume, readSlice, sliceWriter } from '../../src-main/project/volume-store';
import { makeSlices } from '../helpers/stacks';
import { runPython, tempDir } from '../helpers/python';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir('fibrecon-slice-checksum-')));
afterAll(() => cleanup());

const [nz, ny, nx] = [5, 24, 20];
/** The schema version just before slice checksums (what the previous fibrecon wrote). */
const BEFORE_CHECKSUMS = MIGRATIONS.find((m) => m.description.startsWith('CRC-32 of every stored slice blob'))!.version - 1;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** zlib.crc32 of each hex-encoded blob, computed by Python (an independent implementation of the checksum). */
function pythonCrc32(blobs: Uint8Array[]): number[] {
  const out = runPython('import sys, json, zlib\nprint(json.dumps([zlib.crc32(bytes.fromhex(h)) for h in json.load(sys.stdin)]))', [], JSON.stringify(blobs.map((b) => Buffer.from(b).toString('hex'))));
  return JSON.parse(out) as number[];
}

function storedRows(path: string, volume: string): { z_index: number; data: Buffer; crc32: number | null }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT z_index, data, crc32 FROM slice JOIN volume ON volume.id = slice.volume_id WHERE volume.name = ? ORDER BY z_index').all(volume) as { z_index: number; data: Buffer; crc32: number | null }[];
  } finally {
    db.close();
  }
}

/** Damage as a disk or a copy would do it: one bit of one stored blob flipped, through a connection of its own. */
function flipBit(path: string, volume: string, z: number, byte: number, bit: number): void {
  const db = new Database(path);
  try {
    const row = db.prepare('SELECT slice.rowid AS rid, data FROM slice JOIN volume ON volume.id = slice.volume_id WHERE volume.name = ? AND z_index = ?').get(volume, z) as { rid: number; data: Buffer };
    const data = Buffer.from(row.data);
    data[byte] ^= 1 << bit;
    db.prepare('UPDATE slice SET data = ? WHERE rowid = ?').run(data, row.rid);
  } finally {
    db.close();
  }
}

describe('slice checksums', () => {
  const grey = makeSlices(nz, ny, nx, 'uint16', 7) as Uint16Array[];
  const labels = makeSlices(nz, ny, nx, 'uint8', 3).map((s) => s.map((v) => v & 1)) as Uint8Array[];
  let path: string;

  beforeAll(async () => {
    path = join(root, 'checked.fibrecon');
    const p = createProject(path, { appVersion: 'test' });
    const id = insertVolume(p.db, { name: 'SE2', role: 'channel', kind: 'grey', dtype: 'uint16', shape: [nz, ny, nx], voxelSizeNm: { x: 5, y: 5, z: 10 }, voxelSizeSource: { x: 'a', y: 'a', z: 'a' } });
    const write = sliceWriter(p.db, id);
    for (const [z, s] of grey.entries()) write(z, z * 10, await encodeSlice(s));
    finishVolume(p.db, id);
    await saveDerivedVolume(p.db, { shape: [nz, ny, nx], dtype: 'uint8', voxelSizeNm: { x: 5, y: 5, z: 10 }, zPositionsNm: grey.map((_, z) => z * 10), slices: labels }, { name: 'labels', kind: 'labels', voxelSizeSource: { x: 'a', y: 'a', z: 'a' } });
    p.close();
  });

  it('stores with every slice the CRC-32 of its blob, equal to Python zlib.crc32 of the stored bytes', () => {
    for (const name of ['SE2', 'labels']) {
      const rows = storedRows(path, name);
      expect(rows.map((r) => r.z_index)).toEqual([0, 1, 2, 3, 4]);
      expect(rows.map((r) => r.crc32)).toEqual(pythonCrc32(rows.map((r) => r.data)));
      expect(rows.map((r) => sliceChecksum(r.data))).toEqual(rows.map((r) => r.crc32));
    }
  });

  it('a flipped bit makes that slice fail with corrupt_file naming project, volume and slice; the rest read exactly', async () => {
    const rows = storedRows(path, 'SE2');
    // Random 16-bit pixels: both byte planes are stored raw (12 header bytes, then the low bytes).
    // A flip there decodes without any codec error, to wrong voxels: the damage only a checksum sees.
    const byte = 12 + 150;
    const flipped = Buffer.from(rows[2].data);
    flipped[byte] ^= 1 << 4;
    const silently = (await decodeSlice(flipped, 'uint16', ny * nx)) as Uint16Array;
    const wrong = silently.reduce((n, v, i) => n + (v !== grey[2][i] ? 1 : 0), 0);
    expect(wrong).toBeGreaterThan(0);

    flipBit(path, 'SE2', 2, byte, 4);
    const p = openProject(path, { write: false });
    try {
      const v = getVolume(p.db, 'SE2');
      const err = await readSlice(p.db, v, 2).then(
        () => null,
        (e) => e,
      );
      expect(err).toMatchObject({ tag: 'corrupt_file', file: path });
      expect(err.message).toContain('Slice 2 of "SE2" in checked.fibrecon is damaged');
      expect(err.message).toMatch(/checksum/);
      expect(err.message).toMatch(/backup/);
      expect(err.message).toMatch(/re-import the channel/);
      expect(err.message).toContain('fibrecon check checked.fibrecon --deep');
      expect(err.toValue().message).toBe(err.message); // whole, under the length at which messages are cut
      for (const z of [0, 1, 3, 4]) expect([...(await readSlice(p.db, v, z))]).toEqual([...grey[z]]);
      const lv = getVolume(p.db, 'labels');
      for (let z = 0; z < nz; z++) expect([...(await readSlice(p.db, lv, z))]).toEqual([...labels[z]]);

      const report = await checkStoredSlices(p.db);
      expect(report.ok).toBe(false);
      expect(report.slices).toBe(2 * nz);
      expect(report.damagedSlices).toBe(1);
      const se2 = report.volumes.find((c) => c.volume === 'SE2')!;
      expect(se2.damaged.map((d) => [d.z, d.damage.kind])).toEqual([[2, 'checksum']]);
      expect(se2.checksummed).toBe(nz);
      expect(report.volumes.find((c) => c.volume === 'labels')).toMatchObject({ damaged: [], checksummed: nz, notChecksummed: [] });
      // Ctrl-C: the deep check stops between slices.
      const ac = new AbortController();
      let seen = 0;
      const cancelled = checkStoredSlices(p.db, { signal: ac.signal, onProgress: () => (++seen === 1 ? ac.abort() : undefined) });
      await expect(cancelled).rejects.toMatchObject({ tag: 'cancelled' });
      expect(seen).toBe(1);
    } finally {
      p.close();
    }
  });

  it('a blob that fails to decode (even with a matching checksum) and a missing slice are the same clear error', async () => {
    // Format byte changed and the checksum recomputed by Python, as a buggy writer might have left it.
    const db = new Database(path);
    const row = db.prepare("SELECT slice.rowid AS rid, data FROM slice JOIN volume ON volume.id = slice.volume_id WHERE name = 'labels' AND z_index = 1").get() as { rid: number; data: Buffer };
    const bad = Buffer.from(row.data);
    bad[0] = 9;
    db.prepare('UPDATE slice SET data = ?, crc32 = ? WHERE rowid = ?').run(bad, pythonCrc32([bad])[0], row.rid);
    db.prepare("DELETE FROM slice WHERE z_index = 3 AND volume_id = (SELECT id FROM volume WHERE name = 'labels')").run();
    db.close();

    const p = openProject(path, { write: false });
    try {
      const v = getVolume(p.db, 'labels');
      await expect(readSlice(p.db, v, 1)).rejects.toMatchObject({ tag: 'corrupt_file', message: expect.stringMatching(/^Slice 1 of "labels" in checked\.fibrecon is damaged: it cannot be decoded \(unknown format byte 9\).*re-run the step that made "labels".*--deep/) });
      await expect(readSlice(p.db, v, 3)).rejects.toMatchObject({ tag: 'corrupt_file', message: expect.stringMatching(/^Slice 3 of "labels" in checked\.fibrecon is damaged: it is missing from the project file/) });
      const report = await checkStoredSlices(p.db);
      expect(report.volumes.find((c) => c.volume === 'labels')!.damaged.map((d) => [d.z, d.damage.kind])).toEqual([
        [1, 'undecodable'],
        [3, 'missing'],
      ]);
      expect(report.damagedSlices).toBe(3);
    } finally {
      p.close();
    }
  });
});

describe('a project written before checksums', () => {
  const slices = makeSlices(3, 6, 7, 'uint16', 11) as Uint16Array[];
  let path: string;

  beforeAll(async () => {
    path = join(root, 'older.fibrecon');
    const db = new Database(path);
    db.pragma('page_size = 65536');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    expect(migrate(db, BEFORE_CHECKSUMS)).toBe(BEFORE_CHECKSUMS);
    expect(db.prepare("SELECT COUNT(*) FROM pragma_table_info('slice') WHERE name = 'crc32'").pluck().get()).toBe(0);
    db.prepare("INSERT INTO meta VALUES ('name', 'older')").run();
    const id = insertVolume(db, { name: 'SE2', role: 'channel', kind: 'grey', dtype: 'uint16', shape: [3, 6, 7], voxelSizeNm: { x: 5, y: 5, z: 10 }, voxelSizeSource: { x: 'a', y: 'a', z: 'a' } });
    const write = sliceWriter(db, id);
    for (const [z, s] of slices.entries()) write(z, z * 10, await encodeSlice(s));
    finishVolume(db, id);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  });

  it('reads read-only as before, unchanged, and the deep check reports its slices as not checksummed', async () => {
    const before = sha(path);
    const p = openProject(path, { write: false });
    try {
      expect(p.schemaVersion).toBe(BEFORE_CHECKSUMS);
      const v = getVolume(p.db, 'SE2');
      for (let z = 0; z < 3; z++) expect([...(await readSlice(p.db, v, z))]).toEqual([...slices[z]]);
      const report = await checkStoredSlices(p.db);
      expect(report).toMatchObject({ ok: true, slices: 3, damagedSlices: 0, notChecksummedSlices: 3 });
      expect(report.volumes[0]).toMatchObject({ volume: 'SE2', checksummed: 0, notChecksummed: [0, 1, 2], damaged: [] });
    } finally {
      p.close();
    }
    expect(sha(path)).toBe(before);
  });

  it('after the upgrade its old slices still read (no checksum), and slices written then carry one', async () => {
    const p = openProject(path, { write: true });
    try {
      expect(p.schemaVersion).toBe(SCHEMA_VERSION);
      const v = getVolume(p.db, 'SE2');
      expect([...(await readSlice(p.db, v, 1))]).toEqual([...slices[1]]);
      await saveDerivedVolume(p.db, { shape: [3, 6, 7], dtype: 'uint16', voxelSizeNm: v.voxelSizeNm, zPositionsNm: v.zPositionsNm, slices }, { name: 'copy', kind: 'grey', voxelSizeSource: v.voxelSizeSource });
      const report = await checkStoredSlices(p.db);
      expect(report.volumes.map((c) => [c.volume, c.checksummed, c.notChecksummed.length])).toEqual([
        ['SE2', 0, 3],
        ['copy', 3, 0],
      ]);
    } finally {
      p.close();
    }
    const rows = storedRows(path, 'copy');
    expect(rows.map((r) => r.crc32)).toEqual(pythonCrc32(rows.map((r) => r.data)));
  });
});
