// Generated TIFFs for the fuzz suite: a valid multipage classic TIFF whose
// layout is known byte by byte (header, every IFD with its arrays, then all
// strip data), so that a test can cut it or change one field at an exact
// place; and bombs (a strip that inflates far past its page, pages that declare
// gigabytes). Written here rather than by tifffile so that every offset is known.
import { deflateSync } from 'node:zlib';

export interface TiffLayout {
  bytes: Uint8Array;
  /** Offset of each page's IFD (its 2-byte entry count). */
  ifdAt: number[];
  /** Offset of each page's entry for a tag (the 12-byte entry), by page then tag. */
  entryAt: Map<number, number>[];
  /** Offset of the 4-byte "next IFD" field of each page. */
  nextAt: number[];
  /** Where strip data begins (everything before it is header and directories). */
  dataStart: number;
  /** Each page's strips: [offset, byteCount]. */
  strips: [number, number][][];
}

interface Tag {
  tag: number;
  /** 3 SHORT, 4 LONG, 2 ASCII */
  type: 2 | 3 | 4;
  values: number[];
}

const TYPE_SIZE = { 2: 1, 3: 2, 4: 4 } as const;

/**
 * A classic little-endian TIFF of `pages.length` pages, `width` x `height`, 16-bit grey, `rowsPerStrip`
 * rows per strip; strips stored as given (already compressed when `compression` is not 1).
 * Layout: header | IFD 1 + its arrays | IFD 2 + ... | strip data of page 1 | page 2 | ...
 */
export function layoutTiff(opts: {
  width: number;
  height: number;
  bits: 8 | 16;
  rowsPerStrip: number;
  compression: number;
  /** Per page, per strip: the stored bytes. */
  strips: Uint8Array[][];
}): TiffLayout {
  const pages = opts.strips.length;
  const tagsOf = (offsets: number[], counts: number[]): Tag[] => [
    { tag: 256, type: 4, values: [opts.width] },
    { tag: 257, type: 4, values: [opts.height] },
    { tag: 258, type: 3, values: [opts.bits] },
    { tag: 259, type: 3, values: [opts.compression] },
    { tag: 262, type: 3, values: [1] },
    { tag: 273, type: 4, values: offsets },
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 4, values: [opts.rowsPerStrip] },
    { tag: 279, type: 4, values: counts },
  ];
  // First pass: sizes of the directories (values do not change sizes).
  const ifdBytes = (tags: Tag[]) => 2 + tags.length * 12 + 4 + tags.reduce((s, t) => s + outOfLine(t), 0);
  const dummy = opts.strips.map((s) => tagsOf(s.map(() => 0), s.map(() => 0)));
  const ifdAt: number[] = [];
  let pos = 8;
  for (const t of dummy) {
    ifdAt.push(pos);
    pos += ifdBytes(t);
  }
  const dataStart = pos;
  const strips: [number, number][][] = [];
  for (const page of opts.strips) {
    const list: [number, number][] = [];
    for (const s of page) {
      list.push([pos, s.length]);
      pos += s.length;
    }
    strips.push(list);
  }
  const out = new Uint8Array(pos);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  dv.setUint32(4, ifdAt[0], true);
  const entryAt: Map<number, number>[] = [];
  const nextAt: number[] = [];
  for (let p = 0; p < pages; p++) {
    const tags = tagsOf(strips[p].map((s) => s[0]), strips[p].map((s) => s[1]));
    const at = ifdAt[p];
    dv.setUint16(at, tags.length, true);
    let extra = at + 2 + tags.length * 12 + 4;
    const entries = new Map<number, number>();
    tags.forEach((t, i) => {
      const e = at + 2 + i * 12;
      entries.set(t.tag, e);
      dv.setUint16(e, t.tag, true);
      dv.setUint16(e + 2, t.type, true);
      dv.setUint32(e + 4, t.values.length, true);
      const size = outOfLine(t);
      const target = size > 0 ? extra : e + 8;
      if (size > 0) dv.setUint32(e + 8, extra, true);
      t.values.forEach((v, k) => {
        if (t.type === 3) dv.setUint16(target + 2 * k, v, true);
        else if (t.type === 4) dv.setUint32(target + 4 * k, v, true);
        else out[target + k] = v;
      });
      extra += size;
    });
    entryAt.push(entries);
    nextAt.push(at + 2 + tags.length * 12);
    dv.setUint32(at + 2 + tags.length * 12, p + 1 < pages ? ifdAt[p + 1] : 0, true);
  }
  for (let p = 0; p < pages; p++) opts.strips[p].forEach((s, i) => out.set(s, strips[p][i][0]));
  return { bytes: out, ifdAt, entryAt, nextAt, dataStart, strips };
}

