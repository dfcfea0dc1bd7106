// Sparse annotation of a grey volume in the project file, for the pixel
// classifier: per slice a uint8 plane (0 = not annotated, else a class value of
// annotation_class: 1 = pore, 2 = solid), compressed with the slice codec, stored
// only for slices that hold annotation. Every change is an undoable edit
// (annotation-edits.ts); the binding to the volume is in annotation-binding.ts.
// Functions take the database handle and a volume name.
import type { Database } from 'better-sqlite3';
import { floodFill, paintBrush, paintPixels, paintRect, type PaintResult } from '../../src-shared/annotation-paint';
import type { AnnotationClass, AnnotationCounts, AnnotationEditInfo, AnnotationStroke, AnnotationSummary } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { type AnnotationSet, type AnnotationTarget, describeClasses, findAnnotationTarget, listAnnotationClasses, requireCurrent, staleMessage } from './annotation-binding';
import { AnnotationEditSession, defaultAuthor, type EditOutcome, type EditSpec, inSavepoint, inSavepointAsync, readStoredPlane } from './annotation-edits';
import { verifyKeptPlane } from './annotation-integrity';
import { readSlice, type StoredVolume } from './volume-store';

export { defaultAuthor, type AnnotationTool, type EditOutcome } from './annotation-edits';
export { findAnnotationTarget, listAnnotationClasses, staleMessage } from './annotation-binding';

type CurrentTarget = AnnotationTarget & { volume: StoredVolume };

function current(db: Database, volume: string): CurrentTarget {
  const t = findAnnotationTarget(db, volume);
  requireCurrent(db, t);
  return t;
}

function checkZ(t: CurrentTarget, z: number): void {
  const nz = t.volume.shape[0];
  if (!Number.isInteger(z) || z < 0 || z >= nz) throw new AppError('invalid_input', `Slice ${z} does not exist in "${t.name}": it has slices 0 to ${nz - 1}.`);
}

/** One edit over any slices, all or nothing: `body` reads and replaces planes through the session. */
export function editAnnotations<T>(db: Database, volume: string, spec: EditSpec, body: (s: AnnotationEditSession) => T): EditOutcome & { result: T } {
  return inSavepoint(db, () => {
    const session = new AnnotationEditSession(db, current(db, volume), spec);
    const result = body(session);
    return { ...session.finish(), result };
  });
}

/** As editAnnotations for a body that awaits (a file read slice by slice); the caller must run nothing else on `db` meanwhile. */
export async function editAnnotationsStreaming<T>(db: Database, volume: string, spec: EditSpec, body: (s: AnnotationEditSession) => Promise<T>): Promise<EditOutcome & { result: T }> {
  return inSavepointAsync(db, async () => {
    const session = new AnnotationEditSession(db, current(db, volume), spec);
    const result = await body(session);
    return { ...session.finish(), result };
  });
}

export interface StrokeOutcome extends EditOutcome {
  z: number;
  box: PaintResult['box'];
  /** Slice z's counts after the stroke. */
  counts: AnnotationCounts;
}

function checkLabel(db: Database, label: number): void {
  const classes = listAnnotationClasses(db);
  if (label !== 0 && !classes.some((c) => c.value === label)) {
    throw new AppError('invalid_input', `Label ${label} is not an annotation class (${describeClasses(classes)}).`);
  }
}

const TOOL_OF = { brush: 'brush', eraser: 'eraser', fill: 'fill', rect: 'rect', pixels: 'pixels' } as const;

function strokeDetail(s: AnnotationStroke): Record<string, unknown> {
  switch (s.kind) {
    case 'brush':
      return { label: s.label, radiusPx: s.radiusPx, points: s.points.length, from: s.points[0] };
    case 'eraser':
      return { label: 0, radiusPx: s.radiusPx, points: s.points.length, from: s.points[0] };
    case 'fill':
      return { label: s.label, x: s.x, y: s.y, by: s.by ?? 'annotation', ...(s.toleranceGrey !== undefined ? { toleranceGrey: s.toleranceGrey } : {}) };
    case 'rect':
      return { label: s.label, x: s.x, y: s.y, width: s.width, height: s.height };
    case 'pixels':
      return { label: s.label, pixels: s.indices.length };
  }
}

