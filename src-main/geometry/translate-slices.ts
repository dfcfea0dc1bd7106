// Applies one in-plane translation per slice and crops every slice to the area that
// all translated frames cover, so that the registered stack has no empty borders.
//
// Convention (as phase-correlation.ts and scipy.ndimage.shift): translation (dy, dx)
// moves the content: output(y, x) = input(y - dy, x - dx).
// Crop: pixel (y, x) of the full frame is valid for a slice when its source point
// lies inside that slice's frame, 0 <= y - dy <= height - 1 (and likewise x), so both
// interpolations read only real pixels. The common crop is the intersection over all
// slices: rows ceil(max dy) .. floor(height - 1 + min dy). So the crop is exactly
// the range of the shifts (rounded outwards), and all-zero shifts crop nothing.
// Whole-pixel shifts are plain copies: the output holds the input's grey values,
// bit for bit (wholePixelShifts rounds a path to them).
import { DTYPES, dtypeOf } from '../../src-shared/dtype';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { maxOf, minOf } from '../../src-shared/min-max';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import type { ImageArray, PixelRegion } from './phase-correlation';

export interface Translation {
  /** Rows, px. */
  dy: number;
  /** Columns, px. */
  dx: number;
}

/** 'nearest' for label images (keeps label values); 'linear' (bilinear) for intensities. */
export type Interpolation = 'nearest' | 'linear';

export interface ApplyTranslationsOptions {
  interpolation: Interpolation;
  /** Crop to use instead of this stack's own common area, e.g. the crop shared by all channels (commonValidCrop). */
  crop?: PixelRegion;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface TranslatedStack<T extends ImageArray> {
  /** crop.width * crop.height each, same type as the input. */
  slices: T[];
  /** In the coordinates of the input frame. */
  crop: PixelRegion;
}

// Shifts summed from 1/upsample steps carry rounding (2.9999999999): tolerate it.
const EPS = 1e-6;

/** The rectangle covered by every translated frame; throws when the translations leave nothing. */
export function commonValidCrop(shifts: readonly Translation[], width: number, height: number): PixelRegion {
  let maxDy = 0, minDy = 0, maxDx = 0, minDx = 0;
  if (shifts.length > 0) {
    maxDy = maxOf(shifts.map((s) => s.dy)); minDy = minOf(shifts.map((s) => s.dy));
    maxDx = maxOf(shifts.map((s) => s.dx)); minDx = minOf(shifts.map((s) => s.dx));
  }
  for (const s of shifts) {
    if (!Number.isFinite(s.dy) || !Number.isFinite(s.dx)) throw new AppError('invalid_input', `translation (${s.dy}, ${s.dx}) px is not a pair of finite numbers`);
  }
  const y0 = Math.max(0, Math.ceil(maxDy - EPS));
  const y1 = Math.min(height - 1, Math.floor(height - 1 + minDy + EPS));
  const x0 = Math.max(0, Math.ceil(maxDx - EPS));
  const x1 = Math.min(width - 1, Math.floor(width - 1 + minDx + EPS));
  if (y1 < y0 || x1 < x0) {
    throw new AppError('invalid_input',
      `the slices are shifted by up to ${(maxDy - minDy).toFixed(1)} px in y and ${(maxDx - minDx).toFixed(1)} px in x, more than the ${width} x ${height} frame: ` +
      'no area is common to all slices; check the registration (a failed slice or a wrong region) before applying it');
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** The translations rounded to whole pixels (no resampling: grey values kept as they are). */
export function wholePixelShifts(shifts: readonly Translation[]): Translation[] {
  // + 0 turns -0 into 0.
  return shifts.map((s) => ({ dy: Math.round(s.dy) + 0, dx: Math.round(s.dx) + 0 }));
}

function createLike<T extends ImageArray>(a: T, n: number): T {
  return (a instanceof Float64Array ? new Float64Array(n) : DTYPES[dtypeOf(a)].create(n)) as T;
}

/** Translates every slice by shifts[i] and crops all to the common valid area. */
export function applyTranslations<T extends ImageArray>(
  slices: readonly T[], width: number, height: number, shifts: readonly Translation[], opts: ApplyTranslationsOptions,
): TranslatedStack<T> {
  if (shifts.length !== slices.length) throw new AppError('invalid_input', `${slices.length} slices but ${shifts.length} translations: give one per slice`);
  slices.forEach((s, i) => {
    if (s.length !== width * height) throw new AppError('size_mismatch', `slice ${i} has ${s.length} pixels but the stack is ${width} x ${height}`);
  });
  if (opts.interpolation !== 'nearest' && opts.interpolation !== 'linear') throw new AppError('invalid_input', `interpolation must be 'nearest' or 'linear', got ${String(opts.interpolation)}`);
  const own = commonValidCrop(shifts, width, height);
  const crop = opts.crop ?? own;
  if (opts.crop && (crop.x < own.x || crop.y < own.y || crop.x + crop.width > own.x + own.width || crop.y + crop.height > own.y + own.height)) {
    throw new AppError('invalid_input', `crop x ${crop.x}, y ${crop.y}, ${crop.width} x ${crop.height} reaches outside the area these translations cover (x ${own.x}, y ${own.y}, ${own.width} x ${own.height})`);
  }
  const report = progressTracker(opts.onProgress);
  const out: T[] = [];
  for (let i = 0; i < slices.length; i++) {
    throwIfAborted(opts.signal);
    out.push(translateOne(slices[i], width, height, shifts[i], crop, opts.interpolation));
    report((i + 1) / slices.length, `translated slice ${i + 1} of ${slices.length}`);
  }
  return { slices: out, crop };
}

function translateOne<T extends ImageArray>(src: T, width: number, height: number, s: Translation, crop: PixelRegion, interpolation: Interpolation): T {
  const out = createLike(src, crop.width * crop.height);
  const integer = !(src instanceof Float32Array || src instanceof Float64Array);
  const max = integer ? DTYPES[dtypeOf(src as never)].max : Infinity;
  const clampY = (v: number) => Math.min(height - 1, Math.max(0, v));
  const clampX = (v: number) => Math.min(width - 1, Math.max(0, v));
  if (Number.isInteger(s.dy) && Number.isInteger(s.dx)) {
    // A whole-pixel shift: copy rows (the crop keeps every source pixel inside the frame).
    for (let cy = 0; cy < crop.height; cy++) {
      const from = (crop.y + cy - s.dy) * width + crop.x - s.dx;
      out.set(src.subarray(from, from + crop.width) as never, cy * crop.width);
    }
    return out;
  }
  for (let cy = 0; cy < crop.height; cy++) {
    const sy = clampY(crop.y + cy - s.dy);
    const o = cy * crop.width;
    if (interpolation === 'nearest') {
      const row = Math.round(sy) * width;
      for (let cx = 0; cx < crop.width; cx++) out[o + cx] = src[row + Math.round(clampX(crop.x + cx - s.dx))];
      continue;
    }
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sy - y0;
    for (let cx = 0; cx < crop.width; cx++) {
      const sx = clampX(crop.x + cx - s.dx);
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      const top = src[y0 * width + x0] * (1 - fx) + src[y0 * width + x1] * fx;
      const bottom = src[y1 * width + x0] * (1 - fx) + src[y1 * width + x1] * fx;
      const v = top * (1 - fy) + bottom * fy;
      out[o + cx] = integer ? Math.min(max, Math.max(0, Math.round(v))) : v;
    }
  }
  return out;
}
