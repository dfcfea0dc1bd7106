// Every change to a volume's annotations is one edit: a row in annotation_edit
// (who, when, which tool, which slices) plus, per changed slice, the blob it had
// before (NULL: it had no annotation). Undo puts those blobs back, so it restores
// exactly the earlier state. The set's version becomes the edit's id, so it
// grows with every edit and undo and never repeats in a project.
import type { Database } from 'better-sqlite3';
import { userInfo } from 'node:os';
import type { AnnotationCounts } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { type AnnotationSet, type AnnotationTarget, allowedValues, describeClasses, ensureAnnotationSet, listAnnotationClasses } from './annotation-binding';
import type { StoredVolume } from './volume-store';
import { ANNOTATION_CODEC, encodeLabelPlane } from './annotation-codec';
import { decodeVerifiedPlane } from './annotation-integrity';
import { sliceChecksum } from './slice-checksum';

export type AnnotationTool = 'brush' | 'eraser' | 'fill' | 'rect' | 'pixels' | 'slice' | 'import' | 'replace' | 'clear' | 'undo';

export interface EditSpec {
  tool: AnnotationTool;
  /** Who made the edit; default the OS user name. */
  author?: string;
  detail?: Record<string, unknown>;
}

export interface EditOutcome {
  volume: string;
  /** The version after the edit; unchanged when nothing changed (no edit is recorded then). */
  version: number;
  editId: number | null;
  /** Slices changed, z ascending. */
  slices: number[];
  changedPixels: number;
}

/** The OS user name (the author of edits made without one). */
export function defaultAuthor(): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    /* no passwd entry (containers): fall back to the environment */
  }
  return process.env.USER ?? process.env.USERNAME ?? 'unknown';
}

function checkCodec(set: AnnotationSet): void {
  if (set.codec !== ANNOTATION_CODEC) {
    throw new AppError('newer_project_version', `The annotations of "${set.volumeName}" are stored with codec ${set.codec}, which this fibrecon does not know. Update fibrecon.`);
  }
}

/** A stored plane decoded; for reads that must also work on stale sets (export). */
export function readStoredPlane(db: Database, set: AnnotationSet, z: number): Uint8Array | null {
  checkCodec(set);
  const row = db.prepare('SELECT data, crc32 FROM annotation_slice WHERE set_id = ? AND z_index = ?').get(set.id, z) as { data: Buffer; crc32: number | null } | undefined;
  return row ? decodeVerifiedPlane(db, set.volumeName, z, { kept: 'current' }, row.data, row.crc32, set.shape[1] * set.shape[2]) : null;
}

interface StoredSlice {
  /** The stored row; undefined when the slice has no annotation. */
  row: { data: Buffer; counts_json: string; crc32: number | null } | undefined;
  plane: Uint8Array | null;
}

/** One open edit: put() replaces slices' planes; the caller's transaction holds it together. */
export class AnnotationEditSession {
  private set: AnnotationSet | null;
  private editId: number | null = null;
  private readonly touched = new Set<number>();
  /** Slices as stored now (decoded once per edit, updated by put). */
  private readonly stored = new Map<number, StoredSlice>();
  private changed = 0;
  private readonly allowed: Uint8Array;
  readonly sliceLength: number;

  constructor(
    private readonly db: Database,
    private readonly target: AnnotationTarget & { volume: StoredVolume },
    private readonly spec: EditSpec,
  ) {
    this.set = target.set;
    if (this.set) checkCodec(this.set);
    this.allowed = allowedValues(db);
    this.sliceLength = target.volume.shape[1] * target.volume.shape[2];
  }

  private checkZ(z: number): void {
    const nz = this.target.volume.shape[0];
    if (!Number.isInteger(z) || z < 0 || z >= nz) throw new AppError('invalid_input', `Slice ${z} does not exist in "${this.target.name}": it has slices 0 to ${nz - 1}.`);
  }

  private zeroPlane: Uint8Array | null = null;
  private zeros(): Uint8Array {
    return (this.zeroPlane ??= new Uint8Array(this.sliceLength));
  }

  private load(z: number): StoredSlice {
    let s = this.stored.get(z);
    if (!s) {
      const row = this.set
        ? (this.db.prepare('SELECT data, counts_json, crc32 FROM annotation_slice WHERE set_id = ? AND z_index = ?').get(this.set.id, z) as StoredSlice['row'])
        : undefined;
      // A damaged stored plane stops the edit (it would be kept for undo, or painted over unseen).
      s = { row, plane: row ? decodeVerifiedPlane(this.db, this.target.name, z, { kept: 'current' }, row.data, row.crc32, this.sliceLength) : null };
      this.stored.set(z, s);
    }
    return s;
  }

  /** Slice z's plane as stored now (a copy to change and put back), zeros when it has no annotation. */
  plane(z: number): Uint8Array {
    this.checkZ(z);
    const s = this.load(z);
    return s.plane ? s.plane.slice() : new Uint8Array(this.sliceLength);
  }

  /** Slice z's annotated pixels per class as stored now. */
  counts(z: number): AnnotationCounts {
    this.checkZ(z);
    const row = this.load(z).row;
    return row ? (JSON.parse(row.counts_json) as AnnotationCounts) : {};
  }

