// The ImageJ ImageDescription, keys in the order ImageJ's FileSaver writes
// them (ImageJ=, images=, slices=, unit=, spacing=, loop=, min=, max=).
// ImageJ writes min/max (the display range) for 16-bit and 32-bit images; a
// streamed stack only knows its range at the end, so the description keeps a
// fixed-size slot for these two lines, padded with blank lines (ignored by
// ImageJ and tifffile), which the writer fills in place once all slices are
// written.

import type { DType } from '../../src-shared/dtype';

/** Version string tifffile also writes; readers only check the `ImageJ=` prefix. */
export const IMAGEJ_VERSION = '1.11a';

/** Longest Java double text ("-1.7976931348623157E308") plus margin. */
const NUMBER_CHARS = 25;
/** Bytes reserved for "min=...\nmax=...\n". */
export const RANGE_SLOT_BYTES = 2 * (4 + NUMBER_CHARS + 1);

/** Formats a number as Java's Double.toString does for the values ImageJ meets (10 -> "10.0", 1e-7 -> "1.0E-7"). */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) {
    const [m, e] = v.toExponential().split('e');
    const mant = m.includes('.') ? m : `${m}.0`;
    return `${mant}E${Number(e)}`;
  }
  const s = String(v);
  return s.includes('.') ? s : `${s}.0`;
}

export interface ImageJDescriptionInput {
  nImages: number;
  /** Slice spacing in nm. */
  spacingNm: number;
}

export interface ImageJDescription {
  /** Full ASCII bytes including the slot and the terminating NUL. */
  bytes: Uint8Array;
  /** Byte offset of the min/max slot inside `bytes`. */
  slotOffset: number;
}

/** Whether ImageJ would write a display range for this pixel type without being asked. */
export function wantsDisplayRange(dtype: DType): boolean {
  return dtype !== 'uint8';
}

/** Builds the description with an empty (blank-line) min/max slot. */
export function imageJDescription(input: ImageJDescriptionInput): ImageJDescription {
  let text = `ImageJ=${IMAGEJ_VERSION}\n`;
  if (input.nImages > 1) text += `images=${input.nImages}\nslices=${input.nImages}\n`;
  text += 'unit=nm\n';
  // ImageJ writes spacing only for stacks; we write it for one slice too so the z size travels.
  text += `spacing=${javaDouble(input.spacingNm)}\n`;
  if (input.nImages > 1) text += 'loop=false\n';
  const head = new TextEncoder().encode(text);
  const bytes = new Uint8Array(head.length + RANGE_SLOT_BYTES + 1);
  bytes.set(head, 0);
  bytes.set(rangeSlot(undefined), head.length);
  bytes[bytes.length - 1] = 0;
  return { bytes, slotOffset: head.length };
}

/** The slot text: "min=..\nmax=..\n" padded with newlines, or all newlines when there is no range. */
export function rangeSlot(range: { min: number; max: number } | undefined): Uint8Array {
  const slot = new Uint8Array(RANGE_SLOT_BYTES).fill(0x0a);
  if (range && Number.isFinite(range.min) && Number.isFinite(range.max)) {
    const lines = new TextEncoder().encode(`min=${javaDouble(range.min)}\nmax=${javaDouble(range.max)}\n`);
    if (lines.length <= RANGE_SLOT_BYTES) slot.set(lines, 0);
  }
  return slot;
}
