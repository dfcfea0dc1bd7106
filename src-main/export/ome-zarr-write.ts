// OME-Zarr export (a `.ome.zarr` folder): Zarr v3 group with OME-Zarr 0.5
// multiscales metadata, array "0" at full resolution and, optionally, array
// "1" reduced 2x2x2 (see ome-zarr-metadata.ts for the spec facts). Slices
// stream into one row of chunks per level; the folder is built as
// `<path>.<pid>.partial` and renamed when complete, removed on cancel or error.

import { rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { sliceLength } from '../../src-shared/volume';
import { partialPathOf } from '../tiff-write/file-sink';
import { checkSlice } from '../tiff-write/slice-bytes';
import { sliceReader } from '../tiff-write/slice-source';
import { isOwnZarrStore } from './export-guard';
import type { ExportControl, ExportResult, ExportVolume } from './export-types';
import { exportError } from './fs-errors';
import { Downsampler2x, reducedShape, type DownsampleMethod } from './ome-zarr-downsample';
import { ZarrChunkRowWriter } from './ome-zarr-chunks';
import { omeGroupJson, zarrArrayJson, type OmeLevel, type ZarrArrayMeta } from './ome-zarr-metadata';
import { requireValidVolume } from './uniform-z';

export interface OmeZarrOptions {
  /** Chunk shape (z, y, x); default [16, 256, 256], clipped to the volume. Memory: one row of chunks per level. */
  chunkShape?: readonly [number, number, number];
  /** gzip level 1-9 for every chunk; default none (bytes codec only). */
  gzipLevel?: number;
  /** Also write level "1", reduced 2x2x2: 'mean' for grey values, 'nearest' for labels; default none. */
  downsample?: DownsampleMethod;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

export async function writeOmeZarr(path: string, volume: ExportVolume, control: ExportControl = {}, options: OmeZarrOptions = {}): Promise<ExportResult> {
  requireValidVolume(volume, 'OME-Zarr', true);
  const [nz, ny, nx] = volume.shape;
  const requested = options.chunkShape ?? [16, 256, 256];
  if (requested.length !== 3 || requested.some((c) => !(Number.isInteger(c) && c > 0))) {
    throw new AppError('invalid_input', `OME-Zarr chunk shape must be three positive integers (z, y, x), got ${JSON.stringify(requested)}.`);
  }
  const gzipLevel = options.gzipLevel;
  if (gzipLevel !== undefined && !(Number.isInteger(gzipLevel) && gzipLevel >= 0 && gzipLevel <= 9)) {
    throw new AppError('invalid_input', `gzip level must be an integer from 0 to 9, got ${gzipLevel}.`);
  }
  // Only a store this program wrote (marker, nothing else inside) is ever replaced; callers
  // also check with checkExportTargets, which asks the user first (--overwrite).
  if ((await exists(path)) && !(await isOwnZarrStore(path))) {
    throw new AppError('invalid_input', `${path} exists and is not an OME-Zarr store written by fibrecon (or holds other files); choose another name.`, path);
  }
  const clip = (shape: readonly number[]): [number, number, number] => [0, 1, 2].map((a) => Math.min(requested[a], shape[a])) as [number, number, number];
  const level0: ZarrArrayMeta = { shape: [nz, ny, nx], chunkShape: clip(volume.shape), dtype: volume.dtype, gzipLevel };
  const levels: OmeLevel[] = [{ path: '0', factor: [1, 1, 1], shiftVoxels: [0, 0, 0] }];
  let level1: ZarrArrayMeta | undefined;
  if (options.downsample) {
    const shape = reducedShape(volume.shape);
    level1 = { shape, chunkShape: clip(shape), dtype: volume.dtype, gzipLevel };
    const s = options.downsample === 'mean' ? 0.5 : 0;
    levels.push({ path: '1', factor: [2, 2, 2], shiftVoxels: [s, s, s] });
  }

  const partial = partialPathOf(path);
  const reader = sliceReader(volume.slices, nz);
  try {
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial);
    const json = async (rel: string, value: object): Promise<number> => {
      await mkdir(join(partial, rel), { recursive: true });
      const text = JSON.stringify(value, null, 2);
      await writeFile(join(partial, rel, 'zarr.json'), text);
      return Buffer.byteLength(text);
    };
    let bytes = await json('.', omeGroupJson(volume, levels, basename(path).replace(/\.ome\.zarr$|\.zarr$/, ''), options.downsample));
    bytes += await json('0', zarrArrayJson(level0));
    const w0 = new ZarrChunkRowWriter(join(partial, '0'), level0);
    let w1: ZarrChunkRowWriter | undefined;
    let down: Downsampler2x | undefined;
    if (level1) {
      bytes += await json('1', zarrArrayJson(level1));
      w1 = new ZarrChunkRowWriter(join(partial, '1'), level1);
      down = new Downsampler2x(volume.shape, volume.dtype, options.downsample!);
    }
    const length = sliceLength(volume);
    for (let z = 0; z < nz; z++) {
      throwIfAborted(control.signal);
      const slice = await reader.next(z);
      throwIfAborted(control.signal);
      checkSlice(slice, z, volume.dtype, length);
      await w0.add(slice);
      const reduced = down?.add(slice, z);
      if (reduced) await w1!.add(reduced);
      if (z < nz - 1) control.onProgress?.(z + 1, nz);
    }
    await reader.finish();
    await w0.flush();
    await w1?.flush();
    throwIfAborted(control.signal);
    bytes += w0.bytes + (w1?.bytes ?? 0);
    if (await exists(path)) {
      // A previous export of ours: moved aside first, so that a failure here never leaves neither.
      const previous = `${path}.replaced-${process.pid}`;
      await rename(path, previous);
      await rename(partial, path);
      await rm(previous, { recursive: true, force: true });
    } else {
      await rename(partial, path);
    }
    control.onProgress?.(nz, nz);
    return { files: [path], bytes };
  } catch (e) {
    await reader.close().catch(() => undefined);
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw exportError(e, path);
  }
}
