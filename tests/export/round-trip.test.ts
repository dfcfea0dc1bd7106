// Every format x dtype: written by fibrecon, read back by an independent
// python reader (header text + numpy.fromfile, mrcfile, tifffile), compared
// voxel for voxel, with shape and voxel size.

import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import type { DType } from '../../src-shared/dtype';
import { EXPORT_FORMATS, exportVolume, type ExportFormatId } from '../../src-main/export';
import { tempDir } from '../helpers/python';
import { expectedBytes, readWithPython, testVolume } from './export-helpers';

const { dir, cleanup } = tempDir('fibrecon-export-');
afterAll(cleanup);

const DTYPES: DType[] = ['uint8', 'uint16', 'float32'];
const NP_DTYPE: Record<DType, string> = { uint8: 'uint8', uint16: 'uint16', float32: 'float32' };

describe('export round trip through independent readers', () => {
  for (const format of EXPORT_FORMATS.map((f) => f.id)) {
    for (const dtype of DTYPES) {
      it(`${format} ${dtype}`, async () => {
        const sub = join(dir, `${format}-${dtype}`);
        await import('node:fs/promises').then((fs) => fs.mkdir(sub));
        const volume = testVolume(dtype);
        const path = join(sub, `vol${EXPORT_FORMATS.find((f) => f.id === format)!.extensions[0]}`);
        const progress: [number, number][] = [];
        const result = await exportVolume(format as ExportFormatId, path, volume, { onProgress: (d, t) => progress.push([d, t]) });
        expect(result.files[0]).toBe(path);
        expect(progress).toEqual([1, 2, 3, 4, 5].map((d) => [d, 5]));
        expect(readdirSync(sub).some((n) => n.endsWith('.partial'))).toBe(false);

        const back = readWithPython(format, path, dir);
        const widened = format === 'mrc' && dtype === 'uint8';
        expect(back.shape).toEqual([5, 7, 9]);
        expect(back.dtype).toBe(widened ? 'uint16' : NP_DTYPE[dtype]);
        expect(back.bytes.equals(expectedBytes(volume.slices as never, back.dtype))).toBe(true);
        const [sx, sy, sz] = back.spacing_nm;
        const rel = format === 'mrc' ? 1e-6 : 1e-12; // MRC stores float32 cell lengths
        expect(Math.abs(sx - 2.6) / 2.6).toBeLessThan(rel);
        expect(Math.abs(sy - 3.1) / 3.1).toBeLessThan(rel);
        expect(Math.abs(sz - 10) / 10).toBeLessThan(rel);
      });
    }
  }
});
