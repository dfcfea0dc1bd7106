// Slice repositioning ([Sardhara2023] 2.2.2, docs/conventions.md "Slice thickness and
// repositioning"): every measured slice goes to its measured z rounded to a grid
// (by default the in-plane pixel size), and where two slices land on one grid
// index one of them moves to the nearest free index, so that no slice is lost.
//
// Rules (the paper says "distributed to the nearest free positions"; these are ours):
// - Rounding: gridIndex = Math.round(z / spacing), i.e. halves round up (deeper).
// - Acquisition order is kept: indices strictly increase with the slice number, since
//   slices are milled one after the other and a later slice is never shallower.
// - Collision of slice i with slice i - 1 on index g (both round to g): either the
//   later slice moves to g + 1 or the earlier slice moves to g - 1 (only when g - 1 is
//   free and >= 0); the choice with the smaller total |index * spacing - z| of the two
//   wins, and on a tie the later slice moves deeper (g + 1).
// - A slice that rounds onto an index already passed by a cascade (several thin
//   slices in a row) takes the next free index after its predecessor.
import { AppError } from '../../src-shared/errors';

export interface SlicePlacement {
  /** Grid index of every measured slice, strictly increasing. */
  gridIndex: number[];
  /** Grid spacing along z, nm: plane k of the grid lies at k * gridSpacingNm. */
  gridSpacingNm: number;
  /** Number of grid planes: last index + 1. */
  gridLength: number;
  /** Slices whose index differs from round(z / spacing) (moved off a collision). */
  moved: number;
  /** Largest |gridIndex * spacing - z| over all slices, nm (rounding and moves together). */
  maxShiftNm: number;
  /** Mean |gridIndex * spacing - z|, nm. */
  meanShiftNm: number;
}

function checkPositions(zPositionsNm: readonly number[], gridSpacingNm: number): void {
  if (!(Number.isFinite(gridSpacingNm) && gridSpacingNm > 0)) {
    throw new AppError('invalid_input', `the repositioning grid spacing must be a positive number of nm (e.g. the pixel size), got ${gridSpacingNm}`);
  }
  if (zPositionsNm.length === 0) throw new AppError('invalid_input', 'there are no slices to reposition: import a stack first');
  zPositionsNm.forEach((z, i) => {
    if (!Number.isFinite(z) || z < 0) {
      throw new AppError('invalid_input', `slice ${i} has z = ${z} nm; z positions must be finite and >= 0 (z of the first slice = 0): check the thickness table`);
    }
    if (i > 0 && z < zPositionsNm[i - 1]) {
      throw new AppError('invalid_input', `slice ${i} at ${z} nm lies above slice ${i - 1} at ${zPositionsNm[i - 1]} nm: thicknesses must not be negative`);
    }
  });
}

export function repositionSlices(zPositionsNm: readonly number[], gridSpacingNm: number, opts: { signal?: AbortSignal } = {}): SlicePlacement {
  checkPositions(zPositionsNm, gridSpacingNm);
  if (opts.signal?.aborted) throw new AppError('cancelled', 'Repositioning was cancelled; nothing was changed.');
  const n = zPositionsNm.length;
  const u = zPositionsNm.map((z) => z / gridSpacingNm);
  const rounded = u.map((v) => Math.round(v));
  const p: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = rounded[i];
    const prev = i > 0 ? p[i - 1] : -1;
    if (g > prev) {
      p.push(g);
      continue;
    }
    // Collision: g <= prev. Default: the later slice takes the next free index deeper.
    const down = prev + 1;
    const belowFree = g === prev && prev - 1 >= 0 && (i < 2 || prev - 1 > p[i - 2]);
    if (belowFree) {
      const costLaterMoves = Math.abs(prev - u[i - 1]) + Math.abs(down - u[i]);
      const costEarlierMoves = Math.abs(prev - 1 - u[i - 1]) + Math.abs(prev - u[i]);
      if (costEarlierMoves < costLaterMoves) {
        p[i - 1] = prev - 1;
        p.push(prev);
        continue;
      }
    }
    p.push(down);
  }
  let moved = 0;
  let maxShift = 0;
  let sumShift = 0;
  for (let i = 0; i < n; i++) {
    if (p[i] !== rounded[i]) moved++;
    const shift = Math.abs(p[i] * gridSpacingNm - zPositionsNm[i]);
    maxShift = Math.max(maxShift, shift);
    sumShift += shift;
  }
  return { gridIndex: p, gridSpacingNm, gridLength: p[n - 1] + 1, moved, maxShiftNm: maxShift, meanShiftNm: sumShift / n };
}

/** The default grid spacing: the in-plane pixel size (the smaller of x and y when they differ). */
export function defaultGridSpacingNm(voxelSizeNm: { x: number; y: number }): number {
  return Math.min(voxelSizeNm.x, voxelSizeNm.y);
}
