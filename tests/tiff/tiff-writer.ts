// Test-only TIFF writer: builds classic or BigTIFF files from pre-encoded
// strips and arbitrary tags, so tests can make layouts tifffile will not
// write (LZW, PackBits, 12-bit, JPEG tags, broken offsets, ImageJ > 4 GiB).

export interface Entry {
  tag: number;
  /** 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 7 UNDEFINED, 16 LONG8. */
  type: 1 | 2 | 3 | 4 | 7 | 16;
  values: number[] | Uint8Array;
}

export interface PageSpec {
  entries: Entry[];
  /** Strip or tile payloads, written before the IFD; their offsets fill `offsetsTag`. */
  chunks: Uint8Array[];
  /** 273 StripOffsets (default) or 324 TileOffsets; byte counts go to 279 or 325. */
  offsetsTag?: 273 | 324;
  /** Byte counts to write instead of the chunk lengths (ImageJ's one-IFD layout lists one plane). */
  byteCounts?: number[];
  /** Offsets to list instead of writing `chunks` (data placed later, e.g. in a sparse file). */
  externalOffsets?: number[];
}

export interface WriteOptions {
  littleEndian?: boolean;
  bigTiff?: boolean;
  /** Bytes written right after the header (at offset 8, or 16 for BigTIFF), e.g. data that externalOffsets point at. */
  leading?: Uint8Array;
}

const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 7: 1, 16: 8 };

export function writeTiff(pages: PageSpec[], opts: WriteOptions = {}): Uint8Array {
  const le = opts.littleEndian ?? true;
  const big = opts.bigTiff ?? false;
  const parts: Uint8Array[] = [];
  let pos = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    pos += b.length;
    if (pos % 2) push(new Uint8Array(1));
  };
  const header = new Uint8Array(big ? 16 : 8);
  const hv = new DataView(header.buffer);
  header.set(le ? [0x49, 0x49] : [0x4d, 0x4d]);
  hv.setUint16(2, big ? 43 : 42, le);
  if (big) hv.setUint16(4, 8, le);
  push(header);
  if (opts.leading) push(opts.leading);
  const nextFixups: { at: number; value: number }[] = [];
  let prevNextAt = big ? 8 : 4;
  for (const page of pages) {
    const offsets: number[] = page.externalOffsets ? [...page.externalOffsets] : [];
    if (!page.externalOffsets) {
      for (const c of page.chunks) {
        offsets.push(pos);
        push(c);
      }
    }
    const oTag = page.offsetsTag ?? 273;
    const cTag = oTag === 273 ? 279 : 325;
    const entries = [
      ...page.entries.filter((e) => e.tag !== oTag && e.tag !== cTag),
      { tag: oTag, type: big ? 16 : 4, values: offsets } as Entry,
      { tag: cTag, type: big ? 16 : 4, values: page.byteCounts ?? page.chunks.map((c) => c.length) } as Entry,
    ].sort((a, b) => a.tag - b.tag);
    const entrySize = big ? 20 : 12;
    const inline = big ? 8 : 4;
    const ifdSize = (big ? 8 : 2) + entries.length * entrySize + (big ? 8 : 4);
    const ifdAt = pos;
    nextFixups.push({ at: prevNextAt, value: ifdAt });
    const ifd = new Uint8Array(ifdSize);
    const dv = new DataView(ifd.buffer);
    if (big) dv.setBigUint64(0, BigInt(entries.length), le);
    else dv.setUint16(0, entries.length, le);
    let extraAt = ifdAt + ifdSize;
    const extras: Uint8Array[] = [];
    entries.forEach((e, i) => {
      const bytes = encodeValues(e, le);
      const at = (big ? 8 : 2) + i * entrySize;
      dv.setUint16(at, e.tag, le);
      dv.setUint16(at + 2, e.type, le);
      const count = e.values.length;
      if (big) dv.setBigUint64(at + 4, BigInt(count), le);
      else dv.setUint32(at + 4, count, le);
      const valueAt = at + (big ? 12 : 8);
      if (bytes.length <= inline) {
        ifd.set(bytes, valueAt);
      } else {
        if (big) dv.setBigUint64(valueAt, BigInt(extraAt), le);
        else dv.setUint32(valueAt, extraAt, le);
        extras.push(bytes);
        extraAt += bytes.length + (bytes.length % 2);
      }
    });
    prevNextAt = ifdAt + ifdSize - (big ? 8 : 4);
    push(ifd);
    for (const x of extras) push(x);
  }
  const out = new Uint8Array(pos);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  const ov = new DataView(out.buffer);
  for (const f of nextFixups) {
    if (big) ov.setBigUint64(f.at, BigInt(f.value), le);
    else ov.setUint32(f.at, f.value, le);
  }
  return out;
}

function encodeValues(e: Entry, le: boolean): Uint8Array {
  const size = SIZE[e.type];
  const out = new Uint8Array(e.values.length * size);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < e.values.length; i++) {
    const v = e.values[i];
    if (size === 1) out[i] = v;
    else if (size === 2) dv.setUint16(2 * i, v, le);
    else if (size === 4) dv.setUint32(4 * i, v, le);
    else dv.setBigUint64(8 * i, BigInt(v), le);
  }
  return out;
}

/** The usual tags of a grey or RGB strip image. */
export function basicEntries(p: {
  width: number;
  height: number;
  bits: number;
  spp?: number;
  photometric?: number;
  compression?: number;
  predictor?: number;
  rowsPerStrip?: number;
  planar?: number;
  sampleFormat?: number;
}): Entry[] {
  const spp = p.spp ?? 1;
  const e: Entry[] = [
    { tag: 256, type: 4, values: [p.width] },
    { tag: 257, type: 4, values: [p.height] },
    { tag: 258, type: 3, values: Array(spp).fill(p.bits) },
    { tag: 259, type: 3, values: [p.compression ?? 1] },
    { tag: 262, type: 3, values: [p.photometric ?? 1] },
    { tag: 277, type: 3, values: [spp] },
    { tag: 278, type: 4, values: [p.rowsPerStrip ?? p.height] },
  ];
  if (p.predictor) e.push({ tag: 317, type: 3, values: [p.predictor] });
  if (p.planar) e.push({ tag: 284, type: 3, values: [p.planar] });
  if (p.sampleFormat) e.push({ tag: 339, type: 3, values: Array(spp).fill(p.sampleFormat) });
  return e;
}

/** ASCII entry (NUL-terminated). */
export function asciiEntry(tag: number, text: string): Entry {
  return { tag, type: 2, values: new Uint8Array([...Buffer.from(text, 'latin1'), 0]) };
}