  /**
   * Replaces slice z's annotation with `plane` (null or all zeros: none; the
   * session keeps the array: do not change it afterwards). `within`: the caller
   * promises that the plane differs from the stored one only inside this
   * rectangle (a stroke's box), so only it is compared and counted. Returns the
   * pixels changed.
   */
  put(z: number, plane: Uint8Array | null, within?: { x: number; y: number; width: number; height: number }): number {
    this.checkZ(z);
    if (plane && plane.length !== this.sliceLength) throw new AppError('invalid_input', `An annotation plane of "${this.target.name}" must have ${this.sliceLength} pixels, got ${plane.length}.`);
    const cur = this.load(z);
    const old = cur.plane;
    const nx = this.target.volume.shape[2];
    const ny = this.target.volume.shape[1];
    const box = plane && within ? within : { x: 0, y: 0, width: nx, height: ny };
    const whole = box.x <= 0 && box.y <= 0 && box.width >= nx && box.height >= ny;
    // One pass over the box: values per class (to check and to count) and pixels changed.
    const now = new Float64Array(256);
    const before = new Float64Array(256);
    let diff = 0;
    const next = plane ?? this.zeros();
    const prev = old ?? this.zeros();
    for (let y = Math.max(0, box.y); y < Math.min(ny, box.y + box.height); y++) {
      const from = y * nx + Math.max(0, box.x);
      const to = y * nx + Math.min(nx, box.x + box.width);
      for (let i = from; i < to; i++) {
        const v = next[i];
        const o = prev[i];
        now[v]++;
        before[o]++;
        if (v !== o) diff++;
      }
    }
    for (let v = 1; v < 256; v++) {
      if (now[v] > 0 && !this.allowed[v]) throw new AppError('invalid_input', `Annotation value ${v} is not a class (${describeClasses(listAnnotationClasses(this.db))}).`);
    }
    if (diff === 0) return 0;
    // Counts after: the box's own when it is the whole plane, else the stored counts with the box's change.
    const counts: AnnotationCounts = {};
    const stored = whole || !cur.row ? {} : (JSON.parse(cur.row.counts_json) as AnnotationCounts);
    let annotated = 0;
    for (let v = 1; v < 256; v++) {
      const n = whole ? now[v] : (stored[String(v)] ?? 0) - before[v] + now[v];
      if (n > 0) counts[String(v)] = n;
      annotated += n;
    }
    const set = (this.set ??= ensureAnnotationSet(this.db, this.target));
    if (this.editId === null) {
      const info = this.db
        .prepare('INSERT INTO annotation_edit (set_id, tool, author, at, slices_json, changed_pixels, detail_json) VALUES (?, ?, ?, ?, ?, 0, ?)')
        .run(set.id, this.spec.tool, this.spec.author ?? defaultAuthor(), new Date().toISOString(), '[]', this.spec.detail ? JSON.stringify(this.spec.detail) : null);
      this.editId = Number(info.lastInsertRowid);
    }
    if (!this.touched.has(z)) {
      // The state before the edit: kept once per slice, however often the edit changes it.
      this.db
        .prepare('INSERT INTO annotation_edit_slice (edit_id, z_index, previous, previous_counts_json, previous_crc32) VALUES (?, ?, ?, ?, ?)')
        .run(this.editId, z, cur.row?.data ?? null, cur.row?.counts_json ?? null, cur.row?.crc32 ?? null); // an older plane keeps its NULL: a checksum made now would vouch for unchecked bytes
      this.touched.add(z);
    }
    if (!plane || annotated === 0) {
      this.db.prepare('DELETE FROM annotation_slice WHERE set_id = ? AND z_index = ?').run(set.id, z);
      this.stored.set(z, { row: undefined, plane: null });
    } else {
      const data = encodeLabelPlane(plane);
      const row = { data, counts_json: JSON.stringify(counts), crc32: sliceChecksum(data) };
      this.db.prepare('INSERT OR REPLACE INTO annotation_slice (set_id, z_index, data, counts_json, crc32) VALUES (?, ?, ?, ?, ?)').run(set.id, z, row.data, row.counts_json, row.crc32);
      this.stored.set(z, { row, plane });
    }
    this.changed += diff;
    return diff;
  }

  /** Records the edit (when anything changed) and bumps the version. */
  finish(): EditOutcome {
    const slices = [...this.touched].sort((a, b) => a - b);
    if (this.editId !== null && this.set) {
      this.db.prepare('UPDATE annotation_edit SET slices_json = ?, changed_pixels = ? WHERE id = ?').run(JSON.stringify(slices), this.changed, this.editId);
      this.db.prepare('UPDATE annotation_set SET version = ? WHERE id = ?').run(this.editId, this.set.id);
    }
    return { volume: this.target.name, version: this.editId ?? this.set?.version ?? 0, editId: this.editId, slices, changedPixels: this.changed };
  }
}

/** Runs `body` in a savepoint (nests inside a caller's transaction); rolls back on a throw. */
export function inSavepoint<T>(db: Database, body: () => T): T {
  db.exec('SAVEPOINT annotation_edit');
  try {
    const r = body();
    db.exec('RELEASE annotation_edit');
    return r;
  } catch (e) {
    db.exec('ROLLBACK TO annotation_edit');
    db.exec('RELEASE annotation_edit');
    throw e;
  }
}

/** As inSavepoint for a body that awaits (reading a file slice by slice); only for a caller that runs nothing else on `db` meanwhile (the CLI). */
export async function inSavepointAsync<T>(db: Database, body: () => Promise<T>): Promise<T> {
  db.exec('SAVEPOINT annotation_edit');
  try {
    const r = await body();
    db.exec('RELEASE annotation_edit');
    return r;
  } catch (e) {
    if (db.inTransaction) {
      db.exec('ROLLBACK TO annotation_edit');
      db.exec('RELEASE annotation_edit');
    }
    throw e;
  }
}
