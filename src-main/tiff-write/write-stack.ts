// Multipage grey TIFF export: uncompressed, little endian, uint8 / uint16 /
// float32, ImageJ flavour by default (Fiji opens it with the voxel size).
// Streams slice by slice through a ByteSink; see layout.ts for where bytes go.

import { AppError, isCancelled, throwIfAborted } from '../../src-shared/errors';
import { sliceLength, volumeInfoProblems, type VolumeInfo } from '../../src-shared/volume';
import { encodeHeader, encodeIfd } from './ifd';
import { imageJDescription, rangeSlot, wantsDisplayRange } from './imagej-description';
import { ifdOffset, planTiffLayout, sliceOffset, type LayoutChoice, type TiffLayout, type TiffLayoutKind } from './layout';
import { encodeExtraTags, pageEntries, Tag, type ExtraTextTag, type PageTagInput } from './page-entries';
import { toRational } from './rational';
import type { ByteSink } from './sink';
import { checkSlice, littleEndianBytes, RangeTracker } from './slice-bytes';
import { sliceReader, type SliceSource } from './slice-source';

/** What the writer needs to know about the stack. z positions are optional: TIFF stores one spacing (voxelSizeNm.z). */
export type TiffStackInfo = Pick<VolumeInfo, 'shape' | 'dtype' | 'voxelSizeNm'> & { zPositionsNm?: readonly number[] };

export interface TiffStackOptions extends LayoutChoice {
  /** ImageJ description (images=, slices=, unit=nm, spacing=, min/max); default true. */
  imagej?: boolean;
  /** Plain ImageDescription for the first page when `imagej` is false (ASCII text). */
  description?: string;
  /**
   * Display range written as ImageJ's min=/max= (ImageJ flavour). Default: for
   * uint16 and float32 the range of the data (finite values), filled in after
   * the last slice; none for uint8, as ImageJ.
   */
  displayRange?: { min: number; max: number };
  /** Extra ASCII tags, e.g. { tag: 34682, text: fei_ini } (FEI_HELIOS). */
  extraTags?: readonly ExtraTextTag[];
  signal?: AbortSignal;
  /** Called after each slice with (slices written, nz); the last call (nz, nz) comes once the file is complete. */
  onProgress?: (done: number, total: number) => void;
}

export interface TiffStackResult {
  layout: TiffLayoutKind;
  /** Size of the file in bytes. */
  bytes: number;
  /** Number of planes (slices). */
  images: number;
}

/** Batch size for writing the IFDs that follow the pixel data. */
const IFD_BATCH_BYTES = 1 << 20;

function validate(info: TiffStackInfo, options: TiffStackOptions): void {
  const zs = info.zPositionsNm ?? Array.from({ length: info.shape[0] }, (_, i) => i * info.voxelSizeNm.z);
  const problems = volumeInfoProblems({ ...info, zPositionsNm: zs });
  if (problems.length) throw new AppError('invalid_input', `Cannot export this stack as TIFF: ${problems.join('; ')}.`);
  if (options.imagejHuge && options.imagej === false) {
    throw new AppError('invalid_input', 'ImageJ\'s > 4 GiB layout needs the ImageJ description; do not combine imagejHuge with imagej: false.');
  }
  if (options.description?.includes('\0')) throw new AppError('invalid_input', 'The TIFF description must not contain NUL characters.');
}

function plainDescription(text: string | undefined): Uint8Array | undefined {
  if (!text) return undefined;
  const t = new TextEncoder().encode(text);
  const b = new Uint8Array(t.length + 1);
  b.set(t, 0);
  return b;
}

/**
 * Encodes a stack into `sink`. On success the sink is committed; on error or
 * cancel (AppError 'cancelled') it is discarded and the error rethrown.
 */
