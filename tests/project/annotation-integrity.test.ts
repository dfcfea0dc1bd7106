// Annotation planes carry a CRC-32 (schema 6) like volume slices: the stored value
// equals Python's zlib.crc32 of the stored bytes; one bit flipped in a plane (by a
// separate SQLite connection, which passes SQLite's own integrity_check) makes its
// read an error that names the slice, never a wrong plane; a damaged plane kept for
// undo makes undo refuse without changing anything; `fibrecon check --deep` names
// both; planes of a schema-5 file read as before and are counted as not checksummed.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationVersion, getSliceAnnotation, listEdits, setSliceAnnotation, undoLast } from '../../src-main/project/annotation-store';
import { checkAnnotationPlanes } from '../../src-main/project/annotation-integrity';
import { createProject, integrityCheck, openProject } from '../../src-main/project/open-project';
import { APPLICATION_ID, migrate, MIGRATIONS } from '../../src-main/project/schema';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, insertVolume, sliceWriter } from '../../src-main/project/volume-store';
import { cli } from '../cli/run-cli';
import { runPython, tempDir } from '../helpers/python';

const [NZ, NY, NX] = [4, 24, 30];
let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir('fibrecon-annotation-crc-')));
afterAll(() => cleanup());

async function storeGrey(db: Database.Database): Promise<void> {
  const id = insertVolume(db, { name: 'grey', role: 'channel', kind: 'grey', dtype: 'uint8', shape: [NZ, NY, NX], voxelSizeNm: { x: 5, y: 5, z: 10 }, voxelSizeSource: { x: 't', y: 't', z: 't' } });
  const write = sliceWriter(db, id);
  for (let z = 0; z < NZ; z++) write(z, z * 10, await encodeSlice(Uint8Array.from({ length: NY * NX }, (_, i) => (i * 7 + z) & 0xff)));
  finishVolume(db, id);
}

/** A plane with a band of pore (1) and a band of solid (2), shifted by `k`. */
function plane(k: number): Uint8Array {
  return Uint8Array.from({ length: NY * NX }, (_, i) => {
    const y = Math.floor(i / NX);
    return y === 2 + k ? 1 : y === 10 + k ? 2 : 0;
  });
}

