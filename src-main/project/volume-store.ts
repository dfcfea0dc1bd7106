// Volumes in the project file: one row per volume (an imported channel or a
// derived result), one compressed blob per slice. Functions take the database
// handle; callers decide the transaction.
import type { Database } from 'better-sqlite3';
import type { DType, SliceArray } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';
import type { VolumeInfo } from '../../src-shared/volume';
import { damagedSliceError, decodeVerified, sliceChecksum } from './slice-checksum';
import { SLICE_CODEC } from './slice-codec';

export type VolumeRole = 'channel' | 'derived';
export type VolumeKind = 'grey' | 'labels' | 'probability';

export interface VoxelSizeSource {
  x: string;
  y: string;
  z: string;
}

export interface StoredVolume extends VolumeInfo {
  id: number;
  name: string;
  role: VolumeRole;
  kind: VolumeKind;
  voxelSizeSource: VoxelSizeSource;
  metadata: Record<string, unknown>;
  crop: unknown;
  codec: string;
  rawBytes: number;
  storedBytes: number;
  createdAt: string;
  runId: number | null;
}

export interface NewVolume {
  name: string;
  role: VolumeRole;
  kind: VolumeKind;
  dtype: DType;
  shape: readonly [number, number, number];
  voxelSizeNm: { x: number; y: number; z: number };
  voxelSizeSource: VoxelSizeSource;
  metadata?: Record<string, unknown>;
  crop?: unknown;
  runId?: number;
}

/** Inserts the volume row with zero sizes; slices follow, then finishVolume sets the sizes. */
export function insertVolume(db: Database, v: NewVolume): number {
  const [nz, ny, nx] = v.shape;
  const info = db
    .prepare(
      `INSERT INTO volume (name, role, kind, dtype, nz, ny, nx, voxel_x_nm, voxel_y_nm, voxel_z_nm, voxel_source_json,
                           metadata_json, crop_json, codec, raw_bytes, stored_bytes, created_at, run_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)`,
    )
    .run(
      v.name,
      v.role,
      v.kind,
      v.dtype,
      nz,
      ny,
      nx,
      v.voxelSizeNm.x,
      v.voxelSizeNm.y,
      v.voxelSizeNm.z,
      JSON.stringify(v.voxelSizeSource),
      JSON.stringify(v.metadata ?? {}),
      v.crop === undefined ? null : JSON.stringify(v.crop),
      SLICE_CODEC,
      new Date().toISOString(),
      v.runId ?? null,
    );
  return Number(info.lastInsertRowid);
}

export function finishVolume(db: Database, volumeId: number): void {
  db.prepare(
    `UPDATE volume SET
       stored_bytes = (SELECT COALESCE(SUM(length(data)), 0) FROM slice WHERE volume_id = ?),
       raw_bytes = nz * ny * nx * (CASE dtype WHEN 'uint8' THEN 1 WHEN 'uint16' THEN 2 ELSE 4 END)
     WHERE id = ?`,
  ).run(volumeId, volumeId);
}

export type SliceWriter = (zIndex: number, zNm: number, blob: Uint8Array, source?: { inputFileId: number; page: number }) => void;

/**
 * Writes slices with the CRC-32 of each blob (slice-checksum.ts). Writers always work on a
 * migrated file; a file still at a schema before checksums (a test's model of an older
 * version) gets its slices as that version wrote them.
 */
export function sliceWriter(db: Database, volumeId: number): SliceWriter {
  const hasChecksums = db.prepare("SELECT 1 FROM pragma_table_info('slice') WHERE name = 'crc32'").get() !== undefined;
  if (!hasChecksums) {
    const old = db.prepare('INSERT INTO slice (volume_id, z_index, z_nm, input_file_id, input_page, data) VALUES (?, ?, ?, ?, ?, ?)');
    return (zIndex, zNm, blob, source) => {
      old.run(volumeId, zIndex, zNm, source?.inputFileId ?? null, source?.page ?? null, blob);
    };
  }
  const stmt = db.prepare('INSERT INTO slice (volume_id, z_index, z_nm, input_file_id, input_page, data, crc32) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return (zIndex, zNm, blob, source) => {
    stmt.run(volumeId, zIndex, zNm, source?.inputFileId ?? null, source?.page ?? null, blob, sliceChecksum(blob));
  };
}

