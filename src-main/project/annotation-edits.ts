// Every change to a volume's annotations is one edit: a row in annotation_edit
// (who, when, which tool, which slices) plus, per changed slice, the blob it had
// before (NULL: it had no annotation). Undo puts those blobs back, so it restores
// exactly the earlier state. The set's version becomes the edit's id, so it
// grows with every edit and undo and never repeats in a project.
import type { Database } from 'better-sqlite3';
import { userInfo } from 'node:os';
import { classCounts } from '../../src-shared/annotation-paint';
import { AppError } from '../../src-shared/errors';
import { type AnnotationSet, type AnnotationTarget, allowedValues, describeClasses, ensureAnnotationSet, listAnnotationClasses } from './annotation-binding';
import type { StoredVolume } from './volume-store';
import { decodeSliceSync, encodeSliceSync } from './slice-codec';

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

/** A stored plane decoded; for reads that must also work on stale sets (export). */
export function readStoredPlane(db: Database, set: AnnotationSet, z: number): Uint8Array | null {
  const blob = db.prepare('SELECT data FROM annotation_slice WHERE set_id = ? AND z_index = ?').pluck().get(set.id, z) as Buffer | undefined;
  return blob ? (decodeSliceSync(blob, 'uint8', set.shape[1] * set.shape[2]) as Uint8Array) : null;
}

/** One open edit: put() replaces slices' planes; the caller's transaction holds it together. */
export class AnnotationEditSession {
  private set: AnnotationSet | null;
  private editId: number | null = null;
  private readonly touched = new Set<number>();
  private changed = 0;
  private readonly allowed: Uint8Array;
  readonly sliceLength: number;

  constructor(
    private readonly db: Database,
    private readonly target: AnnotationTarget & { volume: StoredVolume },
    private readonly spec: EditSpec,
  ) {
    this.set = target.set;
    this.allowed = allowedValues(db);
    this.sliceLength = target.volume.shape[1] * target.volume.shape[2];
  }

  private checkZ(z: number): void {
    const nz = this.target.volume.shape[0];
    if (!Number.isInteger(z) || z < 0 || z >= nz) throw new AppError('invalid_input', `Slice ${z} does not exist in "${this.target.name}": it has slices 0 to ${nz - 1}.`);
  }

  /** Slice z's plane as stored now (a fresh copy), zeros when it has no annotation. */
  plane(z: number): Uint8Array {
    this.checkZ(z);
    return (this.set && readStoredPlane(this.db, this.set, z)) || new Uint8Array(this.sliceLength);
  }

  /** Replaces slice z's annotation with `plane` (null or all zeros: none). Returns the pixels changed. */
  put(z: number, plane: Uint8Array | null): number {
    this.checkZ(z);
    if (plane && plane.length !== this.sliceLength) throw new AppError('invalid_input', `An annotation plane of "${this.target.name}" must have ${this.sliceLength} pixels, got ${plane.length}.`);
    if (plane) {
      for (let i = 0; i < plane.length; i++) {
        if (!this.allowed[plane[i]]) {
          throw new AppError('invalid_input', `Annotation value ${plane[i]} is not a class (${describeClasses(listAnnotationClasses(this.db))}).`);
        }
      }
    }
    const old = this.set
      ? (this.db.prepare('SELECT data, counts_json FROM annotation_slice WHERE set_id = ? AND z_index = ?').get(this.set.id, z) as { data: Buffer; counts_json: string } | undefined)
      : undefined;
    const oldPlane = old ? (decodeSliceSync(old.data, 'uint8', this.sliceLength) as Uint8Array) : null;
    let diff = 0;
    let nonZero = 0;
    for (let i = 0; i < this.sliceLength; i++) {
      const n = plane ? plane[i] : 0;
      if (n !== (oldPlane ? oldPlane[i] : 0)) diff++;
      if (n !== 0) nonZero++;
    }
    if (diff === 0) return 0;
    const set = (this.set ??= ensureAnnotationSet(this.db, this.target));
    if (this.editId === null) {
      const info = this.db
        .prepare('INSERT INTO annotation_edit (set_id, tool, author, at, slices_json, changed_pixels, detail_json) VALUES (?, ?, ?, ?, ?, 0, ?)')
        .run(set.id, this.spec.tool, this.spec.author ?? defaultAuthor(), new Date().toISOString(), '[]', this.spec.detail ? JSON.stringify(this.spec.detail) : null);
      this.editId = Number(info.lastInsertRowid);
    }
    if (!this.touched.has(z)) {
      // The state before the edit: kept once per slice, however often the edit changes it.
      this.db.prepare('INSERT INTO annotation_edit_slice (edit_id, z_index, previous, previous_counts_json) VALUES (?, ?, ?, ?)').run(this.editId, z, old?.data ?? null, old?.counts_json ?? null);
      this.touched.add(z);
    }
    if (nonZero === 0 || !plane) {
      this.db.prepare('DELETE FROM annotation_slice WHERE set_id = ? AND z_index = ?').run(set.id, z);
    } else {
      this.db
        .prepare('INSERT OR REPLACE INTO annotation_slice (set_id, z_index, data, counts_json) VALUES (?, ?, ?, ?)')
        .run(set.id, z, encodeSliceSync(plane), JSON.stringify(classCounts(plane)));
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
