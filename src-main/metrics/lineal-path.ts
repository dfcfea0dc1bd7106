// Lineal path function of the solid phase along one axis, non-periodic, from run lengths:
// L_d(r) = #{segments of r steps (r + 1 consecutive voxels) along d, inside, all solid}
//          / #{segments of r steps along d inside the volume}.
// A solid run of l voxels holds max(0, l - r) such segments, so L needs only the histogram
// of run lengths: O(N) to build it, O(n) to turn it into L for every r.
import type { Shape3 } from '../../src-shared/volume';
import { type Axis, type BinaryVolume, axisLength, binarySlices, requireLagRange, voxelCount } from './binary-volume';
import { type DirectionalCurve, curveFromCounts, pairsInside } from './directional-curve';

/** histogram[l] = number of maximal solid runs of exactly l voxels along `axis` (runs end at the volume's faces). */
export function solidRunLengthHistogram(slices: Uint8Array[], shape: Shape3, axis: Axis): Float64Array {
  const [nz, ny, nx] = shape;
  const histogram = new Float64Array(axisLength(shape, axis) + 1);
  if (axis === 'x') {
    for (const s of slices) {
      for (let j = 0; j < ny; j++) {
        let run = 0;
        for (let i = j * nx, end = i + nx; i < end; i++) {
          if (s[i]) run++;
          else if (run > 0) { histogram[run]++; run = 0; }
        }
        if (run > 0) histogram[run]++;
      }
    }
  } else if (axis === 'y') {
    // One running length per column, advanced row by row: contiguous reads.
    const run = new Uint32Array(nx);
    for (const s of slices) {
      run.fill(0);
      for (let j = 0; j < ny; j++) trackRuns(s, j * nx, run, histogram);
      flushRuns(run, histogram);
    }
  } else {
    const run = new Uint32Array(ny * nx);
    for (let k = 0; k < nz; k++) trackRuns(slices[k], 0, run, histogram);
    flushRuns(run, histogram);
  }
  return histogram;
}

function trackRuns(s: Uint8Array, offset: number, run: Uint32Array, histogram: Float64Array): void {
  for (let i = 0; i < run.length; i++) {
    if (s[offset + i]) run[i]++;
    else if (run[i] > 0) { histogram[run[i]]++; run[i] = 0; }
  }
}

function flushRuns(run: Uint32Array, histogram: Float64Array): void {
  for (let i = 0; i < run.length; i++) if (run[i] > 0) histogram[run[i]]++;
}

/** counts[r] = sum_l histogram[l] * max(0, l - r) for r = 0..rMax, by suffix sums. */
export function solidSegmentCounts(histogram: Float64Array, rMax: number): Float64Array {
  const counts = new Float64Array(rMax + 1);
  let runs = 0; // sum_{l > r} h[l]
  let voxels = 0; // sum_{l > r} l h[l]
  for (let l = histogram.length - 1; l >= 0; l--) {
    // Here runs and voxels cover l' > l: that is counts[l] = voxels - l * runs.
    if (l <= rMax) counts[l] = voxels - l * runs;
    runs += histogram[l];
    voxels += l * histogram[l];
  }
  return counts;
}

/** L of the solid phase along `axis` for r = 0..rMaxVoxels steps (segments of r + 1 voxels). */
export function linealPath(volume: BinaryVolume, axis: Axis, rMaxVoxels: number): DirectionalCurve {
  const slices = binarySlices(volume);
  requireLagRange(volume.shape, axis, rMaxVoxels);
  return linealPathOfSlices(slices, volume.shape, volume.voxelSizeNm[axis], axis, rMaxVoxels);
}

/** As linealPath, on slices already checked by binarySlices and an r range already checked. */
export function linealPathOfSlices(slices: Uint8Array[], shape: Shape3, voxelSizeNm: number, axis: Axis, rMaxVoxels: number): DirectionalCurve {
  const counts = solidSegmentCounts(solidRunLengthHistogram(slices, shape, axis), rMaxVoxels);
  const n = axisLength(shape, axis);
  const totals = Array.from({ length: rMaxVoxels + 1 }, (_, r) => pairsInside(voxelCount(shape), n, r));
  return curveFromCounts(axis, counts, totals, voxelSizeNm);
}
