// The volume readers: round trips through our own writers (pixel-exact,
// voxel size), and files built by python from the format descriptions
// (header text + numpy raw; HxByteRLE encoded in python; big endian;
// detached data; other units), plus the errors a user sees.

import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DType, SliceArray } from '../../src-shared/dtype';
import { readAmiraMesh, readMetaImage, readNrrd, writeAmiraMesh, writeMetaImage, writeNrrd } from '../../src-main/export';
import { runPython, tempDir } from '../helpers/python';
import { expectedBytes, testVolume } from './export-helpers';

const { dir, cleanup } = tempDir('fibrecon-read-');
afterAll(cleanup);

const bytesOf = (slices: SliceArray[], dtype: DType) => expectedBytes(slices, dtype);

describe('round trip through our writers', () => {
  const cases = [
    ['amira', '.am', writeAmiraMesh, readAmiraMesh],
    ['metaimage', '.mhd', writeMetaImage, readMetaImage],
    ['nrrd', '.nrrd', writeNrrd, readNrrd],
  ] as const;
  for (const [name, ext, write, read] of cases) {
    for (const dtype of ['uint8', 'uint16', 'float32'] as DType[]) {
      it(`${name} ${dtype}`, async () => {
        const volume = { ...testVolume(dtype, [5, 7, 9]), zPositionsNm: [20, 30, 40, 50, 60] };
        const path = join(dir, `rt-${name}-${dtype}${ext}`);
        await write(path, volume);
        const progress: number[] = [];
        const { volume: back } = await read(path, { onProgress: (d) => progress.push(d) });
        expect(back.shape).toEqual([5, 7, 9]);
        expect(back.dtype).toBe(dtype);
        expect(bytesOf(back.slices, dtype).equals(bytesOf(volume.slices as SliceArray[], dtype))).toBe(true);
        expect(back.voxelSizeNm.x).toBeCloseTo(2.6, 12);
        expect(back.voxelSizeNm.y).toBeCloseTo(3.1, 12);
        expect(back.voxelSizeNm.z).toBeCloseTo(10, 12);
        back.zPositionsNm.forEach((z, i) => expect(z).toBeCloseTo(20 + 10 * i, 9));
        expect(progress).toEqual([1, 2, 3, 4, 5]);
      });
    }
  }
  for (const rle of [false, true]) {
    it(`amira labels ${rle ? 'with' : 'without'} HxByteRLE`, async () => {
      const slices = Array.from({ length: 6 }, (_, z) => Uint8Array.from({ length: 600 }, (_, i) => ((i % 30) + z > 14 ? 1 : 0)));
      const volume = { shape: [6, 20, 30] as const, dtype: 'uint8' as const, voxelSizeNm: { x: 2.5, y: 2.5, z: 7.5 }, zPositionsNm: [0, 7.5, 15, 22.5, 30, 37.5], slices };
      const path = join(dir, `labels-${rle}.am`);
      await writeAmiraMesh(path, volume, {}, { labels: true, rle });
      const r = await readAmiraMesh(path);
      expect(bytesOf(r.volume.slices, 'uint8').equals(bytesOf(slices, 'uint8'))).toBe(true);
      expect(r.volume.voxelSizeNm).toEqual({ x: 2.5, y: 2.5, z: 7.5 });
      expect(r.notes.join(' ')).toMatch(/Labels/);
    });
  }
});

