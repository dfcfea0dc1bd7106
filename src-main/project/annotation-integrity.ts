// Integrity of stored annotation planes, as of volume slices (slice-checksum.ts):
// every plane blob, the current ones and the earlier ones kept for undo, is
// stored with the CRC-32 of its bytes (schema 6) and checked before it is
// decoded. A damaged plane is an error that names it, never wrong annotations
// (which would teach the pixel classifier wrong labels, or be undone into the
// set). Planes written before schema 6 have NULL and read as before.
import type { Database } from 'better-sqlite3';
import { basename } from 'node:path';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { ANNOTATION_CODEC, decodeLabelPlane } from './annotation-codec';
import { describeDamage, sliceChecksum, type SliceDamage } from './slice-checksum';

/** Which stored copy of a slice's annotation: the current plane, or the one an edit keeps for undo. */
export type PlaneCopy = { kept: 'current' } | { kept: 'undo'; editId: number };

/** The damage of a stored plane (CRC-32 first, then a full decode), or null when it is sound. */
export function planeDamage(blob: Uint8Array, storedCrc32: number | null, length: number): SliceDamage | null {
  if (storedCrc32 !== null) {
    const actualCrc32 = sliceChecksum(blob);
    if (actualCrc32 !== storedCrc32) return { kind: 'checksum', storedCrc32, actualCrc32 };
  }
  try {
    decodeLabelPlane(blob, length);
    return null;
  } catch (e) {
    return { kind: 'undecodable', reason: (e as Error).message };
  }
}

const copyText = (c: PlaneCopy) => (c.kept === 'current' ? 'The annotation' : `The annotation kept by edit #${c.editId} for undo`);

/** The error a read of a damaged plane throws: which plane of which volume, and what to do. */
export function damagedPlaneError(db: Database, volume: string, z: number, copy: PlaneCopy, damage: SliceDamage): AppError {
  const file = basename(db.name);
  return new AppError(
    'corrupt_file',
    `${copyText(copy)} of slice ${z} of "${volume}" in ${file} is damaged: ${describeDamage(damage)}; it was not used. ` +
      `Restore the project from a backup, or clear the annotations of "${volume}" (fibrecon annotate ${file} --volume ${volume} --clear) and paint them again; ` +
      `\`fibrecon check ${file} --deep\` lists every damaged plane.`,
    db.name,
  );
}

/** A stored plane checked against its CRC-32 and decoded; throws damagedPlaneError when it is damaged. */
export function decodeVerifiedPlane(db: Database, volume: string, z: number, copy: PlaneCopy, blob: Uint8Array, storedCrc32: number | null, length: number): Uint8Array {
  if (storedCrc32 !== null && sliceChecksum(blob) !== storedCrc32) {
    throw damagedPlaneError(db, volume, z, copy, { kind: 'checksum', storedCrc32, actualCrc32: sliceChecksum(blob) });
  }
  try {
    return decodeLabelPlane(blob, length);
  } catch (e) {
    throw damagedPlaneError(db, volume, z, copy, { kind: 'undecodable', reason: (e as Error).message });
  }
}

/** A plane kept for undo, checked before it is put back (null: the slice had no annotation then). */
export function verifyKeptPlane(db: Database, volume: string, z: number, editId: number, blob: Buffer | null, storedCrc32: number | null, length: number): void {
  if (blob !== null) decodeVerifiedPlane(db, volume, z, { kept: 'undo', editId }, blob, storedCrc32, length);
}

export interface DamagedPlane {
  z: number;
  copy: PlaneCopy;
  damage: SliceDamage;
  /** The damage in words. */
  problem: string;
}

export interface AnnotationCheck {
  volume: string;
  /** Plane blobs read: the current ones and those kept for undo. */
  planes: number;
  checksummed: number;
  /** Planes written before checksums (decoded all the same). */
  notChecksummed: number;
  damaged: DamagedPlane[];
  /** Why the planes were not decoded (a codec this version does not know); only checksums were compared. */
  notDecoded: string | null;
}

interface PlaneRow {
  set_id: number;
  z_index: number;
  data: Buffer;
  crc32: number | null;
  edit_id: number | null;
}

/** Every annotation set's planes (current and kept for undo): checksum compared, decoded in full. Reads only. */
export function checkAnnotationPlanes(db: Database, signal?: AbortSignal): AnnotationCheck[] {
  const sets = db.prepare('SELECT id, volume_name, ny, nx, codec FROM annotation_set ORDER BY id').all() as { id: number; volume_name: string; ny: number; nx: number; codec: string }[];
  const current = db.prepare('SELECT set_id, z_index, data, crc32, NULL AS edit_id FROM annotation_slice WHERE set_id = ? ORDER BY z_index');
  const kept = db.prepare(
    `SELECT e.set_id, s.z_index, s.previous AS data, s.previous_crc32 AS crc32, s.edit_id
     FROM annotation_edit_slice s JOIN annotation_edit e ON e.id = s.edit_id
     WHERE e.set_id = ? AND s.previous IS NOT NULL ORDER BY s.edit_id, s.z_index`,
  );
  return sets.map((set) => {
    const c: AnnotationCheck = { volume: set.volume_name, planes: 0, checksummed: 0, notChecksummed: 0, damaged: [], notDecoded: null };
    if (set.codec !== ANNOTATION_CODEC) c.notDecoded = `stored with codec ${set.codec}, which this fibrecon does not know: update fibrecon to check it in full`;
    const rows = [...(current.all(set.id) as PlaneRow[]), ...(kept.all(set.id) as PlaneRow[])];
    for (const r of rows) {
      throwIfAborted(signal);
      c.planes++;
      if (r.crc32 === null) c.notChecksummed++;
      else c.checksummed++;
      const damage =
        c.notDecoded === null
          ? planeDamage(r.data, r.crc32, set.ny * set.nx)
          : r.crc32 !== null && sliceChecksum(r.data) !== r.crc32
            ? ({ kind: 'checksum', storedCrc32: r.crc32, actualCrc32: sliceChecksum(r.data) } as const)
            : null;
      if (damage) {
        const copy: PlaneCopy = r.edit_id === null ? { kept: 'current' } : { kept: 'undo', editId: r.edit_id };
        c.damaged.push({ z: r.z_index, copy, damage, problem: describeDamage(damage) });
      }
    }
    return c;
  });
}