/**
 * Runs a stroke's commit with synchronous = NORMAL instead of the project's FULL:
 * in WAL mode the file stays consistent either way and a crashed app loses
 * nothing; only a power cut may lose the last strokes. It saves an fsync per
 * stroke (about 9 ms of the 10-20 ms a stroke took on a virtual disk).
 */
function withLazySync<T>(db: Database, body: () => T): T {
  const was = db.pragma('synchronous', { simple: true }) as number;
  if (was <= 1 || db.inTransaction) return body();
  db.pragma('synchronous = NORMAL');
  try {
    return body();
  } finally {
    db.pragma(`synchronous = ${was}`);
  }
}

/** Paints one stroke on slice z (brush, eraser, fill, rectangle or pixel list) as one edit. */
export async function applyStroke(db: Database, volume: string, z: number, stroke: AnnotationStroke, opts: { author?: string } = {}): Promise<StrokeOutcome> {
  const t = current(db, volume);
  checkZ(t, z);
  const label = stroke.kind === 'eraser' ? 0 : stroke.label;
  checkLabel(db, label);
  if (stroke.kind === 'brush' && label === 0) throw new AppError('invalid_input', 'A brush paints a class (label 1 or more); use the eraser to remove annotation.');
  const [, ny, nx] = t.volume.shape;
  const size = { width: nx, height: ny };
  if (stroke.kind === 'fill' && (stroke.x >= nx || stroke.y >= ny)) {
    throw new AppError('invalid_input', `The fill starts at (${stroke.x}, ${stroke.y}), outside the ${nx} x ${ny} px slice.`);
  }
  if (stroke.kind === 'pixels') {
    const bad = stroke.indices.find((i) => i >= nx * ny);
    if (bad !== undefined) throw new AppError('invalid_input', `Pixel index ${bad} is outside the ${nx} x ${ny} px slice (indices 0 to ${nx * ny - 1}, y * ${nx} + x).`);
  }
  // The only await: the grey slice for a grey fill, read before the edit begins.
  const grey = stroke.kind === 'fill' && stroke.by === 'grey' ? await readSlice(db, t.volume, z) : null;
  let paint: PaintResult = { changed: 0, box: null };
  let counts: AnnotationCounts = {};
  const out = withLazySync(db, () => editAnnotations(db, volume, { tool: TOOL_OF[stroke.kind], author: opts.author, detail: strokeDetail(stroke) }, (s) => {
    const plane = s.plane(z);
    switch (stroke.kind) {
      case 'brush':
      case 'eraser':
        paint = paintBrush(plane, size, stroke.points, stroke.radiusPx, label);
        break;
      case 'fill':
        paint = floodFill(plane, size, stroke.x, stroke.y, label, grey ? { by: 'grey', grey, tolerance: stroke.toleranceGrey ?? 0 } : { by: 'annotation' });
        break;
      case 'rect':
        paint = paintRect(plane, size, stroke, label);
        break;
      case 'pixels':
        paint = paintPixels(plane, size, stroke.indices, label);
        break;
    }
    if (paint.changed > 0 && paint.box) s.put(z, plane, paint.box);
    counts = s.counts(z);
  }));
  return { ...out, z, box: paint.box, counts };
}

/** Replaces slice z's annotation with `plane` (all zeros: removes it) as one edit. */
export function setSliceAnnotation(db: Database, volume: string, z: number, plane: Uint8Array, opts: { author?: string; tool?: EditSpec['tool'] } = {}): EditOutcome {
  return editAnnotations(db, volume, { tool: opts.tool ?? 'slice', author: opts.author }, (s) => s.put(z, plane));
}

/** Slice z's annotation plane (ny * nx, row-major), or null when the slice has none. */
export function getSliceAnnotation(db: Database, volume: string, z: number): Uint8Array | null {
  const t = current(db, volume);
  checkZ(t, z);
  return t.set ? readStoredPlane(db, t.set, z) : null;
}

function sliceRows(db: Database, set: AnnotationSet | null): { z: number; counts: AnnotationCounts }[] {
  if (!set) return [];
  const rows = db.prepare('SELECT z_index, counts_json FROM annotation_slice WHERE set_id = ? ORDER BY z_index').all(set.id) as { z_index: number; counts_json: string }[];
  return rows.map((r) => ({ z: r.z_index, counts: JSON.parse(r.counts_json) as AnnotationCounts }));
}

/** The slices that hold annotation, z ascending. */
export function annotatedSlices(db: Database, volume: string): number[] {
  return sliceRows(db, findAnnotationTarget(db, volume).set).map((r) => r.z);
}

