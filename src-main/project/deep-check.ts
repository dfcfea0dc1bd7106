// The deep check of a project (`fibrecon check --deep`): every slice of every
// volume read from the file, its CRC-32 compared (slice-checksum.ts) and the
// blob decoded in full, as a read would. Reads only; the damaged slices are
// named, the rest counted. The annotation planes (current and kept for undo)
// likewise (annotation-integrity.ts).
import type { Database } from 'better-sqlite3';
import { throwIfAborted } from '../../src-shared/errors';
import { type ProgressCallback, progressTracker } from '../../src-shared/progress';
import { type AnnotationCheck, checkAnnotationPlanes } from './annotation-integrity';
import { decodeVerified, describeDamage, sliceChecksum, type SliceDamage } from './slice-checksum';
import { SLICE_CODEC } from './slice-codec';
import { listVolumes, type VolumeKind, type VolumeRole } from './volume-store';

export interface DamagedSlice {
  z: number;
  damage: SliceDamage;
  /** The damage in words. */
  problem: string;
}

export interface VolumeCheck {
  volume: string;
  role: VolumeRole;
  kind: VolumeKind;
  slices: number;
  /** Slices whose CRC-32 was compared. */
  checksummed: number;
  /** Slices without a CRC-32 (written by a version before checksums), by z; decoded all the same. */
  notChecksummed: number[];
  damaged: DamagedSlice[];
  /** Why the slices were not decoded (a codec this version does not know); only checksums were compared. */
  notDecoded: string | null;
}

export interface DeepCheckReport {
  volumes: VolumeCheck[];
  slices: number;
  damagedSlices: number;
  notChecksummedSlices: number;
  /** Every annotation set's planes, current and kept for undo. */
  annotations: AnnotationCheck[];
  damagedPlanes: number;
  /** True when every slice and annotation plane matched its checksum (where it has one) and decoded. */
  ok: boolean;
}

interface SliceRow {
  data: Buffer;
  crc32: number | null;
}

export async function checkStoredSlices(db: Database, opts: { signal?: AbortSignal; onProgress?: ProgressCallback } = {}): Promise<DeepCheckReport> {
  const volumes = listVolumes(db);
  const total = volumes.reduce((n, v) => n + v.shape[0], 0);
  const progress = progressTracker(opts.onProgress);
  const select = db.prepare('SELECT data, crc32 FROM slice WHERE volume_id = ? AND z_index = ?');
  let done = 0;
  const checks: VolumeCheck[] = [];
  for (const v of volumes) {
    const [nz, ny, nx] = v.shape;
    const c: VolumeCheck = { volume: v.name, role: v.role, kind: v.kind, slices: nz, checksummed: 0, notChecksummed: [], damaged: [], notDecoded: null };
    if (v.codec !== SLICE_CODEC) c.notDecoded = `stored with codec ${v.codec}, which this fibrecon does not know: update fibrecon to check it in full`;
    const fail = (z: number, damage: SliceDamage) => c.damaged.push({ z, damage, problem: describeDamage(damage) });
    for (let z = 0; z < nz; z++) {
      throwIfAborted(opts.signal);
      let row: SliceRow | undefined;
      try {
        row = select.get(v.id, z) as SliceRow | undefined;
      } catch (e) {
        // A damaged page under the row: SQLite says so instead of returning it.
        fail(z, { kind: 'unreadable', reason: (e as Error).message });
        continue;
      }
      if (!row) fail(z, { kind: 'missing' });
      else {
        if (row.crc32 === null) c.notChecksummed.push(z);
        else c.checksummed++;
        if (c.notDecoded === null) {
          const r = await decodeVerified(row.data, row.crc32, v.dtype, ny * nx);
          if ('damage' in r) fail(z, r.damage);
        } else if (row.crc32 !== null && sliceChecksum(row.data) !== row.crc32) {
          fail(z, { kind: 'checksum', storedCrc32: row.crc32, actualCrc32: sliceChecksum(row.data) });
        }
      }
      done++;
      progress(done / total, `Checking "${v.name}": slice ${z + 1} of ${nz}`);
    }
    checks.push(c);
  }
  const damagedSlices = checks.reduce((n, c) => n + c.damaged.length, 0);
  const annotations = checkAnnotationPlanes(db, opts.signal);
  const damagedPlanes = annotations.reduce((n, a) => n + a.damaged.length, 0);
  return {
    volumes: checks,
    slices: total,
    damagedSlices,
    notChecksummedSlices: checks.reduce((n, c) => n + c.notChecksummed.length, 0),
    annotations,
    damagedPlanes,
    ok: damagedSlices === 0 && damagedPlanes === 0 && checks.every((c) => c.notDecoded === null) && annotations.every((a) => a.notDecoded === null),
  };
}
