// Reads a whole TIFF stack (multipage file or folder) into a Volume in memory,
// slice by slice, with the voxel size from its metadata or the caller. For
// volumes that fit in memory (metrics on a file, tests); projects import instead.
import { basename } from 'node:path';
import { DTYPES, type SliceArray } from '../../src-shared/dtype';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import type { MetadataOverrides } from '../../src-shared/metadata';
import type { Volume } from '../../src-shared/volume';
import { openTiff, pageReadBytes } from '../tiff';
import { checkVolumeFits, importMemoryBudgetBytes } from './memory-budget';
import { planStack } from './plan-stack';
import { resolveGeometry } from './resolve-geometry';

export async function readTiffVolume(paths: readonly string[], opts: { overrides?: MetadataOverrides; signal?: AbortSignal } = {}): Promise<Volume & { notices: string[] }> {
  const plan = await planStack(paths, opts.signal);
  const geometry = resolveGeometry({
    firstFile: plan.files[0].path,
    metadata: plan.files[0].metadata,
    nz: plan.slices.length,
    imageHeight: plan.height,
    overrides: opts.overrides,
  });
  const crop = { x: 0, y: 0, width: plan.width, height: geometry.imageRows };
  const planeBytes = crop.width * crop.height * DTYPES[plan.dtype].bytes;
  // The whole volume stays in memory: refuse what does not fit before reading a pixel.
  checkVolumeFits(plan.slices.length * planeBytes + pageReadBytes(plan.largestRead.model, crop), importMemoryBudgetBytes(), {
    file: paths[0],
    shape: [plan.slices.length, crop.height, crop.width],
    dtype: plan.dtype,
  });
  const slices: SliceArray[] = [];
  for (const [fi, file] of plan.files.entries()) {
    const tiff = await openTiff(file.path);
    try {
      for (const entry of plan.slices) {
        if (entry.file !== fi) continue;
        throwIfAborted(opts.signal);
        const plane = await tiff.readPage(entry.page, { crop });
        slices.push(plane.data);
      }
    } finally {
      await tiff.close();
    }
  }
  if (slices.length === 0) throw new AppError('empty_folder', `${basename(paths[0])} holds no slices: choose a multipage TIFF or a folder of TIFF slices.`, paths[0]);
  return {
    shape: [slices.length, geometry.imageRows, plan.width],
    dtype: plan.dtype,
    voxelSizeNm: geometry.voxelSizeNm,
    zPositionsNm: geometry.zPositionsNm,
    slices,
    notices: [...plan.notices, ...geometry.notices],
  };
}

/**
 * Label volumes written by other tools often store solid as 255: maps {0, v}
 * to {0, 1} for a single non-zero value v; refuses anything with more values.
 */
export function asBinaryLabels(volume: Volume, what: string): { volume: Volume; notice?: string } {
  if (volume.dtype !== 'uint8' && volume.dtype !== 'uint16') {
    throw new AppError('invalid_input', `${what} is ${volume.dtype}; give a label volume (0 = pore, 1 or 255 = solid).`);
  }
  let nonZero = -1;
  for (const s of volume.slices) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (v === 0 || v === nonZero) continue;
      if (nonZero === -1) {
        nonZero = v;
        continue;
      }
      throw new AppError(
        'invalid_input',
        `${what} is not binary: it holds the values 0, ${nonZero} and ${v}. The metrics need a segmented volume (0 = pore, one value for solid): segment it first.`,
      );
    }
  }
  if (nonZero === 1 && volume.dtype === 'uint8') return { volume };
  const slices = volume.slices.map((s) => Uint8Array.from(s, (v) => (v === 0 ? 0 : 1)));
  return {
    volume: { ...volume, dtype: 'uint8', slices },
    notice: nonZero === -1 ? `${what} holds no solid at all.` : `${what}: solid stored as ${nonZero}, read as label 1.`,
  };
}
