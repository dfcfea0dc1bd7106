// Where every byte of a stack file goes, computed before anything is written,
// and the choice between classic TIFF, BigTIFF and ImageJ's > 4 GiB layout.
//
// classic / bigtiff: header, IFD 0 (with the description), all planes
//   contiguous, then IFDs 1..N-1. This is what ImageJ's TiffEncoder writes:
//   ImageJ (and tifffile) read such a stack as one contiguous block from the
//   first page's strip offset, and every page still has a valid IFD.
// imagej-huge: header, one IFD (nImages from `images=`), all planes
//   contiguous; only plane 0's offset is recorded, so the file may exceed 4 GiB
//   while staying classic TIFF. Readers: ImageJ/Fiji, tifffile.

import { AppError } from '../../src-shared/errors';
import { DTYPES } from '../../src-shared/dtype';
import { flavourSizes, ifdBlockBytes } from './ifd';
import { pageEntries, type PageTagInput } from './page-entries';

export type TiffLayoutKind = 'classic' | 'bigtiff' | 'imagej-huge';

/** Largest classic TIFF: every offset must fit an unsigned 32-bit integer. */
export const CLASSIC_TIFF_MAX_BYTES = 2 ** 32 - 1;

/** Pixel data starts on this boundary (typed-array friendly for memory-mapping readers). */
const PIXEL_ALIGN = 16;

export interface TiffLayout {
  kind: TiffLayoutKind;
  bigTiff: boolean;
  nImages: number;
  /** Number of IFDs in the file: nImages, or 1 for imagej-huge. */
  nIfds: number;
  sliceBytes: number;
  headerBytes: number;
  /** IFD 0 starts right after the header. */
  firstIfdOffset: number;
  firstIfdBytes: number;
  /** Byte offset of plane 0; plane z is at pixelOffset + z * sliceBytes. */
  pixelOffset: number;
  /** Offset of IFD 1 (when nIfds > 1); IFD k is at restIfdOffset + (k - 1) * restIfdBytes. */
  restIfdOffset: number;
  restIfdBytes: number;
  fileBytes: number;
}

export function sliceOffset(layout: TiffLayout, z: number): number {
  return layout.pixelOffset + z * layout.sliceBytes;
}

export function ifdOffset(layout: TiffLayout, page: number): number {
  return page === 0 ? layout.firstIfdOffset : layout.restIfdOffset + (page - 1) * layout.restIfdBytes;
}

/** Page tags without the flavour, which the layout decides. */
export type LayoutTagInput = Omit<PageTagInput, 'bigTiff'>;

function computeLayout(kind: TiffLayoutKind, nImages: number, tags: LayoutTagInput): TiffLayout {
  const bigTiff = kind === 'bigtiff';
  const input: PageTagInput = { ...tags, bigTiff };
  const sizes = flavourSizes(bigTiff);
  const sliceBytes = tags.width * tags.height * DTYPES[tags.dtype].bytes;
  const firstIfdOffset = sizes.headerBytes;
  const firstIfdBytes = ifdBlockBytes(pageEntries(input, 0, 0), bigTiff);
  const afterIfd0 = firstIfdOffset + firstIfdBytes;
  const pixelOffset = Math.ceil(afterIfd0 / PIXEL_ALIGN) * PIXEL_ALIGN;
  const pixelEnd = pixelOffset + nImages * sliceBytes;
  const nIfds = kind === 'imagej-huge' ? 1 : nImages;
  const restIfdOffset = pixelEnd + (pixelEnd & 1);
  const restIfdBytes = nIfds > 1 ? ifdBlockBytes(pageEntries(input, 1, 0), bigTiff) : 0;
  const fileBytes = nIfds > 1 ? restIfdOffset + (nIfds - 1) * restIfdBytes : pixelEnd;
  return {
    kind, bigTiff, nImages, nIfds, sliceBytes, headerBytes: sizes.headerBytes,
    firstIfdOffset, firstIfdBytes, pixelOffset, restIfdOffset, restIfdBytes, fileBytes,
  };
}

export interface LayoutChoice {
  /** Use ImageJ's > 4 GiB layout instead of BigTIFF when the classic file would be too big. */
  imagejHuge?: boolean;
  /** Classic files larger than this switch layout; default CLASSIC_TIFF_MAX_BYTES. Lower it in tests. */
  bigTiffThresholdBytes?: number;
}

/**
 * Chooses and computes the layout: classic TIFF when the whole classic file
 * fits the threshold, otherwise BigTIFF, or ImageJ's huge layout when asked.
 */
export function planTiffLayout(nImages: number, tags: LayoutTagInput, choice: LayoutChoice = {}): TiffLayout {
  const threshold = Math.min(choice.bigTiffThresholdBytes ?? CLASSIC_TIFF_MAX_BYTES, CLASSIC_TIFF_MAX_BYTES);
  const sliceBytes = tags.width * tags.height * DTYPES[tags.dtype].bytes;
  if (sliceBytes > CLASSIC_TIFF_MAX_BYTES && choice.imagejHuge) {
    throw new AppError('invalid_input', 'One slice is larger than 4 GiB; ImageJ\'s layout cannot hold it. Export without the ImageJ > 4 GiB option (BigTIFF).');
  }
  const classic = computeLayout('classic', nImages, tags);
  if (classic.fileBytes <= threshold) return classic;
  if (choice.imagejHuge) {
    const huge = computeLayout('imagej-huge', nImages, tags);
    if (huge.pixelOffset > CLASSIC_TIFF_MAX_BYTES) {
      throw new AppError('invalid_input', 'The TIFF metadata is too large for ImageJ\'s > 4 GiB layout.');
    }
    return huge;
  }
  return computeLayout('bigtiff', nImages, tags);
}