/** Annotated pixels per class, per annotated slice and in total (from the counts stored with each slice). */
export function countsPerClass(db: Database, volume: string): { perSlice: { z: number; counts: AnnotationCounts }[]; total: AnnotationCounts } {
  const perSlice = sliceRows(db, findAnnotationTarget(db, volume).set);
  const total: AnnotationCounts = {};
  for (const s of perSlice) for (const [k, n] of Object.entries(s.counts)) total[k] = (total[k] ?? 0) + n;
  return { perSlice, total };
}

/** The version of the annotations (0: never annotated). */
export function annotationVersion(db: Database, volume: string): number {
  return findAnnotationTarget(db, volume).set?.version ?? 0;
}

interface EditRow {
  id: number;
  tool: string;
  author: string;
  at: string;
  slices_json: string;
  changed_pixels: number;
  detail_json: string | null;
  undoes: number | null;
  undone_by: number | null;
}

function toEditInfo(r: EditRow): AnnotationEditInfo {
  return {
    id: r.id,
    tool: r.tool,
    author: r.author,
    at: r.at,
    slices: JSON.parse(r.slices_json) as number[],
    changedPixels: r.changed_pixels,
    detail: r.detail_json ? (JSON.parse(r.detail_json) as Record<string, unknown>) : null,
    undoes: r.undoes,
    undoneBy: r.undone_by,
  };
}

/** Every edit of the volume's annotations, oldest first. */
export function listEdits(db: Database, volume: string): AnnotationEditInfo[] {
  const set = findAnnotationTarget(db, volume).set;
  if (!set) return [];
  return (db.prepare('SELECT * FROM annotation_edit WHERE set_id = ? ORDER BY id').all(set.id) as EditRow[]).map(toEditInfo);
}

/**
 * Takes back the last `count` edits that stand (an undo itself is not undone:
 * there is no redo), newest first, each restoring exactly the slices it changed.
 * Every undo is recorded as an edit of its own and bumps the version.
 */
