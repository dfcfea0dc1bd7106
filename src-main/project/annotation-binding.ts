// Which volume a set of annotations belongs to. A set is bound to one volume by
// its name, id, creation time, shape and dtype. When the volume of that name is
// deleted, or replaced by another volume stored under the same name, the
// annotations are stale: kept (never dropped, never moved onto the new volume,
// whose pixels they may not match), reported with what to do, and editable only
// by clearing them. The way back: export them, check them against the new
// volume, clear, and import them again.
import type { Database } from 'better-sqlite3';
import type { AnnotationClass, AnnotationStatus } from '../../src-shared/contract';
import type { DType } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';
import type { Shape3, VoxelSizeNm } from '../../src-shared/volume';
import { ANNOTATION_CODEC } from './annotation-codec';
import { getVolume, listVolumes, type StoredVolume } from './volume-store';

export interface AnnotationSet {
  id: number;
  volumeName: string;
  volumeId: number;
  volumeCreatedAt: string;
  dtype: DType;
  shape: Shape3;
  voxelSizeNm: VoxelSizeNm;
  codec: string;
  version: number;
  createdAt: string;
}

/** The annotations asked for by volume name: the volume as it is now (if any), the stored set (if any), and whether they match. */
export interface AnnotationTarget {
  name: string;
  volume: StoredVolume | null;
  set: AnnotationSet | null;
  status: AnnotationStatus;
}

interface SetRow {
  id: number;
  volume_name: string;
  volume_id: number;
  volume_created_at: string;
  dtype: DType;
  nz: number;
  ny: number;
  nx: number;
  voxel_x_nm: number;
  voxel_y_nm: number;
  voxel_z_nm: number;
  codec: string;
  version: number;
  created_at: string;
}

function toSet(r: SetRow): AnnotationSet {
  return {
    id: r.id,
    volumeName: r.volume_name,
    volumeId: r.volume_id,
    volumeCreatedAt: r.volume_created_at,
    dtype: r.dtype,
    shape: [r.nz, r.ny, r.nx],
    voxelSizeNm: { x: r.voxel_x_nm, y: r.voxel_y_nm, z: r.voxel_z_nm },
    codec: r.codec,
    version: r.version,
    createdAt: r.created_at,
  };
}

/** True when the set was made on exactly this volume (not an earlier one of the same name). */
export function boundTo(set: AnnotationSet, v: StoredVolume): boolean {
  return (
    set.volumeId === v.id &&
    set.volumeCreatedAt === v.createdAt &&
    set.dtype === v.dtype &&
    set.shape[0] === v.shape[0] &&
    set.shape[1] === v.shape[1] &&
    set.shape[2] === v.shape[2]
  );
}

/** Finds the annotations of volume `name`; throws not_found (listing the volumes) when there is neither a volume nor annotations of that name. */
export function findAnnotationTarget(db: Database, name: string): AnnotationTarget {
  const row = db.prepare('SELECT * FROM annotation_set WHERE volume_name = ?').get(name) as SetRow | undefined;
  const set = row ? toSet(row) : null;
  let volume: StoredVolume | null = null;
  try {
    volume = getVolume(db, name);
  } catch (e) {
    if (!(e instanceof AppError && e.tag === 'not_found') || !set) throw e;
  }
  const status: AnnotationStatus = !set ? 'none' : !volume ? 'volume_missing' : boundTo(set, volume) ? 'current' : 'replaced';
  return { name, volume, set, status };
}

const describeShape = (s: Shape3, dtype: string): string => `${s[0]} x ${s[1]} x ${s[2]} (z, y, x) ${dtype}`;

/** What happened to the volume of stale annotations and what to do (null when they are not stale). */
export function staleMessage(t: AnnotationTarget): string | null {
  if (!t.set || (t.status !== 'replaced' && t.status !== 'volume_missing')) return null;
  const was = `The annotations of "${t.name}" were made on a volume of ${describeShape(t.set.shape, t.set.dtype)} created ${t.set.volumeCreatedAt}`;
  const now =
    t.status === 'replaced' && t.volume
      ? `, which has been replaced: "${t.name}" is now another volume (${describeShape(t.volume.shape, t.volume.dtype)}, created ${t.volume.createdAt})`
      : `, which is no longer in the project`;
  return (
    `${was}${now}. They are kept but not used for training or painting. ` +
    `Export them (fibrecon annotate PROJECT --volume "${t.name}" --export OLD.tif), check that they fit the volume, ` +
    `then clear them (--clear) and import them again (--labels OLD.tif); or just clear them.`
  );
}

function gotoGrey(db: Database): string {
  const grey = listVolumes(db)
    .filter((v) => v.kind === 'grey')
    .map((v) => `"${v.name}"`);
  return grey.length ? ` (grey volumes here: ${grey.join(', ')})` : ' (the project has no grey volume: import a stack first)';
}

/** Refuses annotations that cannot be painted or read: stale ones, and those of a label or probability volume. */
export function requireCurrent(db: Database, t: AnnotationTarget): asserts t is AnnotationTarget & { volume: StoredVolume } {
  const stale = staleMessage(t);
  if (stale) throw new AppError('invalid_input', stale);
  const v = t.volume;
  if (!v) throw new AppError('not_found', `The project has no volume named "${t.name}".`);
  if (v.kind !== 'grey') {
    throw new AppError(
      'invalid_input',
      `"${v.name}" is a ${v.kind === 'labels' ? 'label volume (a segmentation)' : 'probability volume'}: annotations are painted on the grey volume the classifier reads; annotate that one instead${gotoGrey(db)}.`,
    );
  }
}

/** The set bound to this (current, grey) volume, created empty when it has none. */
export function ensureAnnotationSet(db: Database, t: AnnotationTarget & { volume: StoredVolume }): AnnotationSet {
  if (t.set) return t.set;
  const v = t.volume;
  const info = db
    .prepare(
      `INSERT INTO annotation_set (volume_name, volume_id, volume_created_at, dtype, nz, ny, nx, voxel_x_nm, voxel_y_nm, voxel_z_nm, codec, version, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
    )
    .run(v.name, v.id, v.createdAt, v.dtype, v.shape[0], v.shape[1], v.shape[2], v.voxelSizeNm.x, v.voxelSizeNm.y, v.voxelSizeNm.z, ANNOTATION_CODEC, new Date().toISOString());
  const row = db.prepare('SELECT * FROM annotation_set WHERE id = ?').get(Number(info.lastInsertRowid)) as SetRow;
  return toSet(row);
}

/** The classes migration 3 writes into every project. */
const DEFAULT_CLASSES: readonly AnnotationClass[] = [
  { value: 1, name: 'pore', color: '#3b82f6' },
  { value: 2, name: 'solid', color: '#f59e0b' },
];

export function listAnnotationClasses(db: Database): AnnotationClass[] {
  const rows = db.prepare('SELECT value, name, color FROM annotation_class ORDER BY value').all() as AnnotationClass[];
  // Empty only in a read-only view of an older project (its tables made up in memory, not filled): the defaults it will get.
  return rows.length ? rows : DEFAULT_CLASSES.map((c) => ({ ...c }));
}

/** The values a plane may hold: 0 and the class values. */
export function allowedValues(db: Database): Uint8Array {
  const ok = new Uint8Array(256);
  ok[0] = 1;
  for (const c of listAnnotationClasses(db)) ok[c.value] = 1;
  return ok;
}

export function describeClasses(classes: readonly AnnotationClass[]): string {
  return ['0 = not annotated', ...classes.map((c) => `${c.value} = ${c.name}`)].join(', ');
}
