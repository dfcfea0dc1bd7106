// The reconstructions compared in [Sardhara2023] (Table 1, Tables 2-3), all onto
// the fine grid (the in-plane pixel size, 2.5 nm there):
//
// DNN ("direct NN interpolation"): no repositioning. The paper: "the slices ... were
//   all assumed to exhibit an exact spacing of 10 nm ... interpolating values in z
//   using the nearest-neighbour method". Ours: slice i is placed at i * target
//   spacing whatever its measured z, i.e. at fine index round(i * target / fine),
//   and the gaps are filled by 'nearest' (ties to the shallower slice).
// SRCS ("standard repositioned cubic spline"): "slices were repositioned on a grid
//   with a spacing of 10 nm. Subsequently, cubic spline interpolation with a
//   resolution of 2.5 nm in z". Ours: standardGridPlacement(measured z, target
//   spacing): each slice at round(z / target) on the coarse grid, a later slice
//   overwriting an earlier one on the same index (the loss the papers' repositioning
//   avoids; counted in `lost`); each kept slice then stands at coarse index * target
//   spacing, which goes to fine index round(that / fine) (exact when target / fine is
//   an integer, as 10 / 2.5), and the gaps are filled by a not-a-knot cubic spline
//   through those planes; binary data as in practice: through the 0/1 labels,
//   threshold 0.5, holes < 20 px filled.
// RNN / RCS: repositionSlices(measured z, fine spacing), then 'nearest' / 'cubic'
//   (binary cubic: through the signed distance by default, see gap-fill.ts).
// RML: the same repositioning, then ML inpainting of the gaps (fill-ml.ts).
//
// Why SRCS no longer uses repositionSlices on the coarse grid (as it did first):
// with a mean thickness of 10.16 nm on a 10 nm grid, a no-loss placement is a queue
// that is almost full, so collisions pushed slices tens of nm deep (MP 14.7 % vs the
// paper's 5.29 %); the overwrite rule gives 6-7 % (docs/benchmarks.md).
import { AppError } from '../../src-shared/errors';
import { maxOf } from '../../src-shared/min-max';
import type { ProgressCallback } from '../../src-shared/progress';
import type { Volume } from '../../src-shared/volume';
import { fillGapsMl, type MlFillOptions } from './fill-ml';
import { type BinaryInterpolant, fillGaps, type GapFillMethod, type GapFillResult } from './gap-fill';
import { standardGridPlacement } from './reposition-standard';
import { defaultGridSpacingNm, repositionSlices, type SlicePlacement } from './reposition-slices';
import { buildRepositionedVolume } from './reposition-volume';

export interface ReconstructionOptions {
  /** Binary linear/cubic: interpolate the signed distance ('distance', default) or the 0/1 labels. */
  binaryInterpolant?: BinaryInterpolant;
  /** Fine grid spacing along z, nm; default the in-plane pixel size. */
  fineSpacingNm?: number;
  binary?: boolean;
  /** Names the volume in messages and in the labels note of binary fills. */
  name?: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** The measured planes of `volume` are the input's own slice arrays (not copies). */
export interface Reconstruction extends GapFillResult {
  /** Where the measured slices were put on the fine grid. */
  placement: SlicePlacement;
  /** SRCS only: slices overwritten by a later slice on the same coarse grid index. */
  lostSlices?: number[];
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
  // The repositioned volume is ours alone: share the measured planes and fill in place
  // (peak memory: the input plus the gap planes, not three copies).
  const filled = fillGaps(buildRepositionedVolume(volume, placement, { shareMeasured: true }), {
    method,
    inPlace: true,
    binary: opts.binary,
    binaryInterpolant: opts.binaryInterpolant,
    name: opts.name,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  return { ...filled, placement };
}

/** RNN (method 'nearest') or RCS ('cubic'): our repositioning on the fine grid, then gap filling. */
export function repositionAndFill(volume: Volume, method: GapFillMethod, opts: ReconstructionOptions = {}): Reconstruction {
  return reconstruct(volume, volume.zPositionsNm, fineSpacing(volume, opts), method, opts);
}

/**
 * RML: our repositioning on the fine grid, then ML inpainting of the gaps (fill-ml.ts) with an
 * inpainting model. Binary label volumes only.
 */
export async function repositionAndFillMl(
  volume: Volume,
  opts: Omit<MlFillOptions, 'inPlace'> & Pick<ReconstructionOptions, 'fineSpacingNm'>,
): Promise<Reconstruction & { passDisagreement: number; gapVoxels: number }> {
  const placement = repositionSlices(volume.zPositionsNm, fineSpacing(volume, opts), { signal: opts.signal });
  const filled = await fillGapsMl(buildRepositionedVolume(volume, placement, { shareMeasured: true }), { ...opts, inPlace: true });
  return { ...filled, placement };
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
  const { kept, lost, placement } = standardGridPlacement(volume.zPositionsNm, targetSpacingNm);
  const snapped = placement.gridIndex.map((g) => Math.round((g * targetSpacingNm) / fine) * fine);
  const keptVolume: Volume = { ...volume, shape: [kept.length, volume.shape[1], volume.shape[2]], slices: kept.map((i) => volume.slices[i]), zPositionsNm: kept.map((i) => volume.zPositionsNm[i]) };
  const r = reconstruct(keptVolume, snapped, fine, 'cubic', { binaryInterpolant: 'labels', ...opts });
  const shift = kept.map((i, j) => Math.abs(snapped[j] - volume.zPositionsNm[i]));
  return {
    ...r,
    placement: { ...r.placement, maxShiftNm: maxOf(shift), meanShiftNm: shift.reduce((a, b) => a + b, 0) / shift.length },
    lostSlices: lost,
  };
}