export function undoLast(db: Database, volume: string, opts: { author?: string; count?: number } = {}): { version: number; undone: AnnotationEditInfo[] } {
  return inSavepoint(db, () => {
    const t = current(db, volume);
    const count = opts.count ?? 1;
    const undone: AnnotationEditInfo[] = [];
    let version = t.set?.version ?? 0;
    for (let k = 0; k < count; k++) {
      const last = t.set
        ? (db.prepare("SELECT * FROM annotation_edit WHERE set_id = ? AND undone_by IS NULL AND tool != 'undo' ORDER BY id DESC LIMIT 1").get(t.set.id) as EditRow | undefined)
        : undefined;
      if (!t.set || !last) {
        if (k > 0) break;
        throw new AppError('invalid_input', `Nothing to undo on "${t.name}": ${t.set ? 'every edit has been undone already' : 'it has no annotation edits'}.`);
      }
      const before = db.prepare('SELECT z_index, previous, previous_counts_json, previous_crc32 FROM annotation_edit_slice WHERE edit_id = ?').all(last.id) as {
        z_index: number;
        previous: Buffer | null;
        previous_counts_json: string | null;
        previous_crc32: number | null;
      }[];
      // Every kept plane is checked before any is put back: a damaged one undoes nothing.
      for (const b of before) verifyKeptPlane(db, t.name, b.z_index, last.id, b.previous, b.previous_crc32, t.volume.shape[1] * t.volume.shape[2]);
      for (const b of before) {
        if (b.previous === null) db.prepare('DELETE FROM annotation_slice WHERE set_id = ? AND z_index = ?').run(t.set.id, b.z_index);
        else {
          db.prepare('INSERT OR REPLACE INTO annotation_slice (set_id, z_index, data, counts_json, crc32) VALUES (?, ?, ?, ?, ?)').run(
            t.set.id,
            b.z_index,
            b.previous,
            b.previous_counts_json,
            b.previous_crc32,
          );
        }
      }
      const info = db
        .prepare('INSERT INTO annotation_edit (set_id, tool, author, at, slices_json, changed_pixels, detail_json, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(t.set.id, 'undo', opts.author ?? defaultAuthor(), new Date().toISOString(), last.slices_json, last.changed_pixels, JSON.stringify({ tool: last.tool }), last.id);
      version = Number(info.lastInsertRowid);
      db.prepare('UPDATE annotation_edit SET undone_by = ? WHERE id = ?').run(version, last.id);
      // No redo: the earlier planes are not needed any more.
      db.prepare('DELETE FROM annotation_edit_slice WHERE edit_id = ?').run(last.id);
      db.prepare('UPDATE annotation_set SET version = ? WHERE id = ?').run(version, t.set.id);
      undone.push(toEditInfo({ ...last, undone_by: version }));
    }
    return { version, undone };
  });
}

/**
 * Removes all annotation of a volume. Current annotations: one 'clear' edit
 * (undoable). Stale annotations (their volume was replaced or deleted): deleted
 * with their history, not undoable, the only edit they allow.
 */
export function clearAnnotations(db: Database, volume: string, opts: { author?: string } = {}): { version: number; slices: number[]; discarded: boolean } {
  const t = findAnnotationTarget(db, volume);
  if (t.set && staleMessage(t)) {
    const set = t.set;
    const slices = sliceRows(db, set).map((r) => r.z);
    inSavepoint(db, () => {
      db.prepare('DELETE FROM annotation_edit_slice WHERE edit_id IN (SELECT id FROM annotation_edit WHERE set_id = ?)').run(set.id);
      db.prepare('DELETE FROM annotation_edit WHERE set_id = ?').run(set.id);
      db.prepare('DELETE FROM annotation_slice WHERE set_id = ?').run(set.id);
      db.prepare('DELETE FROM annotation_set WHERE id = ?').run(set.id);
    });
    return { version: 0, slices, discarded: true };
  }
  const slices = sliceRows(db, t.set).map((r) => r.z);
  const out = editAnnotations(db, volume, { tool: 'clear', author: opts.author, detail: { slices: slices.length } }, (s) => {
    for (const z of slices) s.put(z, null);
  });
  return { version: out.version, slices, discarded: false };
}

/** Counts, version, status and history in brief; stale annotations come with what to do. */
export function annotationSummary(db: Database, volume: string): AnnotationSummary {
  const t = findAnnotationTarget(db, volume);
  const message = staleMessage(t);
  if (!message) requireCurrent(db, t);
  const classes: AnnotationClass[] = listAnnotationClasses(db);
  const { perSlice, total } = countsPerClass(db, volume);
  const edits = listEdits(db, volume);
  return {
    volume,
    status: t.status,
    ...(message ? { message } : {}),
    shape: t.set?.shape ?? t.volume!.shape,
    version: t.set?.version ?? 0,
    classes,
    totals: total,
    slices: perSlice,
    editCount: edits.length,
    undoable: edits.filter((e) => e.tool !== 'undo' && e.undoneBy === null).length,
    lastEdit: edits.length ? edits[edits.length - 1] : null,
  };
}

/** Every annotated pixel as a training sample, z then pixel ascending; with the version they come from. */
export interface AnnotationSamples {
  volume: string;
  version: number;
  shape: readonly [number, number, number];
  classes: AnnotationClass[];
  count: number;
  /** Slice of sample i. */
  z: Uint32Array;
  /** Pixel of sample i within its slice: y * nx + x. */
  pixel: Uint32Array;
  /** Class value of sample i (annotation_class.value: 1 = pore, 2 = solid). */
  classValue: Uint8Array;
}

export function gatherSamples(db: Database, volume: string): AnnotationSamples {
  const t = current(db, volume);
  const rows = sliceRows(db, t.set);
  let count = 0;
  for (const r of rows) for (const n of Object.values(r.counts)) count += n;
  const z = new Uint32Array(count);
  const pixel = new Uint32Array(count);
  const classValue = new Uint8Array(count);
  let k = 0;
  for (const r of rows) {
    const plane = readStoredPlane(db, t.set!, r.z)!;
    for (let i = 0; i < plane.length; i++) {
      if (plane[i] === 0) continue;
      z[k] = r.z;
      pixel[k] = i;
      classValue[k] = plane[i];
      k++;
    }
  }
  if (k !== count) throw new AppError('corrupt_file', `The stored annotation counts of "${volume}" do not match its planes (${k} vs ${count} pixels): the project file is damaged. Restore a backup.`);
  return { volume, version: t.set?.version ?? 0, shape: t.volume.shape, classes: listAnnotationClasses(db), count, z, pixel, classValue };
}