// python writes the file from the format description; the voxels are a
// seeded numpy array, returned as little-endian bytes for comparison.
const PY_FILES = `
import sys, os, numpy as np
kind, d = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(5)
def save(a): a.astype(a.dtype.newbyteorder('<')).tofile(os.path.join(d, kind + '.expected'))
def rle(b):
    out = bytearray(); i = 0
    while i < len(b):
        j = i
        while j < len(b) and j - i < 127 and b[j] == b[i]: j += 1
        if j - i >= 2:
            out += bytes([j - i, b[i]]); i = j
        else:
            k = i
            while k < len(b) and k - i < 127 and not (k + 1 < len(b) and b[k + 1] == b[k]): k += 1
            k = max(k, i + 1)
            out += bytes([0x80 | (k - i)]) + bytes(b[i:k]); i = k
    return bytes(out)
if kind == 'amira-rle':
    a = (rng.random((4, 50, 60)) > 0.7).astype(np.uint8) * 3
    a[:, 10:40, 5:55] = 2
    enc = rle(a.tobytes())
    head = ('# AmiraMesh BINARY-LITTLE-ENDIAN 2.1\\n\\ndefine Lattice 60 50 4\\n\\nParameters {\\n  Content "60x50x4 byte, uniform coordinates",\\n'
            '  BoundingBox 0 0.295 0 0.245 0 0.03,\\n  CoordType "uniform"\\n}\\n\\nLattice { byte Labels } @1(HxByteRLE,%d)\\n\\n# Data section follows\\n@1\\n' % len(enc))
    head = head.replace('Parameters {\\n', 'Parameters {\\n  Units { Coordinates "microns" }\\n')
    open(os.path.join(d, 'amira-rle.am'), 'wb').write(head.encode() + enc + b'\\n')
    save(a)
elif kind == 'amira-big':
    a = rng.integers(0, 65535, (3, 5, 4), dtype=np.uint16)
    head = '# AmiraMesh BINARY 2.1\\ndefine Lattice 4 5 3\\nParameters { BoundingBox 10 16 0 8 0 20, CoordType "uniform" }\\nLattice { ushort Data } @1\\n\\n# Data section follows\\n@1\\n'
    open(os.path.join(d, 'amira-big.am'), 'wb').write(head.encode() + a.astype('>u2').tobytes() + b'\\n')
    save(a)
elif kind == 'mha-local-msb':
    a = rng.integers(0, 65535, (3, 6, 5), dtype=np.uint16)
    head = 'ObjectType = Image\\nNDims = 3\\nDimSize = 5 6 3\\nElementSize = 4 4 12.5\\nElementType = MET_USHORT\\nElementByteOrderMSB = True\\nElementDataFile = LOCAL\\n'
    open(os.path.join(d, 'local.mha'), 'wb').write(head.encode() + a.astype('>u2').tobytes())
    save(a)
elif kind == 'mhd-detached':
    a = (rng.random((2, 3, 4)) * 100).astype(np.float32)
    open(os.path.join(d, 'det.mhd'), 'w').write('ObjectType = Image\\nNDims = 3\\nDimSize = 4 3 2\\nElementSpacing = 1.5 2.5 3.5\\nElementType = MET_FLOAT\\nElementDataFile = det.img\\n')
    a.astype('<f4').tofile(os.path.join(d, 'det.img'))
    save(a)
elif kind == 'nrrd-detached-big':
    a = (rng.random((3, 4, 5)) * 1000 - 500).astype(np.float32)
    open(os.path.join(d, 'det.nhdr'), 'w').write('NRRD0005\\n# by hand\\ntype: float\\ndimension: 3\\nsizes: 5 4 3\\nspacings: 2 3 8\\nendian: big\\nencoding: raw\\ndata file: det.bin\\n\\n')
    a.astype('>f4').tofile(os.path.join(d, 'det.bin'))
    save(a)
elif kind == 'nrrd-um':
    a = rng.integers(0, 255, (2, 3, 4), dtype=np.uint8)
    head = 'NRRD0004\\ntype: unsigned char\\ndimension: 3\\nspace: left-posterior-superior\\nsizes: 4 3 2\\nspace directions: (0.004,0,0) (0,0.005,0) (0,0,0.02)\\nspace units: "um" "um" "um"\\nencoding: raw\\n\\n'
    open(os.path.join(d, 'um.nrrd'), 'wb').write(head.encode() + a.tobytes())
    save(a)
`;

function pyFile(kind: string): Buffer {
  runPython(PY_FILES, [kind, dir]);
  return readFileSync(join(dir, `${kind}.expected`));
}

