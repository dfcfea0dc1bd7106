// The in-plane scale decision for a whole stack: a few crops sampled as the
// out-of-distribution check samples them (sampleCrops: blocks spread over the depth,
// crops along the diagonal), here 3 blocks of 2 slices with crops of up to 384 px (room
// for the crops to keep their size after shrinking), then decideInPlaneScale.
// Pure: slices come through getSlice.
import type { Shape3 } from '../../../src-shared/volume';
import { sampleCrops, type GetGreySlice } from '../ood/flip-consistency';
import { decideInPlaneScale, type InPlaneScale } from './in-plane-scale';

export async function decideStackScale(
  getSlice: GetGreySlice,
  shape: Shape3,
  trainedChordPx: readonly [number, number],
  opts: { tolerance?: number; signal?: AbortSignal } = {},
): Promise<InPlaneScale> {
  const { rows, columns, blocks } = await sampleCrops(getSlice, shape, { blocks: 3, blockSlices: 2, maxSide: 384, signal: opts.signal });
  return decideInPlaneScale({ rows, columns, slices: blocks.flatMap((b) => b.slices) }, trainedChordPx, { tolerance: opts.tolerance });
}
