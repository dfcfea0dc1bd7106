// Reads a whole TIFF stack (multipage file or folder) into a Volume in memory,
// slice by slice, with the voxel size from its metadata or the caller. For
// volumes that fit in memory (metrics on a file, tests); projects import instead.
import { basename } from 'node:path';
import { DTYPES, type SliceArray } from '../../src-shared/dtype';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import type { MetadataOverrides } from '../../src-shared/metadata';
import type { Volume } from '../../src-shared/volume';
import { LABEL_RULE, toBinaryLabels } from '../geometry/binary-labels';
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
 * A label volume for the metrics as 0/1 (uint8), by the rule of
 * geometry/binary-labels.ts: of the two values the higher is solid (0/255 from
 * Fiji, 1/2 from Avizo); refuses anything with more values.
 */
export function asBinaryLabels(volume: Volume, what: string): { volume: Volume; notice?: string } {
  const { volume: labels, mapping } = toBinaryLabels(
    volume,
    what,
    'the metrics need a segmented volume (two values: pore and solid, e.g. 0 and 1 or 0 and 255): segment it first.',
  );
  if (mapping.solid === null) return { volume: labels, notice: `${what} holds no solid at all.` };
  if (!mapping.changed) return { volume: labels };
  const pore = mapping.values.length === 2 ? `, ${mapping.values[0]} as label 0 (pore)` : '';
  return { volume: labels, notice: `${what}: solid stored as ${mapping.solid}, read as label 1${pore} (${LABEL_RULE}).` };
}
