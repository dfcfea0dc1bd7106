// Building an ImageMetadata value with the sanity rules every vendor shares:
// a pixel size is kept only when finite and > 0, and one outside 0.1 nm .. 10 µm
// is kept but flagged, because that is nearly always a unit mistake (metres read
// as nanometres, an inch-based dpi) that would scale every later measurement.
import type { ImageMetadata, Sourced, Vendor } from '../../src-shared/metadata';
import { formatNumber } from './numbers-and-units';

export const PLAUSIBLE_PIXEL_NM = { min: 0.1, max: 10_000 } as const;

export function newMetadata(vendor: Vendor): ImageMetadata {
  return { vendor, notices: [], raw: {} };
}

export function sourced<T>(value: T, source: string): Sourced<T> {
  return { value, source };
}

/**
 * Stores a pixel size (nm) on the given axis when it is usable; otherwise adds a
 * notice saying what was wrong and where it came from. Returns whether it was stored.
 */
export function acceptPixelSize(meta: ImageMetadata, axis: 'x' | 'y', nm: number, source: string): boolean {
  const field = axis === 'x' ? 'pixelSizeXNm' : 'pixelSizeYNm';
  if (!Number.isFinite(nm) || nm <= 0) {
    meta.notices.push(`Ignored the ${axis} pixel size from ${source}: ${nm} nm is not a positive number.`);
    return false;
  }
  if (nm < PLAUSIBLE_PIXEL_NM.min || nm > PLAUSIBLE_PIXEL_NM.max) {
    meta.notices.push(
      `The ${axis} pixel size from ${source} is ${formatNumber(nm)} nm, outside the usual 0.1 nm to 10 µm: ` +
        'probably a unit mistake. Check it, and override it if it is wrong.',
    );
  }
  meta[field] = sourced(nm, source);
  return true;
}

/** Relative difference |a - b| / max(|a|, |b|); 0 when both are 0. */
export function relativeDifference(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}