interface VolumeRow {
  id: number;
  name: string;
  role: VolumeRole;
  kind: VolumeKind;
  dtype: DType;
  nz: number;
  ny: number;
  nx: number;
  voxel_x_nm: number;
  voxel_y_nm: number;
  voxel_z_nm: number;
  voxel_source_json: string;
  metadata_json: string;
  crop_json: string | null;
  codec: string;
  raw_bytes: number;
  stored_bytes: number;
  created_at: string;
  run_id: number | null;
}

function toStoredVolume(db: Database, r: VolumeRow): StoredVolume {
  const z = db.prepare('SELECT z_nm FROM slice WHERE volume_id = ? ORDER BY z_index').pluck().all(r.id) as number[];
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    kind: r.kind,
    dtype: r.dtype,
    shape: [r.nz, r.ny, r.nx],
    voxelSizeNm: { x: r.voxel_x_nm, y: r.voxel_y_nm, z: r.voxel_z_nm },
    zPositionsNm: z,
    voxelSizeSource: JSON.parse(r.voxel_source_json) as VoxelSizeSource,
    metadata: JSON.parse(r.metadata_json) as Record<string, unknown>,
    crop: r.crop_json ? JSON.parse(r.crop_json) : null,
    codec: r.codec,
    rawBytes: r.raw_bytes,
    storedBytes: r.stored_bytes,
    createdAt: r.created_at,
    runId: r.run_id,
  };
}

export function listVolumes(db: Database, role?: VolumeRole): StoredVolume[] {
  const rows = (role
    ? db.prepare('SELECT * FROM volume WHERE role = ? ORDER BY id').all(role)
    : db.prepare('SELECT * FROM volume ORDER BY id').all()) as VolumeRow[];
  return rows.map((r) => toStoredVolume(db, r));
}

export function getVolume(db: Database, name: string): StoredVolume {
  const row = db.prepare('SELECT * FROM volume WHERE name = ?').get(name) as VolumeRow | undefined;
  if (!row) {
    const names = db.prepare('SELECT name FROM volume ORDER BY id').pluck().all() as string[];
    throw new AppError('not_found', `The project has no volume or channel named "${name}"${names.length ? ` (it has: ${names.join(', ')})` : ' (it has none yet: import a stack first)'}.`);
  }
  return toStoredVolume(db, row);
}

export function volumeNameExists(db: Database, name: string): boolean {
  return db.prepare('SELECT 1 FROM volume WHERE name = ?').get(name) !== undefined;
}

export async function readSlice(db: Database, volume: Pick<StoredVolume, 'id' | 'name' | 'dtype' | 'shape' | 'codec'>, zIndex: number): Promise<SliceArray> {
  if (!Number.isInteger(zIndex) || zIndex < 0 || zIndex >= volume.shape[0]) {
    throw new AppError('invalid_input', `Slice ${zIndex} does not exist in "${volume.name}": it has slices 0 to ${volume.shape[0] - 1}.`);
  }
  if (volume.codec !== SLICE_CODEC) {
    throw new AppError('newer_project_version', `"${volume.name}" is stored with codec ${volume.codec}, which this fibrecon does not know. Update fibrecon.`);
  }
  const row = db.prepare('SELECT data, crc32 FROM slice WHERE volume_id = ? AND z_index = ?').get(volume.id, zIndex) as { data: Buffer; crc32: number | null } | undefined;
  if (!row) throw damagedSliceError(db.name, volume.name, zIndex, { kind: 'missing' });
  const r = await decodeVerified(row.data, row.crc32, volume.dtype, volume.shape[1] * volume.shape[2]);
  if ('damage' in r) throw damagedSliceError(db.name, volume.name, zIndex, r.damage);
  return r.slice;
}

export function getProjectMeta(db: Database): Record<string, string> {
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}
