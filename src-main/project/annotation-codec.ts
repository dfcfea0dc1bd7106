// Lossless codec of stored annotation planes (uint8, mostly 0, values in long
// runs where painted). Why not the slice codec: painting decodes and re-encodes
// the slice at every stroke, and delta + deflate over a whole 1024 x 1024 plane
// took ~20 ms for both on a busy core; runs first leave zlib a few kilobytes
// instead of a megabyte (~3 ms). Decodable with nothing but zlib and a loop.
// Layout: u8 format (1), then raw deflate of the runs: per run u8 value and the
// run length as an unsigned LEB128 varint; the lengths add up to the plane size.
import zlib from 'node:zlib';
import { AppError } from '../../src-shared/errors';

export const ANNOTATION_CODEC = 'label-runs-deflate/1';

const FORMAT = 1;
const DEFLATE_OPTIONS: zlib.ZlibOptions = { level: 1 };

function damaged(why: string): AppError {
  return new AppError('corrupt_file', `A stored annotation plane cannot be decoded (${why}): the project file is damaged. Restore it from a backup.`);
}

export function encodeLabelPlane(plane: Uint8Array): Buffer {
  const n = plane.length;
  // Worst case: every pixel its own run of 1 (value + 1 byte length).
  let out = new Uint8Array(Math.min(2 * n, 1 << 16) + 16);
  let at = 0;
  let i = 0;
  while (i < n) {
    const v = plane[i];
    let j = i + 1;
    while (j < n && plane[j] === v) j++;
    if (at + 6 > out.length) {
      const bigger = new Uint8Array(Math.min(out.length * 2, 6 * n + 16));
      bigger.set(out);
      out = bigger;
    }
    out[at++] = v;
    let len = j - i;
    while (len >= 0x80) {
      out[at++] = (len & 0x7f) | 0x80;
      len >>>= 7;
    }
    out[at++] = len;
    i = j;
  }
  const body = zlib.deflateRawSync(out.subarray(0, at), DEFLATE_OPTIONS);
  const blob = Buffer.allocUnsafe(1 + body.length);
  blob[0] = FORMAT;
  body.copy(blob, 1);
  return blob;
}

export function decodeLabelPlane(blob: Uint8Array, length: number): Uint8Array {
  if (blob.length < 1 || blob[0] !== FORMAT) throw damaged(`unknown format byte ${blob[0]}`);
  let runs: Uint8Array;
  try {
    runs = zlib.inflateRawSync(blob.subarray(1));
  } catch (e) {
    throw damaged((e as Error).message);
  }
  const plane = new Uint8Array(length);
  let at = 0;
  let p = 0;
  while (at < runs.length) {
    const v = runs[at++];
    let len = 0;
    let shift = 0;
    let b: number;
    do {
      if (at >= runs.length || shift > 28) throw damaged('a run length is cut off');
      b = runs[at++];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    if (p + len > length) throw damaged(`its runs hold more than the ${length} pixels of a plane`);
    if (v !== 0) plane.fill(v, p, p + len);
    p += len;
  }
  if (p !== length) throw damaged(`its runs hold ${p} pixels, not ${length}`);
  return plane;
}
