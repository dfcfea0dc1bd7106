// The pure pieces: rationals, Java number text, the description, IFD bytes, in-memory encoding.
import { describe, expect, it } from 'vitest';
import { encodeTiffStack, javaDouble, MemorySink, toRational } from '../../src-main/tiff-write';
import { encodeHeader, encodeIfd, ifdBlockBytes, TiffType } from '../../src-main/tiff-write/ifd';
import { imageJDescription, rangeSlot } from '../../src-main/tiff-write/imagej-description';
import { RangeTracker } from '../../src-main/tiff-write/slice-bytes';
import { randomSlices, stackInfo } from './fixtures';

describe('toRational', () => {
  it('is exact for decimal pixel sizes and fits 32 bits', () => {
    expect(toRational(1 / 3.3724)).toEqual([2500, 8431]);
    expect(toRational(1 / 2.5)).toEqual([2, 5]);
    expect(toRational(1 / 10)).toEqual([1, 10]);
    expect(toRational(3)).toEqual([3, 1]);
    for (const v of [Math.PI, 1 / 12.33, 1e-6, 123456.789, 1 / 0.37]) {
      const [n, d] = toRational(v);
      expect(n).toBeLessThanOrEqual(0xffffffff);
      expect(d).toBeLessThanOrEqual(0xffffffff);
      expect(Math.abs(n / d - v) / v).toBeLessThan(1e-9);
    }
    expect(() => toRational(0)).toThrow();
    expect(() => toRational(Number.NaN)).toThrow();
  });
});

describe('ImageJ description', () => {
  it('formats numbers like Java', () => {
    expect(javaDouble(10)).toBe('10.0');
    expect(javaDouble(2.5)).toBe('2.5');
    expect(javaDouble(-3)).toBe('-3.0');
    expect(javaDouble(65535)).toBe('65535.0');
    expect(javaDouble(1e-7)).toBe('1.0E-7');
    expect(javaDouble(1.5e12)).toBe('1.5E12');
    expect(javaDouble(0)).toBe('0.0');
  });

  it('has ImageJ key order, a min/max slot and a NUL terminator', () => {
    const d = imageJDescription({ nImages: 300, spacingNm: 10 });
    d.bytes.set(rangeSlot({ min: 12, max: 4000 }), d.slotOffset);
    const text = new TextDecoder().decode(d.bytes);
    expect(text.endsWith('\0')).toBe(true);
    expect(text.replace(/\n+\0$/, '\n')).toBe('ImageJ=1.11a\nimages=300\nslices=300\nunit=nm\nspacing=10.0\nloop=false\nmin=12.0\nmax=4000.0\n');
    const blank = new TextDecoder().decode(imageJDescription({ nImages: 300, spacingNm: 7.5 }).bytes);
    expect(blank.replace(/\n+\0$/, '\n')).toBe('ImageJ=1.11a\nimages=300\nslices=300\nunit=nm\nspacing=7.5\nloop=false\n');
  });
});

describe('RangeTracker', () => {
  it('skips NaN and infinities', () => {
    const t = new RangeTracker();
    expect(t.range()).toBeUndefined();
    t.add(new Float32Array([Number.NaN, Infinity]));
    expect(t.range()).toBeUndefined();
    t.add(new Float32Array([3, -Infinity, -2, Number.NaN]));
    t.add(new Float32Array([7, 1]));
    expect(t.range()).toEqual({ min: -2, max: 7 });
  });
});

