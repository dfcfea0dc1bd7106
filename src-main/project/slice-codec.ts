// Lossless codec of the slices stored in a project.
//
// Why this codec: pixels must come back bit-exact, compression must keep up
// with the import (aim: >= 150 MB/s for the whole import on two cores), and
// decoding must need nothing but Node's own zlib (no native add-on to rebuild
// per platform, and any later tool can read a project with zlib alone).
// FIB-SEM images are noisy: LZ77 match finding buys little on them, so we
//   1. difference each integer pixel from its left neighbour (wrapping mod 2^bits),
//   2. split the residuals into byte planes (low bytes, then high bytes, ...),
//   3. per plane: if a sampled byte histogram says it is nearly random (the low
//      byte of noisy 16-bit data), store it raw; else deflate it (raw deflate,
//      Z_RLE: run-length + Huffman, ~3x faster than deflate level 1 at about the
//      same ratio on such data). Planes compress in parallel on libuv's pool.
// Layout: u8 format (1), u8 plane count, per plane u8 mode (0 raw, 1 deflate)
// and u32 LE payload length, then the payloads in order.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { DTYPES, type DType, type SliceArray } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';

export const SLICE_CODEC = 'delta-byteplanes-rle/1';

const deflateRaw = promisify(zlib.deflateRaw);
const inflateRaw = promisify(zlib.inflateRaw);
const DEFLATE_OPTIONS: zlib.ZlibOptions = { level: 1, strategy: zlib.constants.Z_RLE, memLevel: 9 };
/** Bits per byte above which a plane is stored raw: deflate would save < ~5 %. */
const RAW_ENTROPY_BITS = 7.6;
const FORMAT = 1;

/** Steps 1-2: residuals split into byte planes (one Uint8Array per byte of the type). */
export function toBytePlanes(slice: SliceArray): Uint8Array[] {
  const n = slice.length;
  if (slice instanceof Uint8Array) {
    const out = new Uint8Array(n);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const v = slice[i];
      out[i] = v - prev;
      prev = v;
    }
    return [out];
  }
  if (slice instanceof Uint16Array) {
    const lo = new Uint8Array(n);
    const hi = new Uint8Array(n);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const v = slice[i];
      const d = v - prev;
      prev = v;
      lo[i] = d;
      hi[i] = d >> 8;
    }
    return [lo, hi];
  }
  // float32: no prediction (differences of floats are not lossless), planes only.
  const bytes = new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength);
  const planes = [0, 1, 2, 3].map(() => new Uint8Array(n));
  for (let i = 0; i < n; i++) for (let b = 0; b < 4; b++) planes[b][i] = bytes[4 * i + b];
  return planes;
}

/** Inverse of toBytePlanes. */
export function fromBytePlanes(planes: readonly Uint8Array[], dtype: DType, length: number): SliceArray {
  if (planes.length !== DTYPES[dtype].bytes || planes.some((p) => p.length !== length)) {
    throw damaged(`it has ${planes.length} byte planes of ${planes.map((p) => p.length).join('/')} bytes where ${DTYPES[dtype].bytes} of ${length} were expected`);
  }
  const n = length;
  if (dtype === 'uint8') {
    const out = new Uint8Array(n);
    const p = planes[0];
    let prev = 0;
    for (let i = 0; i < n; i++) out[i] = prev = (prev + p[i]) & 0xff;
    return out;
  }
  if (dtype === 'uint16') {
    const out = new Uint16Array(n);
    const [lo, hi] = planes;
    let prev = 0;
    for (let i = 0; i < n; i++) out[i] = prev = (prev + (lo[i] | (hi[i] << 8))) & 0xffff;
    return out;
  }
  const out = new Float32Array(n);
  const bytes = new Uint8Array(out.buffer);
  for (let i = 0; i < n; i++) for (let b = 0; b < 4; b++) bytes[4 * i + b] = planes[b][i];
  return out;
}

/** Shannon entropy in bits per byte, estimated on every 8th byte. */
export function sampledEntropyBits(plane: Uint8Array): number {
  const hist = new Uint32Array(256);
  let count = 0;
  for (let i = 0; i < plane.length; i += 8) {
    hist[plane[i]]++;
    count++;
  }
  let h = 0;
  for (let v = 0; v < 256; v++) {
    if (hist[v] === 0) continue;
    const p = hist[v] / count;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A blob that does not decode; `reason` says why, for messages that name the slice (volume-store). */
export class SliceDecodeError extends AppError {
  constructor(readonly reason: string) {
    super('corrupt_file', `A stored slice cannot be decoded (${reason}): the project file is damaged. Restore it from a backup.`);
  }
}

function damaged(why: string): AppError {
  return new SliceDecodeError(why);
}

type Payload = { mode: number; data: Uint8Array };

function isNearlyRandom(plane: Uint8Array): boolean {
  return sampledEntropyBits(plane) > RAW_ENTROPY_BITS;
}

function assemble(payloads: readonly Payload[]): Buffer {
  const header = Buffer.alloc(2 + 5 * payloads.length);
  header[0] = FORMAT;
  header[1] = payloads.length;
  payloads.forEach((p, i) => {
    header[2 + 5 * i] = p.mode;
    header.writeUInt32LE(p.data.length, 3 + 5 * i);
  });
  return Buffer.concat([header, ...payloads.map((p) => p.data)]);
}

/** Compresses on libuv's thread pool (planes in parallel); the split runs on the calling thread. */
export async function encodeSlice(slice: SliceArray): Promise<Buffer> {
  const payloads = await Promise.all(
    toBytePlanes(slice).map(async (p) => (isNearlyRandom(p) ? { mode: 0, data: p } : { mode: 1, data: await deflateRaw(p, DEFLATE_OPTIONS) })),
  );
  return assemble(payloads);
}

/** The same bytes as encodeSlice, all on the calling thread (for encoder workers). */
export function encodeSliceSync(slice: SliceArray): Buffer {
  return assemble(toBytePlanes(slice).map((p) => (isNearlyRandom(p) ? { mode: 0, data: p } : { mode: 1, data: zlib.deflateRawSync(p, DEFLATE_OPTIONS) })));
}

function splitPayloads(blob: Uint8Array): { mode: number; data: Uint8Array }[] {
  if (blob.length < 2 || blob[0] !== FORMAT) throw damaged(`unknown format byte ${blob[0]}`);
  const count = blob[1];
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let at = 2 + 5 * count;
  if (at > blob.length) throw damaged('its header is cut off');
  return Array.from({ length: count }, (_, i) => {
    const mode = blob[2 + 5 * i];
    const len = view.getUint32(3 + 5 * i, true);
    if (at + len > blob.length || mode > 1) throw damaged('its plane table does not match its size');
    const data = blob.subarray(at, at + len);
    at += len;
    return { mode, data };
  });
}

export async function decodeSlice(blob: Uint8Array, dtype: DType, length: number): Promise<SliceArray> {
  const planes = await Promise.all(
    splitPayloads(blob).map(async ({ mode, data }) => {
      if (mode === 0) return data;
      try {
        return new Uint8Array(await inflateRaw(data));
      } catch (e) {
        throw damaged((e as Error).message);
      }
    }),
  );
  return fromBytePlanes(planes, dtype, length);
}

export function decodeSliceSync(blob: Uint8Array, dtype: DType, length: number): SliceArray {
  const planes = splitPayloads(blob).map(({ mode, data }) => {
    if (mode === 0) return data;
    try {
      return new Uint8Array(zlib.inflateRawSync(data));
    } catch (e) {
      throw damaged((e as Error).message);
    }
  });
  return fromBytePlanes(planes, dtype, length);
}
