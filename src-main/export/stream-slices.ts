// Streams the slices of a volume into a ByteSink at a byte offset, x fastest,
// little endian, one slice in memory at a time, checking each slice's type
// and size, the cancel signal and reporting progress.

import type { SliceArray } from '../../src-shared/dtype';
import { sliceLength } from '../../src-shared/volume';
import { throwIfAborted } from '../../src-shared/errors';
import type { ByteSink } from '../tiff-write/sink';
import { checkSlice, littleEndianBytes } from '../tiff-write/slice-bytes';
import { sliceReader } from '../tiff-write/slice-source';
import type { ExportControl, ExportVolume } from './export-types';

/**
 * Writes every slice's bytes (optionally encoded, e.g. HxByteRLE) at `offset`
 * onwards; returns the number of bytes written. Progress is reported after each
 * slice except the last: the caller reports (nz, nz) once its files are committed.
 */
export async function writeSlices(
  sink: ByteSink,
  offset: number,
  volume: ExportVolume,
  control: ExportControl,
  encode: (bytes: Uint8Array, slice: SliceArray) => Uint8Array = (b) => b,
): Promise<number> {
  const nz = volume.shape[0];
  const length = sliceLength(volume);
  const reader = sliceReader(volume.slices, nz);
  let at = offset;
  try {
    for (let z = 0; z < nz; z++) {
      throwIfAborted(control.signal);
      const slice = await reader.next(z);
      throwIfAborted(control.signal);
      checkSlice(slice, z, volume.dtype, length);
      const bytes = encode(littleEndianBytes(slice), slice);
      await sink.write(at, bytes);
      at += bytes.length;
      if (z < nz - 1) control.onProgress?.(z + 1, nz);
    }
    await reader.finish();
  } catch (e) {
    await reader.close().catch(() => undefined);
    throw e;
  }
  return at - offset;
}
