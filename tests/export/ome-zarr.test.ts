// OME-Zarr export read back by an independent python reader written from the
// OME-NGFF 0.5 and Zarr v3 specs (read_ome_zarr.py: json + numpy.frombuffer
// per chunk file, gzip): voxels exact, scales and translations right, and the
// 2x level equal to a numpy mean / nearest of level 0.

import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DType } from '../../src-shared/dtype';
import { exportVolume, writeOmeZarr } from '../../src-main/export';
import { runPython, tempDir } from '../helpers/python';
import { expectedBytes, testVolume } from './export-helpers';

const { dir, cleanup } = tempDir('fibrecon-zarr-');
afterAll(cleanup);

const READER = readFileSync(join(__dirname, 'read_ome_zarr.py'), 'utf8');

function readLevel(path: string, level: string): { shape: number[]; dtype: string; spacing_nm: number[]; extra: Record<string, unknown>; bytes: Buffer } {
  const out = join(dir, 'zarr-readback.bin');
  return { ...JSON.parse(runPython(READER, [path, level, out])), bytes: readFileSync(out) };
}

const PY_DOWNSAMPLE = `
import sys, numpy as np
nz, ny, nx = map(int, sys.argv[2:5]); dt = np.dtype(sys.argv[1]); method = sys.argv[5]
a = np.fromfile(sys.argv[6], dtype=dt).reshape(nz, ny, nx)
if method == 'nearest':
    r = a[::2, ::2, ::2]
else:
    mz, my, mx = -(-nz // 2), -(-ny // 2), -(-nx // 2)
    r = np.zeros((mz, my, mx))
    for z in range(mz):
        for y in range(my):
            for x in range(mx):
                m = a[2*z:2*z+2, 2*y:2*y+2, 2*x:2*x+2].astype(np.float64).mean()
                r[z, y, x] = m if dt.kind == 'f' else np.floor(m + 0.5)
r.astype(dt).tofile(sys.argv[7])
`;

describe('OME-Zarr export', () => {
  const DTYPES: DType[] = ['uint8', 'uint16', 'float32'];
  for (const dtype of DTYPES) {
    for (const gzip of [false, true]) {
      it(`${dtype}${gzip ? ' gzip' : ''}: level 0 exact, scales [dz, dy, dx], edge chunks padded`, async () => {
        const volume = testVolume(dtype, [5, 7, 9]);
        const path = join(dir, `v-${dtype}-${gzip}.ome.zarr`);
        const progress: number[] = [];
        const r = await writeOmeZarr(path, volume, { onProgress: (d) => progress.push(d) }, { chunkShape: [2, 4, 4], gzipLevel: gzip ? 6 : undefined });
        expect(r.files).toEqual([path]);
        expect(progress).toEqual([1, 2, 3, 4, 5]);
        const back = readLevel(path, '0');
        expect(back.shape).toEqual([5, 7, 9]);
        expect(back.dtype).toBe(dtype);
        expect(back.bytes.equals(expectedBytes(volume.slices as never, dtype))).toBe(true);
        expect(back.spacing_nm).toEqual([2.6, 3.1, 10]);
        expect(back.extra).toMatchObject({ chunk: [2, 4, 4], codecs: gzip ? ['bytes', 'gzip'] : ['bytes'], levels: ['0'] });
        expect(readdirSync(dir).some((n) => n.endsWith('.partial'))).toBe(false);
      });
    }
  }

  for (const [dtype, method] of [['uint16', 'mean'], ['float32', 'mean'], ['uint8', 'nearest']] as const) {
    it(`level 1 (${method}, ${dtype}) equals numpy's 2x2x2 ${method}, scale doubled`, async () => {
      const volume = { ...testVolume(dtype, [5, 7, 9], 11), zPositionsNm: [30, 40, 50, 60, 70] };
      const path = join(dir, `down-${method}-${dtype}.ome.zarr`);
      await exportVolume('ome-zarr', path, volume, {}, { downsample: method, chunkShape: [16, 256, 256] });
      const l0 = readLevel(path, '0');
      expect(l0.extra.translation).toEqual([30, 0, 0]);
      const l1 = readLevel(path, '1');
      expect(l1.shape).toEqual([3, 4, 5]);
      expect(l1.spacing_nm).toEqual([5.2, 6.2, 20]);
      const s = method === 'mean' ? 0.5 : 0;
      expect(l1.extra.translation).toEqual([30 + s * 10, s * 3.1, s * 2.6]);
      const src = join(dir, 'l0.bin');
      const ref = join(dir, 'l1-ref.bin');
      writeFileSync(src, l0.bytes);
      runPython(PY_DOWNSAMPLE, [dtype, '5', '7', '9', method, src, ref]);
      const expected = readFileSync(ref);
      if (dtype === 'float32') {
        const a = new Float32Array(l1.bytes.buffer.slice(l1.bytes.byteOffset, l1.bytes.byteOffset + l1.bytes.length));
        const b = new Float32Array(expected.buffer.slice(expected.byteOffset, expected.byteOffset + expected.length));
        a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b[i]))));
      } else {
        expect(l1.bytes.equals(expected)).toBe(true);
      }
    });
  }

  it('single-slice chunks stream one slice at a time; a second export of the same name replaces the first', async () => {
    const volume = testVolume('uint16', [4, 6, 6]);
    const path = join(dir, 'again.ome.zarr');
    await writeOmeZarr(path, testVolume('uint16', [4, 6, 6], 99), {}, { chunkShape: [1, 256, 256] });
    await writeOmeZarr(path, volume, {}, { chunkShape: [1, 256, 256] });
    expect(readLevel(path, '0').bytes.equals(expectedBytes(volume.slices as never, 'uint16'))).toBe(true);
    expect(readdirSync(join(path, '0', 'c'))).toHaveLength(4);
  });

  it('refuses a bad chunk shape and a folder that is not Zarr', async () => {
    await expect(writeOmeZarr(join(dir, 'bad.ome.zarr'), testVolume('uint8'), {}, { chunkShape: [0, 4, 4] })).rejects.toMatchObject({ tag: 'invalid_input' });
    await expect(writeOmeZarr(dir, testVolume('uint8'))).rejects.toMatchObject({ tag: 'invalid_input' });
  });
});