describe('files built by hand (python) from the format descriptions', () => {
  it('AmiraMesh labels with HxByteRLE encoded in python, BoundingBox in microns', async () => {
    const expected = pyFile('amira-rle');
    const r = await readAmiraMesh(join(dir, 'amira-rle.am'));
    expect(r.volume.shape).toEqual([4, 50, 60]);
    expect(bytesOf(r.volume.slices, 'uint8').equals(expected)).toBe(true);
    expect(r.volume.voxelSizeNm.x).toBeCloseTo(5, 9);
    expect(r.volume.voxelSizeNm.y).toBeCloseTo(5, 9);
    expect(r.volume.voxelSizeNm.z).toBeCloseTo(10, 9);
  });
  it('AmiraMesh big-endian ushort (BINARY) without Units', async () => {
    const expected = pyFile('amira-big');
    const r = await readAmiraMesh(join(dir, 'amira-big.am'));
    expect(bytesOf(r.volume.slices, 'uint16').equals(expected)).toBe(true);
    expect(r.volume.voxelSizeNm).toEqual({ x: 2, y: 2, z: 10 });
    expect(r.notes.join(' ')).toMatch(/read as nm/);
  });
  it('MetaImage LOCAL, big endian, ElementSize only', async () => {
    const expected = pyFile('mha-local-msb');
    const r = await readMetaImage(join(dir, 'local.mha'));
    expect(bytesOf(r.volume.slices, 'uint16').equals(expected)).toBe(true);
    expect(r.volume.voxelSizeNm).toEqual({ x: 4, y: 4, z: 12.5 });
  });
  it('MetaImage with a detached data file of another name', async () => {
    const expected = pyFile('mhd-detached');
    const r = await readMetaImage(join(dir, 'det.mhd'));
    expect(r.volume.dtype).toBe('float32');
    expect(bytesOf(r.volume.slices, 'float32').equals(expected)).toBe(true);
    expect(r.volume.voxelSizeNm).toEqual({ x: 1.5, y: 2.5, z: 3.5 });
  });
  it('NRRD detached header, big endian float, spacings', async () => {
    const expected = pyFile('nrrd-detached-big');
    const r = await readNrrd(join(dir, 'det.nhdr'));
    expect(bytesOf(r.volume.slices, 'float32').equals(expected)).toBe(true);
    expect(r.volume.voxelSizeNm).toEqual({ x: 2, y: 3, z: 8 });
  });
  it('NRRD attached with space directions in µm', async () => {
    const expected = pyFile('nrrd-um');
    const r = await readNrrd(join(dir, 'um.nrrd'));
    expect(bytesOf(r.volume.slices, 'uint8').equals(expected)).toBe(true);
    expect(r.volume.voxelSizeNm.x).toBeCloseTo(4, 9);
    expect(r.volume.voxelSizeNm.y).toBeCloseTo(5, 9);
    expect(r.volume.voxelSizeNm.z).toBeCloseTo(20, 9);
  });
});

describe('errors name the file and say what to do', () => {
  it('truncated data is corrupt_file', async () => {
    const path = join(dir, 'cut.nrrd');
    await writeNrrd(path, testVolume('uint16'));
    truncateSync(path, statSync(path).size - 10);
    await expect(readNrrd(path)).rejects.toMatchObject({ tag: 'corrupt_file', file: path, message: expect.stringMatching(/cut\.nrrd.*truncated/) });
    const am = join(dir, 'cut.am');
    await writeAmiraMesh(am, { ...testVolume('uint8'), slices: testVolume('uint8').slices }, {}, { labels: true, rle: true });
    truncateSync(am, statSync(am).size - 20);
    await expect(readAmiraMesh(am)).rejects.toMatchObject({ tag: 'corrupt_file' });
  });
  it('unsupported types and encodings are unsupported_format', async () => {
    writeFileSync(join(dir, 'a.am'), '# AmiraMesh ASCII 2.1\ndefine Lattice 2 2 2\nLattice { byte Data } @1\n@1\n0 0 0 0 0 0 0 0\n');
    await expect(readAmiraMesh(join(dir, 'a.am'))).rejects.toMatchObject({ tag: 'unsupported_format', message: expect.stringMatching(/a\.am.*binary/) });
    writeFileSync(join(dir, 'i.mhd'), 'NDims = 3\nDimSize = 2 2 2\nElementType = MET_INT\nElementDataFile = i.raw\n');
    await expect(readMetaImage(join(dir, 'i.mhd'))).rejects.toMatchObject({ tag: 'unsupported_format' });
    writeFileSync(join(dir, 'g.nrrd'), 'NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nencoding: gzip\n\n');
    await expect(readNrrd(join(dir, 'g.nrrd'))).rejects.toMatchObject({ tag: 'unsupported_format', message: expect.stringMatching(/raw encoding/) });
    writeFileSync(join(dir, 'x.nrrd'), 'hello');
    await expect(readNrrd(join(dir, 'x.nrrd'))).rejects.toMatchObject({ tag: 'unsupported_format' });
    await expect(readNrrd(join(dir, 'missing.nrrd'))).rejects.toMatchObject({ tag: 'file_not_found' });
  });
});