export async function encodeTiffStack(
  sink: ByteSink,
  info: TiffStackInfo,
  slices: SliceSource,
  options: TiffStackOptions = {},
): Promise<TiffStackResult> {
  const [nz, ny, nx] = info.shape;
  const reader = sliceReader(slices, nz);
  try {
    validate(info, options);
    throwIfAborted(options.signal);
    const imagej = options.imagej !== false;
    const desc = imagej ? imageJDescription({ nImages: nz, spacingNm: info.voxelSizeNm.z }) : undefined;
    const track = imagej && !options.displayRange && wantsDisplayRange(info.dtype) ? new RangeTracker() : undefined;
    if (desc && options.displayRange) desc.bytes.set(rangeSlot(options.displayRange), desc.slotOffset);

    const tags: PageTagInput = {
      width: nx,
      height: ny,
      dtype: info.dtype,
      bigTiff: false,
      xResolution: toRational(1 / info.voxelSizeNm.x),
      yResolution: toRational(1 / info.voxelSizeNm.y),
      description: desc?.bytes ?? plainDescription(options.description),
      extraTags: encodeExtraTags(options.extraTags),
    };
    const layout = planTiffLayout(nz, tags, options);
    tags.bigTiff = layout.bigTiff;

    await sink.write(0, encodeHeader(layout.bigTiff, layout.firstIfdOffset));
    const next0 = layout.nIfds > 1 ? ifdOffset(layout, 1) : 0;
    const ifd0 = encodeIfd(pageEntries(tags, 0, sliceOffset(layout, 0)), layout.firstIfdOffset, layout.bigTiff, next0);
    await sink.write(layout.firstIfdOffset, ifd0.bytes);

    const length = sliceLength(info);
    for (let z = 0; z < nz; z++) {
      throwIfAborted(options.signal);
      const slice = await reader.next(z);
      throwIfAborted(options.signal);
      checkSlice(slice, z, info.dtype, length);
      track?.add(slice);
      await sink.write(sliceOffset(layout, z), littleEndianBytes(slice));
      if (z < nz - 1) options.onProgress?.(z + 1, nz);
    }
    await reader.finish();

    await writeRestIfds(sink, layout, tags, options.signal);
    const range = track?.range();
    if (desc && range) {
      const at = ifd0.valueOffsets.get(Tag.ImageDescription)!;
      await sink.write(at + desc.slotOffset, rangeSlot(range));
    }
    throwIfAborted(options.signal);
    await sink.commit();
    options.onProgress?.(nz, nz);
    return { layout: layout.kind, bytes: layout.fileBytes, images: nz };
  } catch (e) {
    await reader.close().catch(() => undefined);
    await sink.discard().catch(() => undefined);
    if (isCancelled(e) && !(e instanceof AppError)) throw new AppError('cancelled', 'The export was cancelled; no file was written.');
    throw e;
  }
}

/** IFDs 1..N-1 after the pixel data, written in batches of about 1 MB. */
async function writeRestIfds(sink: ByteSink, layout: TiffLayout, tags: PageTagInput, signal?: AbortSignal): Promise<void> {
  if (layout.nIfds <= 1) return;
  const perBatch = Math.max(1, Math.floor(IFD_BATCH_BYTES / layout.restIfdBytes));
  for (let first = 1; first < layout.nIfds; first += perBatch) {
    throwIfAborted(signal);
    const last = Math.min(layout.nIfds - 1, first + perBatch - 1);
    const batch = new Uint8Array((last - first + 1) * layout.restIfdBytes);
    for (let k = first; k <= last; k++) {
      const at = ifdOffset(layout, k);
      const next = k + 1 < layout.nIfds ? ifdOffset(layout, k + 1) : 0;
      const block = encodeIfd(pageEntries(tags, k, sliceOffset(layout, k)), at, layout.bigTiff, next).bytes;
      if (block.length !== layout.restIfdBytes) throw new Error(`IFD ${k} is ${block.length} bytes, planned ${layout.restIfdBytes}`);
      batch.set(block, (k - first) * layout.restIfdBytes);
    }
    await sink.write(ifdOffset(layout, first), batch);
  }
}
