// TIFF header and IFD chain, read by byte ranges: classic TIFF (42, 4-byte
// offsets) and BigTIFF (43, 8-byte offsets), either byte order.
import type { ByteSource } from './byte-source';
import { COPY_AGAIN, COPY_OR_REEXPORT, REEXPORT, corrupt } from './tiff-errors';
import { STRUCTURE_TAGS, decodeNumbers, isByteType, typeSize } from './tags';
import type { TagValue } from './types';

export interface TiffHeader {
  littleEndian: boolean;
  bigTiff: boolean;
  firstIfd: number;
}

export interface RawIfd {
  offset: number;
  tags: Map<number, TagValue>;
}

export interface IfdOptions {
  /** Byte payloads larger than this stay in the file (TagValue.lazyOffset). */
  maxEagerTagBytes: number;
  /** Stop after this many IFDs (guards against absurd chains). */
  maxIfds: number;
}

/** Bytes read at an IFD in one go; out-of-line values inside it need no further read. */
const IFD_WINDOW = 4096;

function describeStart(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 8);
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(head, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
  return head.length === 0 ? 'it is empty' : `it starts with ${hex} "${text}"`;
}

/** Other formats people pick by mistake, by their first bytes. */
const OTHER_FORMATS: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x42, 0x4d], 'a BMP image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (unpack it first)'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
];

function otherFormat(bytes: Uint8Array): string | undefined {
  return OTHER_FORMATS.find(([sig]) => sig.every((b, i) => bytes[i] === b))?.[1];
}

/** "II*\0", "MM\0*", "II+\0", "MM\0+": the first four bytes of a classic or BigTIFF file. */
const SIGNATURES = [
  [0x49, 0x49, 42, 0],
  [0x4d, 0x4d, 0, 42],
  [0x49, 0x49, 43, 0],
  [0x4d, 0x4d, 0, 43],
];

/** True when the bytes there are agree with the start of a TIFF signature (the file may be cut short). */
function startsLikeTiff(bytes: Uint8Array): boolean {
  const n = Math.min(4, bytes.length);
  return n > 0 && SIGNATURES.some((sig) => sig.slice(0, n).every((b, i) => bytes[i] === b));
}

