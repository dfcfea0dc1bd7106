// The reconstructions compared in seed Article II (Table 1, Tables 2-3), all onto
// the fine grid (the in-plane pixel size, 2.5 nm there):
//
// DNN ("direct NN interpolation"): no repositioning. The seeds: "the slices ... were
//   all assumed to exhibit an exact spacing of 10 nm ... interpolating values in z
//   using the nearest-neighbour method". Ours: slice i is placed at i * target
//   spacing whatever its measured z, i.e. at fine index round(i * target / fine),
//   and the gaps are filled by 'nearest' (ties to the shallower slice).
// SRCS ("standard repositioned cubic spline"): "slices were repositioned on a grid
//   with a spacing of 10 nm. Subsequently, cubic spline interpolation with a
//   resolution of 2.5 nm in z". Ours: repositionSlices(measured z, target spacing)
//   (same collision rule as ours, on the coarse grid), each slice then stands at
//   coarse index * target spacing, which goes to fine index round(that / fine)
//   (exact when target / fine is an integer, as 10 / 2.5), and the gaps are filled
//   by a not-a-knot cubic spline through those planes (binary: threshold 0.5 and
//   holes < 20 px filled, as for RCS).
// RNN / RCS: repositionSlices(measured z, fine spacing), then 'nearest' / 'cubic'.
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import type { Volume } from '../../src-shared/volume';
import { fillGaps, type GapFillMethod, type GapFillResult } from './gap-fill';
import { defaultGridSpacingNm, repositionSlices, type SlicePlacement } from './reposition-slices';
import { buildRepositionedVolume } from './reposition-volume';

export interface ReconstructionOptions {
  /** Fine grid spacing along z, nm; default the in-plane pixel size. */
  fineSpacingNm?: number;
  binary?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface Reconstruction extends GapFillResult {
  /** Where the measured slices were put on the fine grid. */
  placement: SlicePlacement;
}

function fineSpacing(volume: Volume, opts: ReconstructionOptions): number {
  return opts.fineSpacingNm ?? defaultGridSpacingNm(volume.voxelSizeNm);
}

function checkTarget(targetSpacingNm: number, fine: number): void {
  if (!(Number.isFinite(targetSpacingNm) && targetSpacingNm >= fine)) {
    throw new AppError('invalid_input', `the target slice spacing must be a number of nm >= the fine grid spacing (${fine} nm), got ${targetSpacingNm}`);
  }
}

function reconstruct(volume: Volume, zNm: readonly number[], fine: number, method: GapFillMethod, opts: ReconstructionOptions): Reconstruction {
  const placement = repositionSlices(zNm, fine, { signal: opts.signal });
  const filled = fillGaps(buildRepositionedVolume(volume, placement), { method, binary: opts.binary, signal: opts.signal, onProgress: opts.onProgress });
  return { ...filled, placement };
}

/** RNN (method 'nearest') or RCS ('cubic'): our repositioning on the fine grid, then gap filling. */
export function repositionAndFill(volume: Volume, method: GapFillMethod, opts: ReconstructionOptions = {}): Reconstruction {
  return reconstruct(volume, volume.zPositionsNm, fineSpacing(volume, opts), method, opts);
}

/** DNN: slices assumed at the target spacing (measured z ignored), nearest neighbour onto the fine grid. */
export function directNearestNeighbour(volume: Volume, targetSpacingNm: number, opts: ReconstructionOptions = {}): Reconstruction {
  const fine = fineSpacing(volume, opts);
  checkTarget(targetSpacingNm, fine);
  const assumed = volume.slices.map((_, i) => Math.round((i * targetSpacingNm) / fine) * fine);
  return reconstruct(volume, assumed, fine, 'nearest', opts);
}

/** SRCS: standard repositioning on the target grid, then a cubic spline onto the fine grid. */
export function standardRepositionCubic(volume: Volume, targetSpacingNm: number, opts: ReconstructionOptions = {}): Reconstruction {
  const fine = fineSpacing(volume, opts);
  checkTarget(targetSpacingNm, fine);
  const coarse = repositionSlices(volume.zPositionsNm, targetSpacingNm, { signal: opts.signal });
  const snapped = coarse.gridIndex.map((g) => Math.round((g * targetSpacingNm) / fine) * fine);
  return reconstruct(volume, snapped, fine, 'cubic', opts);
}