describe('encodeIfd', () => {
  const entries = [
    { tag: 257, type: TiffType.LONG, value: [20] },
    { tag: 256, type: TiffType.SHORT, value: [30] },
    { tag: 282, type: TiffType.RATIONAL, value: [2500, 8431] },
    { tag: 270, type: TiffType.ASCII, value: new TextEncoder().encode('abc\0') },
    { tag: 305, type: TiffType.ASCII, value: new TextEncoder().encode('hello\0') },
  ] as const;

  it('classic: sorted 12-byte entries, inline small values, out-of-line values after the IFD', () => {
    const { bytes, valueOffsets } = encodeIfd(entries, 100, false, 4242);
    expect(bytes.length).toBe(ifdBlockBytes(entries, false));
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint16(0, true)).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => dv.getUint16(2 + 12 * i, true))).toEqual([256, 257, 270, 282, 305]);
    expect(dv.getUint16(2 + 8, true)).toBe(30); // SHORT inline, left-justified
    expect(new TextDecoder().decode(bytes.subarray(2 + 24 + 8, 2 + 24 + 12))).toBe('abc\0'); // 4 bytes fit inline
    expect(valueOffsets.has(270)).toBe(false);
    expect(dv.getUint32(2 + 5 * 12, true)).toBe(4242); // next IFD
    const ratAt = valueOffsets.get(282)!;
    expect(dv.getUint32(2 + 36 + 8, true)).toBe(ratAt);
    expect(dv.getUint32(ratAt - 100, true)).toBe(2500);
    expect(dv.getUint32(ratAt - 100 + 4, true)).toBe(8431);
    expect(valueOffsets.get(305)! % 2).toBe(0);
  });

  it('bigtiff: 8-byte count, 20-byte entries, 8-byte offsets, rationals inline', () => {
    const { bytes, valueOffsets } = encodeIfd(entries, 16, true, 2 ** 33);
    const dv = new DataView(bytes.buffer);
    expect(dv.getBigUint64(0, true)).toBe(5n);
    expect(dv.getUint16(8 + 20 * 3, true)).toBe(282);
    expect(dv.getUint32(8 + 20 * 3 + 12, true)).toBe(2500);
    expect(valueOffsets.has(282)).toBe(false);
    expect(dv.getBigUint64(8 + 5 * 20, true)).toBe(2n ** 33n);
    expect(bytes.length).toBe(ifdBlockBytes(entries, true));
  });

  it('rejects duplicate tags, odd offsets and values that do not fit', () => {
    expect(() => encodeIfd([entries[0], entries[0]], 8, false, 0)).toThrow(/duplicate/);
    expect(() => encodeIfd(entries, 9, false, 0)).toThrow(/even/);
    expect(() => encodeIfd([{ tag: 256, type: TiffType.SHORT, value: [70000] }], 8, false, 0)).toThrow(/SHORT/);
  });

  it('headers', () => {
    expect([...encodeHeader(false, 8)]).toEqual([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
    expect([...encodeHeader(true, 16)]).toEqual([0x49, 0x49, 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('encodeTiffStack into memory', () => {
  it('writes the planned number of bytes, planes contiguous after IFD 0, and commits', async () => {
    const slices = randomSlices('uint16', 3, 5, 7, 4);
    const sink = new MemorySink();
    const res = await encodeTiffStack(sink, stackInfo('uint16', 3, 5, 7), slices);
    const bytes = sink.bytes();
    expect(sink.committed).toBe(true);
    expect(bytes.length).toBe(res.bytes);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    expect(dv.getUint32(4, true)).toBe(8);
    // Find plane 0 via StripOffsets (tag 273) of IFD 0.
    const n = dv.getUint16(8, true);
    let strip = -1;
    for (let i = 0; i < n; i++) if (dv.getUint16(10 + 12 * i, true) === 273) strip = dv.getUint32(10 + 12 * i + 8, true);
    const all = new Uint16Array(bytes.slice(strip, strip + 3 * 35 * 2).buffer);
    expect([...all]).toEqual(slices.flatMap((s) => [...s]));
  });

  it('discards the sink on cancel', async () => {
    const sink = new MemorySink();
    const ac = new AbortController();
    ac.abort();
    await expect(encodeTiffStack(sink, stackInfo('uint8', 2, 2, 2), randomSlices('uint8', 2, 2, 2), { signal: ac.signal })).rejects.toMatchObject({ tag: 'cancelled' });
    expect(sink.discarded).toBe(true);
    expect(sink.committed).toBe(false);
  });
});
