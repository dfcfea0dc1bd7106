// The tags of one page of a grey, uncompressed, one-strip-per-page stack.
// One strip per page, as ImageJ writes: the smallest IFDs, the layout ImageJ's
// contiguous-stack reader and tifffile's fast path expect, and no reader we
// target (Fiji, tifffile, Avizo) needs small strips.

import { AppError } from '../../src-shared/errors';
import type { DType } from '../../src-shared/dtype';
import { DTYPES } from '../../src-shared/dtype';
import { TAG } from '../tiff/tags';
import { TiffType, type IfdEntry } from './ifd';

/** Tag numbers: one table for the reader and the writer. */
export const Tag = TAG;

const RESERVED = new Set<number>(Object.values(Tag));

/** An extra ASCII tag as the caller gives it. */
export interface ExtraTextTag {
  /** Tag number, e.g. 34682 (FEI_HELIOS). Must not be one of the tags the writer sets itself. */
  tag: number;
  /** Text, stored UTF-8 encoded with a terminating NUL (pure ASCII for FEI-style INI text). */
  text: string;
  /** Pages that carry it; default 'all'. With ImageJ's > 4 GiB layout there is only the first page. */
  pages?: 'all' | 'first';
}

/** Extra tag ready to encode. */
export interface EncodedExtraTag {
  tag: number;
  bytes: Uint8Array;
  firstOnly: boolean;
}

/** Validates extra tags and encodes their text; throws AppError('invalid_input') on bad ones. */
export function encodeExtraTags(tags: readonly ExtraTextTag[] | undefined): EncodedExtraTag[] {
  const seen = new Set<number>();
  return (tags ?? []).map((t) => {
    if (!Number.isInteger(t.tag) || t.tag < 1 || t.tag > 65535) {
      throw new AppError('invalid_input', `Extra TIFF tag number must be an integer from 1 to 65535, got ${t.tag}.`);
    }
    if (RESERVED.has(t.tag)) {
      throw new AppError('invalid_input', `Extra TIFF tag ${t.tag} is set by the writer itself; choose another tag number.`);
    }
    if (seen.has(t.tag)) throw new AppError('invalid_input', `Extra TIFF tag ${t.tag} is given twice.`);
    seen.add(t.tag);
    if (t.text.includes('\0')) throw new AppError('invalid_input', `Text of extra TIFF tag ${t.tag} contains a NUL character.`);
    const text = new TextEncoder().encode(t.text);
    const bytes = new Uint8Array(text.length + 1);
    bytes.set(text, 0);
    return { tag: t.tag, bytes, firstOnly: t.pages === 'first' };
  });
}

export interface PageTagInput {
  width: number;
  height: number;
  dtype: DType;
  bigTiff: boolean;
  xResolution: readonly [number, number];
  yResolution: readonly [number, number];
  /** ImageDescription bytes (NUL-terminated), first page only. */
  description?: Uint8Array;
  extraTags: readonly EncodedExtraTag[];
}

/** Entries of page `page` whose pixels start at `stripOffset`. */
export function pageEntries(input: PageTagInput, page: number, stripOffset: number): IfdEntry[] {
  const bytesPerSample = DTYPES[input.dtype].bytes;
  const stripBytes = input.width * input.height * bytesPerSample;
  const offsetType = input.bigTiff ? TiffType.LONG8 : TiffType.LONG;
  const entries: IfdEntry[] = [
    { tag: Tag.NewSubfileType, type: TiffType.LONG, value: [0] },
    { tag: Tag.ImageWidth, type: TiffType.LONG, value: [input.width] },
    { tag: Tag.ImageLength, type: TiffType.LONG, value: [input.height] },
    { tag: Tag.BitsPerSample, type: TiffType.SHORT, value: [8 * bytesPerSample] },
    { tag: Tag.Compression, type: TiffType.SHORT, value: [1] },
    { tag: Tag.Photometric, type: TiffType.SHORT, value: [1] }, // BlackIsZero
    { tag: Tag.StripOffsets, type: offsetType, value: [stripOffset] },
    { tag: Tag.SamplesPerPixel, type: TiffType.SHORT, value: [1] },
    { tag: Tag.RowsPerStrip, type: TiffType.LONG, value: [input.height] },
    { tag: Tag.StripByteCounts, type: offsetType, value: [stripBytes] },
    { tag: Tag.XResolution, type: TiffType.RATIONAL, value: input.xResolution },
    { tag: Tag.YResolution, type: TiffType.RATIONAL, value: input.yResolution },
    { tag: Tag.ResolutionUnit, type: TiffType.SHORT, value: [1] }, // none: the unit is in the description
    { tag: Tag.SampleFormat, type: TiffType.SHORT, value: [input.dtype === 'float32' ? 3 : 1] },
  ];
  if (page === 0 && input.description) {
    entries.push({ tag: Tag.ImageDescription, type: TiffType.ASCII, value: input.description });
  }
  for (const t of input.extraTags) {
    if (page === 0 || !t.firstOnly) entries.push({ tag: t.tag, type: TiffType.ASCII, value: t.bytes });
  }
  return entries;
}
