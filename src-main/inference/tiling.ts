// Geometry of tiled inference: reflection indices, tile origins and the blending
// weights of overlapping tiles (docs/inference.md, "Tiling and blending").

/** numpy.pad 'reflect' index: ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ... (edge not repeated); n = 1 -> 0. */
export function reflectIndex(i: number, n: number): number {
  if (n <= 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/**
 * Starts of tiles of length `tile` covering [0, n) with at least `overlap` shared
 * pixels: 0, s, 2s, ... (s = tile - overlap) and a last tile flush with the end.
 * When n <= tile, one tile at 0 (the input is reflection-padded to the tile).
 */
export function tileOrigins(n: number, tile: number, overlap: number): number[] {
  if (n <= tile) return [0];
  const stride = Math.max(1, tile - overlap);
  const origins: number[] = [];
  for (let o = 0; o + tile < n; o += stride) origins.push(o);
  origins.push(n - tile);
  return origins;
}

/** Smallest weight of a tile pixel: tile edges still count, so every pixel is covered. */
export const BLEND_FLOOR = 0.01;

/**
 * 1D blending weights of a tile: 1 in the middle, a raised-cosine ramp over
 * `overlap` pixels at both ends, w(i) = f + (1 - f) * (1 - cos(pi * (i + 0.5) / overlap)) / 2
 * for i < overlap (f = BLEND_FLOOR), mirrored at the other end. Never zero.
 * The 2D weight of pixel (y, x) is w(y) * w(x); 3D patches multiply by w(z).
 */
export function blendWeights1d(tile: number, overlap: number): Float32Array {
  const w = new Float32Array(tile).fill(1);
  if (overlap <= 0) return w;
  for (let i = 0; i < tile; i++) {
    const d = Math.min(i, tile - 1 - i);
    if (d < overlap) w[i] = Math.min(w[i], BLEND_FLOOR + (1 - BLEND_FLOOR) * 0.5 * (1 - Math.cos((Math.PI * (d + 0.5)) / overlap)));
  }
  return w;
}
