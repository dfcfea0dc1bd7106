// Integrity of stored slices. SQLite's own checks (integrity_check, page
// structure) say nothing about the bytes inside a blob: a flipped bit in a slice
// can decode to wrong voxels without any error, since the codec's deflate stream
// carries no checksum and its raw planes none at all. So every slice blob is
// stored with the CRC-32 of its bytes as stored (schema 4, column slice.crc32),
// and every read checks it before decoding: a damaged slice is an error that
// names it, never wrong voxels. Slices written before schema 4 have NULL there
// and read as before.
//
// CRC-32 (the ISO-HDLC polynomial of zlib, gzip and PNG) is computed by zlib's
// own crc32 (cost per slice: bench/slice-checksum-bench.ts). In blobs of any size
// it detects every error of one or two bits and every burst of up to 32 bits, and
// misses about one in 2^32 of all other errors (Koopman, "32-bit cyclic redundancy
// codes for Internet applications", 2002). It guards against damage, not against
// someone who edits the file on purpose (and would recompute it).
import { basename } from 'node:path';
import zlib from 'node:zlib';
import type { DType, SliceArray } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';
import { decodeSlice, SliceDecodeError } from './slice-codec';

/** The CRC-32 of a blob's bytes as stored (an unsigned 32-bit integer). */
export function sliceChecksum(blob: Uint8Array): number {
  return zlib.crc32(blob) >>> 0;
}

/** What is wrong with a stored slice. */
export type SliceDamage =
  | { kind: 'checksum'; storedCrc32: number; actualCrc32: number }
  | { kind: 'undecodable'; reason: string }
  | { kind: 'missing' }
  | { kind: 'unreadable'; reason: string };

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** The damage in words: "its stored bytes no longer match ...". */
export function describeDamage(d: SliceDamage): string {
  switch (d.kind) {
    case 'checksum':
      return `its stored bytes no longer match the checksum written with them (CRC-32 stored ${hex(d.storedCrc32)}, now ${hex(d.actualCrc32)})`;
    case 'undecodable':
      return `it cannot be decoded (${d.reason})`;
    case 'missing':
      return 'it is missing from the project file';
    case 'unreadable':
      return `SQLite cannot read it (${d.reason})`;
  }
}

/**
 * Checks a stored blob against its CRC-32 (none: written by an older version, not checked),
 * then decodes it. Any failure to decode is damage too: a stored blob was once encoded whole.
 */
export async function decodeVerified(
  blob: Uint8Array,
  storedCrc32: number | null,
  dtype: DType,
  length: number,
): Promise<{ slice: SliceArray } | { damage: SliceDamage }> {
  if (storedCrc32 !== null) {
    const actualCrc32 = sliceChecksum(blob);
    if (actualCrc32 !== storedCrc32) return { damage: { kind: 'checksum', storedCrc32, actualCrc32 } };
  }
  try {
    return { slice: await decodeSlice(blob, dtype, length) };
  } catch (e) {
    return { damage: { kind: 'undecodable', reason: e instanceof SliceDecodeError ? e.reason : (e as Error).message } };
  }
}

/** The error a read of a damaged slice throws: which slice of which volume in which project, and what to do. */
export function damagedSliceError(projectPath: string, volume: string, zIndex: number, damage: SliceDamage): AppError {
  const file = basename(projectPath);
  return new AppError(
    'corrupt_file',
    `Slice ${zIndex} of "${volume}" in ${file} is damaged: ${describeDamage(damage)}; none of its voxels were used. ` +
      `Restore the project from a backup, or re-import the channel (or re-run the step that made "${volume}"); ` +
      `\`fibrecon check ${file} --deep\` lists every damaged slice.`,
    projectPath,
  );
}