/** Flips one bit in the middle of a stored blob, through a connection of its own. */
function flipBit(path: string, sql: { select: string; update: string }, ...key: number[]): void {
  const db = new Database(path);
  try {
    const data = Buffer.from(db.prepare(sql.select).pluck().get(...key) as Buffer);
    data[data.length >> 1] ^= 0x10;
    db.prepare(sql.update).run(data, ...key);
  } finally {
    db.close();
  }
}
const CURRENT = { select: 'SELECT data FROM annotation_slice WHERE z_index = ?', update: 'UPDATE annotation_slice SET data = ? WHERE z_index = ?' };
const KEPT = { select: 'SELECT previous FROM annotation_edit_slice WHERE edit_id = ? AND z_index = ?', update: 'UPDATE annotation_edit_slice SET previous = ? WHERE edit_id = ? AND z_index = ?' };
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('annotation plane checksums', () => {
  let path: string;
  beforeAll(async () => {
    path = join(root, 'p.fibrecon');
    const p = createProject(path, { appVersion: 'test' });
    await storeGrey(p.db);
    setSliceAnnotation(p.db, 'grey', 1, plane(0));
    setSliceAnnotation(p.db, 'grey', 3, plane(1));
    setSliceAnnotation(p.db, 'grey', 1, plane(3)); // keeps plane(0) of slice 1 for undo
    p.close();
  });

  it('stores the CRC-32 of each plane as stored, current and kept for undo (Python zlib.crc32)', () => {
    const db = new Database(path, { readonly: true });
    const rows = [
      ...(db.prepare('SELECT data, crc32 FROM annotation_slice ORDER BY z_index').all() as { data: Buffer; crc32: number }[]),
      ...(db.prepare('SELECT previous AS data, previous_crc32 AS crc32 FROM annotation_edit_slice WHERE previous IS NOT NULL').all() as { data: Buffer; crc32: number }[]),
    ];
    db.close();
    expect(rows.length).toBe(3);
    const py = JSON.parse(runPython('import sys, json, zlib\nprint(json.dumps([zlib.crc32(bytes.fromhex(h)) for h in json.loads(sys.stdin.read())]))', [], JSON.stringify(rows.map((r) => r.data.toString('hex'))))) as number[];
    expect(rows.map((r) => r.crc32)).toEqual(py);
  });

  it('a flipped bit in a current plane: its read fails naming slice and volume, the other slice reads exactly; check --deep names it', async () => {
    const copy = join(root, 'current-damaged.fibrecon');
    const p0 = openProject(path, { write: false });
    await p0.db.backup(copy);
    p0.close();
    flipBit(copy, CURRENT, 3);
    const p = openProject(copy, { write: true });
    try {
      expect(integrityCheck(p.db)).toEqual([]); // SQLite sees nothing wrong
      expect(() => getSliceAnnotation(p.db, 'grey', 3)).toThrow(/The annotation of slice 3 of "grey" in current-damaged\.fibrecon is damaged: its stored bytes no longer match the checksum.*--clear/);
      expect(getSliceAnnotation(p.db, 'grey', 1)).toEqual(plane(3));
      // Painting over the damaged slice is refused too (its plane would be kept for undo unseen).
      const v = annotationVersion(p.db, 'grey');
      expect(() => setSliceAnnotation(p.db, 'grey', 3, plane(2))).toThrow(/slice 3 of "grey".*damaged/);
      expect(annotationVersion(p.db, 'grey')).toBe(v);
      const checks = checkAnnotationPlanes(p.db);
      expect(checks).toMatchObject([{ volume: 'grey', planes: 3, checksummed: 3, notChecksummed: 0, damaged: [{ z: 3, copy: { kept: 'current' }, damage: { kind: 'checksum' } }] }]);
    } finally {
      p.close();
    }
    const before = sha(copy);
    const r = await cli(['check', copy, '--deep']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/annotations of "grey" \(3 planes, current and kept for undo\): 1 damaged plane\n {2}slice 3: its stored bytes no longer match/);
    expect(r.stdout).toMatch(/1 damaged annotation plane of "grey" \(z 3\).*clear the annotations of "grey"/);
    expect(sha(copy)).toBe(before);
  });

  it('a flipped bit in a plane kept for undo: undo refuses and changes nothing; check --deep names the edit', async () => {
    const copy = join(root, 'kept-damaged.fibrecon');
    const p0 = openProject(path, { write: false });
    await p0.db.backup(copy);
    const lastEdit = listEdits(p0.db, 'grey').at(-1)!.id;
    p0.close();
    flipBit(copy, KEPT, lastEdit, 1);
    const p = openProject(copy, { write: true });
    try {
      const v = annotationVersion(p.db, 'grey');
      expect(() => undoLast(p.db, 'grey')).toThrow(new RegExp(`annotation kept by edit #${lastEdit} for undo of slice 1 of "grey".*damaged`));
      expect(annotationVersion(p.db, 'grey')).toBe(v);
      expect(getSliceAnnotation(p.db, 'grey', 1)).toEqual(plane(3));
    } finally {
      p.close();
    }
    const r = await cli(['check', copy, '--deep', '--json']);
    expect(r.code).toBe(1);
    const deep = (JSON.parse(r.stdout) as { deep: { ok: boolean; damagedPlanes: number; annotations: { damaged: { z: number; copy: unknown }[] }[] } }).deep;
    expect(deep).toMatchObject({ ok: false, damagedPlanes: 1, annotations: [{ damaged: [{ z: 1, copy: { kept: 'undo', editId: lastEdit } }] }] });
  });

  it('an undamaged project passes check --deep, naming the planes it checked', async () => {
    const r = await cli(['check', path, '--deep']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/annotations of "grey" \(3 planes, current and kept for undo\): ok/);
    expect(r.stdout).toMatch(/ok \(4 slices in 1 volume, 3 annotation planes checked\)/);
  });
});

describe('annotations written before plane checksums', () => {
  const BEFORE = MIGRATIONS.find((m) => m.description.startsWith('CRC-32 of every stored annotation plane'))!.version - 1;

  it('read as before, counted as not checksummed; new planes after the upgrade carry checksums, undo back to an old plane works', async () => {
    const path = join(root, 'old.fibrecon');
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    expect(migrate(db, BEFORE)).toBe(BEFORE);
    await storeGrey(db);
    db.close();
    // Annotate with this version's code on a schema-BEFORE file: simulate the old writer by clearing the new columns afterwards.
    const p = openProject(path, { write: true });
    setSliceAnnotation(p.db, 'grey', 2, plane(0));
    p.db.exec('UPDATE annotation_slice SET crc32 = NULL');
    expect(getSliceAnnotation(p.db, 'grey', 2)).toEqual(plane(0));
    expect(checkAnnotationPlanes(p.db)).toMatchObject([{ planes: 1, checksummed: 0, notChecksummed: 1, damaged: [] }]);
    setSliceAnnotation(p.db, 'grey', 2, plane(2));
    // The old plane is kept for undo as it was (no checksum: one made now would vouch for bytes nobody checked); the new one has one.
    expect(checkAnnotationPlanes(p.db)).toMatchObject([{ planes: 2, checksummed: 1, notChecksummed: 1, damaged: [] }]);
    undoLast(p.db, 'grey');
    expect(getSliceAnnotation(p.db, 'grey', 2)).toEqual(plane(0));
    expect(p.db.prepare('SELECT crc32 FROM annotation_slice WHERE z_index = 2').pluck().get()).toBeNull();
    p.close();
  });
});
