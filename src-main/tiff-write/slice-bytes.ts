// Turns one slice (typed array) into the little-endian bytes of a TIFF plane,
// checking that it matches the declared shape and type, and keeps the running
// value range for ImageJ's display range.

import { AppError } from '../../src-shared/errors';
import { dtypeOf, type DType, type SliceArray } from '../../src-shared/dtype';

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Checks a slice against the stack's type and size; throws AppError otherwise. */
export function checkSlice(slice: SliceArray, z: number, dtype: DType, length: number): void {
  const got = dtypeOf(slice);
  if (got !== dtype) {
    throw new AppError('invalid_input', `Slice ${z} is ${got} but the stack is ${dtype}; convert the slices before export.`);
  }
  if (slice.length !== length) {
    throw new AppError('size_mismatch', `Slice ${z} has ${slice.length} pixels but the stack needs ${length} per slice.`);
  }
}

/** The slice's bytes in little-endian order: a view without copying on little-endian hosts. */
export function littleEndianBytes(slice: SliceArray): Uint8Array {
  const view = new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength);
  if (HOST_LITTLE_ENDIAN || slice.BYTES_PER_ELEMENT === 1) return view;
  const out = new Uint8Array(view.length);
  const w = slice.BYTES_PER_ELEMENT;
  for (let i = 0; i < view.length; i += w) {
    for (let j = 0; j < w; j++) out[i + j] = view[i + w - 1 - j];
  }
  return out;
}

/** Running min/max over finite values (NaN and infinities are skipped). */
export class RangeTracker {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(slice: SliceArray): void {
    let lo = this.min;
    let hi = this.max;
    for (let i = 0; i < slice.length; i++) {
      const v = slice[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // Infinities may have been taken; recompute over finite values only when needed.
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      for (let i = 0; i < slice.length; i++) {
        const v = slice[i];
        if (!Number.isFinite(v)) continue;
        if (v < this.min) this.min = v;
        if (v > this.max) this.max = v;
      }
      return;
    }
    this.min = lo;
    this.max = hi;
  }

  /** The range, or undefined when no finite value was seen. */
  range(): { min: number; max: number } | undefined {
    return this.min <= this.max ? { min: this.min, max: this.max } : undefined;
  }
}
