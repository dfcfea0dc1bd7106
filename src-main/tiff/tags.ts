// TIFF tag numbers and field types the reader uses, and helpers to get at
// tag values. See the TIFF 6.0 and BigTIFF specifications.
import type { TagValue } from './types';

export const TAG = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  FillOrder: 266,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  PlanarConfig: 284,
  ResolutionUnit: 296,
  Predictor: 317,
  ColorMap: 320,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  ExtraSamples: 338,
  SampleFormat: 339,
} as const;

/** Tags that define the pixel layout: a broken one makes the page unreadable. */
export const STRUCTURE_TAGS: ReadonlySet<number> = new Set([
  256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 317, 320, 322, 323, 324, 325, 338, 339,
]);

/** Bytes per value of each TIFF field type; 0 for unknown types. */
export function typeSize(type: number): number {
  switch (type) {
    case 1: case 2: case 6: case 7: return 1; // BYTE ASCII SBYTE UNDEFINED
    case 3: case 8: return 2; // SHORT SSHORT
    case 4: case 9: case 11: case 13: return 4; // LONG SLONG FLOAT IFD
    case 5: case 10: case 12: case 16: case 17: case 18: return 8; // (S)RATIONAL DOUBLE LONG8 SLONG8 IFD8
    default: return 0;
  }
}

/** Types whose payload is kept as raw bytes rather than numbers. */
export function isByteType(type: number): boolean {
  return type === 1 || type === 2 || type === 7;
}

/** Decodes `count` numeric values of `type` from `bytes` (starting at 0). */
export function decodeNumbers(bytes: Uint8Array, type: number, count: number, le: boolean): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(count);
  switch (type) {
    case 6: for (let i = 0; i < count; i++) out[i] = dv.getInt8(i); break;
    case 3: for (let i = 0; i < count; i++) out[i] = dv.getUint16(2 * i, le); break;
    case 8: for (let i = 0; i < count; i++) out[i] = dv.getInt16(2 * i, le); break;
    case 4: case 13: for (let i = 0; i < count; i++) out[i] = dv.getUint32(4 * i, le); break;
    case 9: for (let i = 0; i < count; i++) out[i] = dv.getInt32(4 * i, le); break;
    case 11: for (let i = 0; i < count; i++) out[i] = dv.getFloat32(4 * i, le); break;
    case 12: for (let i = 0; i < count; i++) out[i] = dv.getFloat64(8 * i, le); break;
    case 5: for (let i = 0; i < count; i++) out[i] = dv.getUint32(8 * i, le) / dv.getUint32(8 * i + 4, le); break;
    case 10: for (let i = 0; i < count; i++) out[i] = dv.getInt32(8 * i, le) / dv.getInt32(8 * i + 4, le); break;
    case 16: case 18: for (let i = 0; i < count; i++) out[i] = Number(dv.getBigUint64(8 * i, le)); break;
    case 17: for (let i = 0; i < count; i++) out[i] = Number(dv.getBigInt64(8 * i, le)); break;
    default: throw new Error(`no numeric decoding for TIFF type ${type}`);
  }
  return out;
}

/** The numbers of a tag (byte tags give their bytes), or undefined. */
export function tagNumbers(tags: Map<number, TagValue>, tag: number): number[] | undefined {
  const t = tags.get(tag);
  if (!t) return undefined;
  if (t.values) return t.values;
  return t.bytes ? Array.from(t.bytes) : undefined;
}

/** First number of a tag, or `dflt` when absent or empty. */
export function tagNumber(tags: Map<number, TagValue>, tag: number, dflt: number): number {
  const v = tagNumbers(tags, tag);
  return v && v.length > 0 ? v[0] : dflt;
}
