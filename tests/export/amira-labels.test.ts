// AmiraMesh label fields: HxByteRLE against a plain python decoder of the
// rule, the Materials block, and the BoundingBox arithmetic.

import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { amiraBoundingBox, decodeHxByteRLE, encodeHxByteRLE, writeAmiraMesh } from '../../src-main/export';
import { runPython, tempDir } from '../helpers/python';
import { random } from '../helpers/random';
import { readWithPython } from './export-helpers';

const { dir, cleanup } = tempDir('fibrecon-amira-');
afterAll(cleanup);

const PY_DECODE = `
import sys
src = bytes.fromhex(sys.stdin.read())
n = int(sys.argv[1])
out = bytearray(); i = 0
while len(out) < n:
    c = src[i]; i += 1
    if c & 0x80:
        out += src[i:i + (c & 0x7F)]; i += c & 0x7F
    else:
        out += bytes([src[i]]) * c; i += 1
assert i == len(src), (i, len(src))
sys.stdout.write(out.hex())
`;

function pyDecode(encoded: Uint8Array, n: number): Buffer {
  const hex = runPython(PY_DECODE, [String(n)], Buffer.from(encoded).toString('hex'));
  return Buffer.from(hex, 'hex');
}

describe('HxByteRLE', () => {
  const rnd = random(3);
  const cases: Record<string, Uint8Array> = {
    empty: new Uint8Array(0),
    single: Uint8Array.of(7),
    'run of 1000 (packets cap at 127)': new Uint8Array(1000).fill(1),
    'noise of 1000 (literals cap at 127)': Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 0xff),
    'binary labels with runs': Uint8Array.from({ length: 5000 }, (_, i) => (Math.sin(i / 40) + rnd() * 0.3 > 0.5 ? 1 : 0)),
    'short runs of 2 and 3': Uint8Array.from([1, 1, 2, 2, 2, 3, 4, 4, 5, 5, 5, 5, 0x80, 0xff, 0xff, 0xff]),
  };
  for (const [name, src] of Object.entries(cases)) {
    it(`round trip: ${name}`, () => {
      const enc = encodeHxByteRLE(src);
      expect(Buffer.from(decodeHxByteRLE(enc, src.length)).equals(Buffer.from(src))).toBe(true);
      expect(pyDecode(enc, src.length).equals(Buffer.from(src))).toBe(true);
    });
  }
  it('compresses runs', () => {
    expect(encodeHxByteRLE(new Uint8Array(1000).fill(1)).length).toBe(2 * Math.ceil(1000 / 127));
  });
  it('decoder refuses a truncated stream', () => {
    expect(() => decodeHxByteRLE(Uint8Array.of(0x85, 1, 2), 5)).toThrow(/truncated/);
  });
});

describe('AmiraMesh label field', () => {
  const shape = [6, 20, 30] as const;
  const slices = Array.from({ length: 6 }, (_, z) => Uint8Array.from({ length: 600 }, (_, i) => ((i % 30) + z > 14 ? 1 : 0)));
  const volume = { shape, dtype: 'uint8' as const, voxelSizeNm: { x: 2.5, y: 2.5, z: 7.5 }, zPositionsNm: [0, 7.5, 15, 22.5, 30, 37.5], slices };
  const expected = Buffer.concat(slices.map((s) => Buffer.from(s)));

  for (const rle of [false, true]) {
    it(`labels ${rle ? 'with' : 'without'} HxByteRLE read back exactly`, async () => {
      const path = join(dir, `labels-${rle}.am`);
      await writeAmiraMesh(path, volume, {}, { labels: true, rle });
      const back = readWithPython('amira-mesh', path, dir);
      expect(back.bytes.equals(expected)).toBe(true);
      // The pore space is named Pore (Amira's default name for material 0, Exterior, says nothing about a porous material).
      expect(back.extra).toMatchObject({ labels: true, materials: ['Pore', 'Solid'] });
      expect(back.spacing_nm).toEqual([2.5, 2.5, 7.5]);
    });
  }

  it('refuses labels that are not uint8, and bad material names', async () => {
    const u16 = { ...volume, dtype: 'uint16' as const, slices: slices.map((s) => Uint16Array.from(s)) };
    await expect(writeAmiraMesh(join(dir, 'x.am'), u16, {}, { labels: true })).rejects.toMatchObject({ tag: 'invalid_input' });
    await expect(writeAmiraMesh(join(dir, 'y.am'), volume, {}, { materials: [{ name: 'bad name' }] })).rejects.toMatchObject({ tag: 'invalid_input' });
  });
});

describe('AmiraMesh BoundingBox', () => {
  it('spans the centres of the first and last voxels from (0, 0, z0)', () => {
    const bb = amiraBoundingBox({ shape: [5, 7, 9], voxelSizeNm: { x: 2.5, y: 3, z: 10 }, zPositionsNm: [20, 30, 40, 50, 60] });
    expect(bb).toEqual([0, 8 * 2.5, 0, 6 * 3, 20, 60]);
    // dx = (xmax - xmin) / (nx - 1) gives back the voxel size
    expect((bb[1] - bb[0]) / 8).toBe(2.5);
    expect((bb[5] - bb[4]) / 4).toBe(10);
  });
});
