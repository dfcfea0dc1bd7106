import { describe, expect, it } from 'vitest';
import { decodeSlice, decodeSliceSync, encodeSlice, fromBytePlanes, toBytePlanes } from '../../src-main/project/slice-codec';

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

describe('slice codec', () => {
  const r = rng(7);
  const n = 257 * 129;
  const cases = {
    uint8: Uint8Array.from({ length: n }, () => Math.floor(r() * 256)),
    uint16: Uint16Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 65535 : i % 5 === 0 ? 0 : Math.floor(r() * 65536))),
    float32: Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -0 : i % 11 === 0 ? Number.NaN : (r() - 0.5) * 1e6)),
  } as const;

  for (const [dtype, slice] of Object.entries(cases)) {
    it(`round-trips ${dtype} bit-exactly`, async () => {
      const blob = await encodeSlice(slice);
      const back = await decodeSlice(blob, dtype as keyof typeof cases, n);
      expect(back.constructor).toBe(slice.constructor);
      // Compare bytes, so NaN payloads and -0 count too.
      expect(Buffer.from(back.buffer, back.byteOffset, back.byteLength).equals(Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength))).toBe(true);
      expect(Buffer.from(decodeSliceSync(blob, dtype as keyof typeof cases, n).buffer).equals(Buffer.from(slice.buffer))).toBe(true);
    });
  }

  it('compresses smooth 16-bit images well', async () => {
    const smooth = Uint16Array.from({ length: 512 * 512 }, (_, i) => 30000 + Math.round(1000 * Math.sin(i / 512 / 20) + 1000 * Math.cos((i % 512) / 30)));
    const blob = await encodeSlice(smooth);
    expect(blob.length).toBeLessThan(smooth.byteLength * 0.4);
  });

  it('byte planes are the left-differences split into low and high bytes', () => {
    const s = Uint16Array.from([1000, 1001, 999, 65535, 0]);
    const p = toBytePlanes(s);
    const diffs = [1000, 1, (999 - 1001) & 0xffff, (65535 - 999) & 0xffff, (0 - 65535) & 0xffff];
    expect([...p.subarray(0, 5)]).toEqual(diffs.map((d) => d & 0xff));
    expect([...p.subarray(5)]).toEqual(diffs.map((d) => d >> 8));
    expect([...fromBytePlanes(p, 'uint16', 5)]).toEqual([...s]);
  });

  it('reports a damaged blob as a corrupt project', async () => {
    const blob = await encodeSlice(cases.uint16);
    await expect(decodeSlice(blob.subarray(0, 100), 'uint16', n)).rejects.toMatchObject({ tag: 'corrupt_file' });
    await expect(decodeSlice(blob, 'uint16', n + 1)).rejects.toMatchObject({ tag: 'corrupt_file' });
  });
});
