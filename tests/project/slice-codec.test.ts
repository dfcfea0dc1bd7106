import { describe, expect, it } from 'vitest';
import { decodeSlice, decodeSliceSync, encodeSlice, fromBytePlanes, sampledEntropyBits, toBytePlanes } from '../../src-main/project/slice-codec';

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
    const [lo, hi] = toBytePlanes(s);
    const diffs = [1000, 1, (999 - 1001) & 0xffff, (65535 - 999) & 0xffff, (0 - 65535) & 0xffff];
    expect([...lo]).toEqual(diffs.map((d) => d & 0xff));
    expect([...hi]).toEqual(diffs.map((d) => d >> 8));
    expect([...fromBytePlanes([lo, hi], 'uint16', 5)]).toEqual([...s]);
  });

  it('stores a random plane raw and deflates a structured one', async () => {
    // Noisy 16-bit: random low bytes, nearly constant high bytes.
    const r2 = rng(11);
    const noisy = Uint16Array.from({ length: 1 << 16 }, () => 30000 + Math.floor(r2() * 256));
    const blob = await encodeSlice(noisy);
    expect(blob[0]).toBe(1);
    expect(blob[1]).toBe(2);
    expect(blob[2]).toBe(0); // low plane: raw
    expect(blob[7]).toBe(1); // high plane: deflated
    expect(sampledEntropyBits(toBytePlanes(noisy)[0])).toBeGreaterThan(7.9);
    expect(blob.length).toBeLessThan(noisy.byteLength * 0.6);
    expect(await decodeSlice(blob, 'uint16', noisy.length)).toEqual(noisy);
  });

  it('estimates entropy like the exact formula on a known distribution', () => {
    // Four values equally often in the sampled bytes (every 8th): 2 bits per byte.
    const p = Uint8Array.from({ length: 4096 }, (_, i) => [3, 70, 140, 250][Math.floor(i / 8) % 4]);
    expect(sampledEntropyBits(p)).toBeCloseTo(2, 10);
    expect(sampledEntropyBits(new Uint8Array(100))).toBe(0);
  });

  it('reports a damaged blob as a corrupt project', async () => {
    const blob = await encodeSlice(cases.uint16);
    await expect(decodeSlice(blob.subarray(0, 100), 'uint16', n)).rejects.toMatchObject({ tag: 'corrupt_file' });
    await expect(decodeSlice(blob, 'uint16', n + 1)).rejects.toMatchObject({ tag: 'corrupt_file' });
  });
});