/** Reads an unsigned 64-bit value as a Number; undefined when above 2^53. */
function u64(dv: DataView, at: number, le: boolean): number | undefined {
  const v = dv.getBigUint64(at, le);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

export function parseHeader(bytes: Uint8Array, path: string): TiffHeader {
  const cutShort = (need: number, kind: string) =>
    corrupt(path, `is cut short: it has ${bytes.length} byte${bytes.length === 1 ? '' : 's'}, fewer than the ${need} bytes of ${kind} header alone; ${COPY_AGAIN}`);
  const notTiff = () => {
    const other = otherFormat(bytes);
    return corrupt(
      path,
      `is not a TIFF file (${describeStart(bytes)}${other ? `: it is ${other}` : ''}; a TIFF starts with "II*" or "MM*"): ` +
        `choose the TIFF files of the stack, or ${REEXPORT}`,
    );
  };
  if (bytes.length === 0) throw corrupt(path, `is empty (0 bytes): the copy did not finish; ${COPY_AGAIN}`);
  if (bytes.length < 8) {
    if (!startsLikeTiff(bytes)) throw notTiff();
    throw bytes[2] === 43 || bytes[3] === 43 ? cutShort(16, 'a BigTIFF') : cutShort(8, 'a TIFF');
  }
  const le = bytes[0] === 0x49 && bytes[1] === 0x49;
  const be = bytes[0] === 0x4d && bytes[1] === 0x4d;
  if (!le && !be) throw notTiff();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint16(2, le);
  if (magic === 42) return { littleEndian: le, bigTiff: false, firstIfd: dv.getUint32(4, le) };
  if (magic === 43) {
    if (bytes.length < 16) throw cutShort(16, 'a BigTIFF');
    if (dv.getUint16(4, le) !== 8 || dv.getUint16(6, le) !== 0) {
      throw corrupt(path, `has a malformed BigTIFF header (offset size ${dv.getUint16(4, le)}, expected 8); ${COPY_OR_REEXPORT}`);
    }
    const first = u64(dv, 8, le);
    if (first === undefined) throw corrupt(path, `has a malformed BigTIFF header (its first image directory lies beyond byte 2^53); ${COPY_OR_REEXPORT}`);
    return { littleEndian: le, bigTiff: true, firstIfd: first };
  }
  throw corrupt(
    path,
    `is not a TIFF file: it starts with the TIFF byte order mark "${le ? 'II' : 'MM'}" but then the version number ${magic} instead of 42 (TIFF) or 43 (BigTIFF); ` +
      `the file is damaged or of another format: ${COPY_OR_REEXPORT}`,
  );
}

/** Walks the IFD chain from the header's first IFD. */
export async function readIfds(src: ByteSource, h: TiffHeader, opts: IfdOptions): Promise<{ ifds: RawIfd[]; notices: string[] }> {
  const ifds: RawIfd[] = [];
  const notices: string[] = [];
  const seen = new Set<number>();
  let offset = h.firstIfd;
  while (offset !== 0) {
    if (seen.has(offset)) {
      throw corrupt(src.name, `is corrupt: its list of images loops back to byte ${offset} after ${ifds.length} images; ${COPY_AGAIN}`);
    }
    if (ifds.length >= opts.maxIfds) {
      notices.push(`Stopped after ${opts.maxIfds} images; the rest of the file was not read.`);
      break;
    }
    seen.add(offset);
    const { ifd, next } = await readIfd(src, h, offset, ifds.length, opts, notices);
    ifds.push(ifd);
    offset = next;
  }
  if (ifds.length === 0) {
    throw corrupt(src.name, `contains no image: its header points to no image directory (first IFD offset 0), as when the writing program stopped before saving an image; ${REEXPORT}`);
  }
  return { ifds, notices };
}

async function readIfd(
  src: ByteSource,
  h: TiffHeader,
  offset: number,
  index: number,
  opts: IfdOptions,
  notices: string[],
): Promise<{ ifd: RawIfd; next: number }> {
  const le = h.littleEndian;
  const countSize = h.bigTiff ? 8 : 2;
  const entrySize = h.bigTiff ? 20 : 12;
  const inline = h.bigTiff ? 8 : 4;
  const beyond = (what: string) =>
    corrupt(src.name, `is truncated: ${what} but the file has ${src.size} bytes; ${COPY_AGAIN}`);
  if (offset + countSize > src.size) throw beyond(`the directory of image ${index + 1} starts at byte ${offset}`);
  let win = await src.read(offset, IFD_WINDOW);
  let dv = new DataView(win.buffer, win.byteOffset, win.byteLength);
  const n = h.bigTiff ? u64(dv, 0, le) : dv.getUint16(0, le);
  const total = n === undefined ? Infinity : countSize + n * entrySize + inline;
  if (offset + total > src.size) throw beyond(`the directory of image ${index + 1} ends at byte ${offset + total}`);
  if (total > win.length) {
    win = await src.read(offset, total);
    dv = new DataView(win.buffer, win.byteOffset, win.byteLength);
  }
  const tags = new Map<number, TagValue>();
  for (let i = 0; i < (n as number); i++) {
    const e = countSize + i * entrySize;
    const tag = dv.getUint16(e, le);
    const type = dv.getUint16(e + 2, le);
    const count = h.bigTiff ? u64(dv, e + 4, le) : dv.getUint32(e + 4, le);
    const size = typeSize(type);
    if (size === 0 || count === undefined) continue; // unknown type: readers must skip it
    const bytesLen = size * count;
    const valueAt = e + 4 + (h.bigTiff ? 8 : 4);
    let payload: Uint8Array | undefined;
    let lazyOffset: number | undefined;
    if (bytesLen <= inline) {
      payload = win.subarray(valueAt, valueAt + bytesLen);
    } else {
      const at = h.bigTiff ? u64(dv, valueAt, le) : dv.getUint32(valueAt, le);
      if (at === undefined || at + bytesLen > src.size) {
        if (STRUCTURE_TAGS.has(tag)) {
          throw beyond(`tag ${tag} of image ${index + 1} needs bytes up to ${at === undefined ? 'beyond 2^53' : at + bytesLen}`);
        }
        notices.push(`Ignored tag ${tag} of image ${index + 1}: its value lies beyond the end of the file.`);
        continue;
      }
      if (isByteType(type) && bytesLen > opts.maxEagerTagBytes) lazyOffset = at;
      else if (at >= offset && at + bytesLen <= offset + win.length) payload = win.subarray(at - offset, at - offset + bytesLen);
      else payload = await src.read(at, bytesLen);
    }
    if (lazyOffset !== undefined) tags.set(tag, { type, count, lazyOffset });
    else if (isByteType(type)) tags.set(tag, { type, count, bytes: (payload as Uint8Array).slice() });
    else tags.set(tag, { type, count, values: decodeNumbers(payload as Uint8Array, type, count, le) });
  }
  const nextAt = countSize + (n as number) * entrySize;
  const next = h.bigTiff ? u64(dv, nextAt, le) : dv.getUint32(nextAt, le);
  if (next === undefined || next > src.size) {
    throw beyond(`image ${index + 2} should start at byte ${next ?? 'beyond 2^53'}`);
  }
  return { ifd: { offset, tags }, next };
}
