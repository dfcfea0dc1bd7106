// Encodes one TIFF image file directory (IFD) followed by the values that do
// not fit into its entries, for classic TIFF (32-bit offsets) and BigTIFF
// (64-bit offsets). Pure: it returns bytes and the absolute offsets of the
// out-of-line values, so a writer can place the block anywhere in a file.

/** TIFF field types used by the writer. */
export const TiffType = {
  ASCII: 2,
  SHORT: 3,
  LONG: 4,
  RATIONAL: 5,
  LONG8: 16,
} as const;
export type TiffTypeCode = (typeof TiffType)[keyof typeof TiffType];

const TYPE_BYTES: Record<TiffTypeCode, number> = { 2: 1, 3: 2, 4: 4, 5: 8, 16: 8 };

export interface IfdEntry {
  tag: number;
  type: TiffTypeCode;
  /**
   * Numbers for SHORT / LONG / LONG8, [numerator, denominator] pairs flattened
   * for RATIONAL, raw bytes (including the terminating NUL) for ASCII.
   */
  value: readonly number[] | Uint8Array;
}

/** Sizes that differ between classic TIFF and BigTIFF. */
export interface TiffFlavourSizes {
  headerBytes: number;
  /** Bytes of the entry count at the start of an IFD. */
  countBytes: number;
  entryBytes: number;
  /** Bytes of the next-IFD offset at the end of an IFD; also the inline value capacity. */
  offsetBytes: number;
}

export function flavourSizes(bigTiff: boolean): TiffFlavourSizes {
  return bigTiff
    ? { headerBytes: 16, countBytes: 8, entryBytes: 20, offsetBytes: 8 }
    : { headerBytes: 8, countBytes: 2, entryBytes: 12, offsetBytes: 4 };
}

function entryCount(e: IfdEntry): number {
  if (e.value instanceof Uint8Array) return e.value.length;
  return e.type === TiffType.RATIONAL ? e.value.length / 2 : e.value.length;
}

function entryValueBytes(e: IfdEntry): number {
  return e.value instanceof Uint8Array ? e.value.length : e.value.length * TYPE_BYTES[e.type] / (e.type === TiffType.RATIONAL ? 2 : 1);
}

const even = (n: number): number => n + (n & 1);

/** Total bytes of the block that encodeIfd returns for these entries (IFD plus out-of-line values). */
export function ifdBlockBytes(entries: readonly IfdEntry[], bigTiff: boolean): number {
  const s = flavourSizes(bigTiff);
  let n = s.countBytes + entries.length * s.entryBytes + s.offsetBytes;
  for (const e of entries) {
    const b = entryValueBytes(e);
    if (b > s.offsetBytes) n += even(b);
  }
  return even(n);
}

export interface EncodedIfd {
  bytes: Uint8Array;
  /** Absolute file offset of each out-of-line value, by tag (inline values are absent). */
  valueOffsets: Map<number, number>;
}

/**
 * Encodes an IFD to be stored at absolute file offset `at` (must be even),
 * with its out-of-line values packed right after it, each on an even offset.
 * Entries are sorted by tag as TIFF requires; duplicate tags are an error.
 */
export function encodeIfd(entries: readonly IfdEntry[], at: number, bigTiff: boolean, nextIfdOffset: number): EncodedIfd {
  if (at % 2 !== 0) throw new Error(`IFD offset ${at} is not even`);
  const s = flavourSizes(bigTiff);
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].tag === sorted[i - 1].tag) throw new Error(`duplicate TIFF tag ${sorted[i].tag}`);
  }
  const total = ifdBlockBytes(sorted, bigTiff);
  const bytes = new Uint8Array(total);
  const dv = new DataView(bytes.buffer);
  const putOffset = (pos: number, v: number): void => {
    if (bigTiff) dv.setBigUint64(pos, BigInt(v), true);
    else dv.setUint32(pos, v, true);
  };

  let pos = 0;
  if (bigTiff) dv.setBigUint64(0, BigInt(sorted.length), true);
  else dv.setUint16(0, sorted.length, true);
  pos += s.countBytes;

  let extra = s.countBytes + sorted.length * s.entryBytes + s.offsetBytes;
  const valueOffsets = new Map<number, number>();
  for (const e of sorted) {
    dv.setUint16(pos, e.tag, true);
    dv.setUint16(pos + 2, e.type, true);
    putOffset(pos + 4, entryCount(e));
    const valuePos = pos + 4 + s.offsetBytes;
    const nbytes = entryValueBytes(e);
    let target = valuePos;
    if (nbytes > s.offsetBytes) {
      putOffset(valuePos, at + extra);
      valueOffsets.set(e.tag, at + extra);
      target = extra;
      extra += even(nbytes);
    }
    writeValue(dv, bytes, target, e);
    pos += s.entryBytes;
  }
  putOffset(pos, nextIfdOffset);
  return { bytes, valueOffsets };
}

function writeValue(dv: DataView, bytes: Uint8Array, at: number, e: IfdEntry): void {
  if (e.value instanceof Uint8Array) {
    bytes.set(e.value, at);
    return;
  }
  const w = TYPE_BYTES[e.type] / (e.type === TiffType.RATIONAL ? 2 : 1);
  e.value.forEach((v, i) => {
    const p = at + i * w;
    if (!Number.isInteger(v) || v < 0) throw new Error(`TIFF tag ${e.tag}: value ${v} is not a non-negative integer`);
    if (w === 2) {
      if (v > 0xffff) throw new Error(`TIFF tag ${e.tag}: ${v} does not fit a SHORT`);
      dv.setUint16(p, v, true);
    } else if (w === 4) {
      if (v > 0xffffffff) throw new Error(`TIFF tag ${e.tag}: ${v} does not fit a LONG`);
      dv.setUint32(p, v, true);
    } else {
      dv.setBigUint64(p, BigInt(v), true);
    }
  });
}

/** The file header: byte order "II", version 42 or 43, offset of the first IFD. */
export function encodeHeader(bigTiff: boolean, firstIfdOffset: number): Uint8Array {
  const s = flavourSizes(bigTiff);
  const bytes = new Uint8Array(s.headerBytes);
  const dv = new DataView(bytes.buffer);
  bytes[0] = 0x49;
  bytes[1] = 0x49;
  if (bigTiff) {
    dv.setUint16(2, 43, true);
    dv.setUint16(4, 8, true); // bytesize of offsets
    dv.setUint16(6, 0, true);
    dv.setBigUint64(8, BigInt(firstIfdOffset), true);
  } else {
    dv.setUint16(2, 42, true);
    dv.setUint32(4, firstIfdOffset, true);
  }
  return bytes;
}
