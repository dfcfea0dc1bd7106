// The repositioned volume: gridLength planes on the z grid, each measured slice
// copied (bit-exact) to its grid index, every other plane zero and marked unknown.
import { DTYPES } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';
import { sliceLength, uniformZPositions, type Volume } from '../../src-shared/volume';
import type { SlicePlacement } from './reposition-slices';

export interface RepositionedVolume {
  /** gridLength planes; voxelSizeNm.z and the z positions are those of the grid. */
  volume: Volume;
  /** known[k] = 1 where plane k holds a measured slice, 0 where it is a gap. */
  known: Uint8Array;
  /** For every plane the measured slice it holds, or -1 for a gap. */
  sourceSlice: Int32Array;
}

/**
 * `shareMeasured`: the measured planes are the input's own arrays, not copies (saves the
 * input's size in memory; gap filling never writes measured planes). Default: copies.
 */
export function buildRepositionedVolume(measured: Volume, placement: SlicePlacement, opts: { shareMeasured?: boolean } = {}): RepositionedVolume {
  const nz = measured.shape[0];
  if (placement.gridIndex.length !== nz || measured.slices.length !== nz) {
    throw new AppError('size_mismatch', `the placement has ${placement.gridIndex.length} slices but the stack holds ${measured.slices.length}: reposition this stack's own z positions`);
  }
  const n = sliceLength(measured);
  const len = placement.gridLength;
  const known = new Uint8Array(len);
  const sourceSlice = new Int32Array(len).fill(-1);
  const slices = new Array(len);
  placement.gridIndex.forEach((k, i) => {
    if (!(Number.isInteger(k) && k >= 0 && k < len) || known[k]) {
      throw new AppError('invalid_input', `slice ${i} has grid index ${k}, outside 0..${len - 1} or shared with another slice: use repositionSlices to place the slices`);
    }
    if (measured.slices[i].length !== n) throw new AppError('size_mismatch', `slice ${i} holds ${measured.slices[i].length} pixels, expected ${n}`);
    known[k] = 1;
    sourceSlice[k] = i;
    slices[k] = opts.shareMeasured ? measured.slices[i] : measured.slices[i].slice();
  });
  for (let k = 0; k < len; k++) if (!known[k]) slices[k] = DTYPES[measured.dtype].create(n);
  const spacing = placement.gridSpacingNm;
  return {
    volume: {
      shape: [len, measured.shape[1], measured.shape[2]],
      dtype: measured.dtype,
      voxelSizeNm: { ...measured.voxelSizeNm, z: spacing },
      zPositionsNm: uniformZPositions(len, spacing),
      slices,
    },
    known,
    sourceSlice,
  };
}
