// A model run at another in-plane scale (in-plane-scale.ts): the inference engine gets
// every slice resampled in x and y by the factor as it reads it, and every slice it
// returns has its probabilities resampled back to the stack's own rows and columns and
// thresholded there (the card's rule), so the labels have exactly the input's shape.
// Streams as the engine does: a slice is resampled when the engine asks for it and
// resampled back when the engine hands it over; z is never touched.
import type { InferenceSession } from 'onnxruntime-node';
import type { SliceArray } from '../../../src-shared/dtype';
import { AppError } from '../../../src-shared/errors';
import type { Shape3 } from '../../../src-shared/volume';
import type { ModelCard } from '../../inference/model-card';
import { labelsFromProbabilities, segmentStack, type GetSlice, type SegmentOptions, type SegmentStats, type WriteSlice } from '../../inference/segment-stack';
import { resampleChannels, resampleSlice } from './resample';
import { scaledSize } from './in-plane-scale';

export interface RescaledStats extends SegmentStats {
  /** The stack's shape as the model saw it. */
  modelShape: Shape3;
}

/**
 * segmentStack with the slices resampled in-plane by `factor` (1: exactly segmentStack).
 * writeSlice gets ny x nx labels (and, when opts.probabilities is not false, the
 * probabilities at ny x nx).
 */
export async function segmentStackRescaled(
  model: { session: InferenceSession; card: ModelCard },
  shape: Shape3,
  getSlice: GetSlice,
  writeSlice: WriteSlice,
  factor: number,
  opts: SegmentOptions = {},
): Promise<RescaledStats> {
  const [nz, ny, nx] = shape;
  const [my, mx] = scaledSize(ny, nx, factor);
  if (my === ny && mx === nx) return { ...(await segmentStack(model, shape, getSlice, writeSlice, opts)), modelShape: shape };
  const C = model.card.output.channels;
  const threshold = model.card.output.threshold;
  const wantProb = opts.probabilities ?? true;
  const shrink = (raw: SliceArray): Float32Array => {
    if (!raw || raw.length !== ny * nx) {
      throw new AppError('size_mismatch', `A slice has ${raw?.length ?? 0} pixels, expected ${ny} x ${nx} = ${ny * nx}: all slices of the stack must be the same size.`);
    }
    return resampleSlice(raw, ny, nx, my, mx);
  };
  const stats = await segmentStack(
    model,
    [nz, my, mx],
    async (z) => {
      const got = await getSlice(z);
      return Array.isArray(got) ? got.map(shrink) : shrink(got);
    },
    async (z, _labels, prob) => {
      const back = resampleChannels(prob as Float32Array, C, my, mx, ny, nx);
      await writeSlice(z, labelsFromProbabilities(back, C, threshold), wantProb ? back : undefined);
    },
    { ...opts, probabilities: true },
  );
  return { ...stats, modelShape: [nz, my, mx] };
}
