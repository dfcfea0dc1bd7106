// The in-plane transforms of test-time augmentation: a model that has learnt the
// structure gives the same labels for a flipped or rotated slice (flipped back);
// one that guesses does not. Pure: typed arrays with their (rows, columns).
import type { SliceArray } from '../../../src-shared/dtype';

export const TTA_TRANSFORMS = ['flip-x', 'flip-y', 'rot90'] as const;
export type TtaTransform = (typeof TTA_TRANSFORMS)[number];

/** Rows and columns of a ny x nx slice after the transform (rot90 swaps them). */
export function transformedSize(t: TtaTransform, ny: number, nx: number): [number, number] {
  return t === 'rot90' ? [nx, ny] : [ny, nx];
}

function like<T extends SliceArray>(a: T, n: number): T {
  return new (a.constructor as new (n: number) => T)(n);
}

/**
 * The slice transformed: flip-x mirrors the columns, flip-y the rows, rot90 turns it a
 * quarter counter-clockwise (out[i][j] = in[j][nx - 1 - i], an nx x ny slice).
 */
export function transformSlice<T extends SliceArray>(s: T, ny: number, nx: number, t: TtaTransform): T {
  const out = like(s, ny * nx);
  if (t === 'flip-x') {
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[y * nx + x] = s[y * nx + nx - 1 - x];
  } else if (t === 'flip-y') {
    for (let y = 0; y < ny; y++) out.set(s.subarray((ny - 1 - y) * nx, (ny - y) * nx) as never, y * nx);
  } else {
    // out has nx rows of ny columns.
    for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) out[i * ny + j] = s[j * nx + nx - 1 - i];
  }
  return out;
}

/** Undoes transformSlice: `s` is the transformed slice, (ny, nx) the size of the original. */
export function untransformSlice<T extends SliceArray>(s: T, ny: number, nx: number, t: TtaTransform): T {
  if (t !== 'rot90') return transformSlice(s, ny, nx, t); // flips are their own inverse
  const out = like(s, ny * nx);
  // s[i][j] = orig[j][nx - 1 - i]  =>  orig[y][x] = s[nx - 1 - x][y]
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[y * nx + x] = s[(nx - 1 - x) * ny + y];
  return out;
}