function outOfLine(t: Tag): number {
  const n = t.values.length * TYPE_SIZE[t.type];
  return n <= 4 ? 0 : n + (n % 2);
}

/** Pixel strips of a smooth 16-bit test pattern (page p), raw or Deflate-compressed. */
export function patternStrips(opts: { pages: number; width: number; height: number; rowsPerStrip: number; deflate: boolean }): Uint8Array[][] {
  const { width, height, rowsPerStrip } = opts;
  return Array.from({ length: opts.pages }, (_, p) => {
    const strips: Uint8Array[] = [];
    for (let y0 = 0; y0 < height; y0 += rowsPerStrip) {
      const rows = Math.min(rowsPerStrip, height - y0);
      const px = new Uint16Array(rows * width);
      for (let y = 0; y < rows; y++) for (let x = 0; x < width; x++) px[y * width + x] = 1000 + ((x * 37 + (y0 + y) * 11 + p * 101) % 3000);
      const raw = new Uint8Array(px.buffer);
      strips.push(opts.deflate ? new Uint8Array(deflateSync(raw)) : raw);
    }
    return strips;
  });
}

/** A copy of `bytes` with a 16- or 32-bit little-endian value written at `at`. */
export function withValue(bytes: Uint8Array, at: number, value: number, size: 2 | 4): Uint8Array {
  const b = bytes.slice();
  const dv = new DataView(b.buffer);
  if (size === 2) dv.setUint16(at, value, true);
  else dv.setUint32(at, value, true);
  return b;
}

/** A single-page 8-bit TIFF whose strips are given (offsets and counts as listed), width x height, `rowsPerStrip`. */
export function onePageTiff(opts: { width: number; height: number; rowsPerStrip: number; compression: number; chunk: Uint8Array; stripCount: number; byteCount?: number }): Uint8Array {
  // Every strip points at the one chunk: a small file that declares a big image.
  const header = 8;
  const chunkAt = header;
  const tags: Tag[] = [
    { tag: 256, type: 4, values: [opts.width] },
    { tag: 257, type: 4, values: [opts.height] },
    { tag: 258, type: 3, values: [8] },
    { tag: 259, type: 3, values: [opts.compression] },
    { tag: 262, type: 3, values: [1] },
    { tag: 273, type: 4, values: Array(opts.stripCount).fill(chunkAt) },
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 4, values: [opts.rowsPerStrip] },
    { tag: 279, type: 4, values: Array(opts.stripCount).fill(opts.byteCount ?? opts.chunk.length) },
  ];
  const ifdAt = header + opts.chunk.length + (opts.chunk.length % 2);
  const size = ifdAt + 2 + tags.length * 12 + 4 + tags.reduce((s, t) => s + outOfLine(t), 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  dv.setUint32(4, ifdAt, true);
  out.set(opts.chunk, chunkAt);
  dv.setUint16(ifdAt, tags.length, true);
  let extra = ifdAt + 2 + tags.length * 12 + 4;
  tags.forEach((t, i) => {
    const e = ifdAt + 2 + i * 12;
    dv.setUint16(e, t.tag, true);
    dv.setUint16(e + 2, t.type, true);
    dv.setUint32(e + 4, t.values.length, true);
    const n = outOfLine(t);
    const target = n > 0 ? extra : e + 8;
    if (n > 0) dv.setUint32(e + 8, extra, true);
    t.values.forEach((v, k) => (t.type === 3 ? dv.setUint16(target + 2 * k, v, true) : dv.setUint32(target + 4 * k, v, true)));
    extra += n;
  });
  return out;
}
