// Avizo / Amira stacked-slices export for slices at uneven z: one TIFF per
// slice beside the `.asi` description that lists each file with its z
// position (asi-text.ts). The .asi is written last; on cancel or error every
// slice file written so far is removed.

import { basename, dirname, extname, join } from 'node:path';
import { rm } from 'node:fs/promises';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { sliceLength } from '../../src-shared/volume';
import { writeTiffStack } from '../tiff-write';
import { checkSlice } from '../tiff-write/slice-bytes';
import { sliceReader } from '../tiff-write/slice-source';
import { sliceFileName, stackedSlicesText } from './asi-text';
import type { ExportControl, ExportResult, ExportVolume } from './export-types';
import { writeFileSet } from './file-set';
import { exportError } from './fs-errors';
import { headerFileName } from './sidecar-paths';
import { asciiBytes } from './text-bytes';
import { requireValidVolume } from './uniform-z';

export async function writeStackedSlices(asiPath: string, volume: ExportVolume, control: ExportControl = {}): Promise<ExportResult> {
  requireValidVolume(volume, 'Avizo stacked slices', false);
  const [nz, ny, nx] = volume.shape;
  for (let i = 1; i < nz; i++) {
    if (volume.zPositionsNm[i] === volume.zPositionsNm[i - 1]) {
      throw new AppError('invalid_input', `Slices ${i - 1} and ${i} are both at z = ${volume.zPositionsNm[i]} nm; Avizo needs increasing z: reposition the slices first.`);
    }
  }
  const dir = dirname(asiPath);
  const base = basename(asiPath, extname(asiPath));
  const names = volume.zPositionsNm.map((_, z) => sliceFileName(base, z, nz));
  names.forEach((n) => headerFileName(join(dir, n)));
  const written: string[] = [];
  const reader = sliceReader(volume.slices, nz);
  const length = sliceLength(volume);
  let bytes = 0;
  try {
    for (let z = 0; z < nz; z++) {
      throwIfAborted(control.signal);
      const slice = await reader.next(z);
      checkSlice(slice, z, volume.dtype, length);
      const path = join(dir, names[z]);
      const info = { shape: [1, ny, nx] as const, dtype: volume.dtype, voxelSizeNm: volume.voxelSizeNm };
      const result = await writeTiffStack(path, info, [slice], { signal: control.signal });
      written.push(path);
      bytes += result.bytes;
      if (z < nz - 1) control.onProgress?.(z + 1, nz);
    }
    await reader.finish();
    const text = asciiBytes(stackedSlicesText(volume.voxelSizeNm, names.map((fileName, z) => ({ fileName, zNm: volume.zPositionsNm[z] }))));
    const result = await writeFileSet([asiPath], control, nz, async ([sink]) => {
      await sink.write(0, text);
      return text.length;
    });
    return { files: [asiPath, ...written], bytes: bytes + result.bytes };
  } catch (e) {
    await reader.close().catch(() => undefined);
    for (const p of written) await rm(p, { force: true }).catch(() => undefined);
    throw exportError(e, asiPath);
  }
}
