// Runs a loaded model on a small in-memory block of slices (the flip check of the
// out-of-distribution score): the inference engine's own tiling, normalisation and
// window reflection, results kept in memory.
import type { InferenceSession } from 'onnxruntime-node';
import type { ModelCard } from '../inference/model-card';
import { segmentStack } from '../inference/segment-stack';
import type { SegmentBlock } from './ood/flip-consistency';

export function blockSegmenter(model: { session: InferenceSession; card: ModelCard }, opts: { tile?: number; batchSize?: number; signal?: AbortSignal } = {}): SegmentBlock {
  return async (block, withProbabilities) => {
    const labels: Uint8Array[] = new Array(block.shape[0]);
    const prob: Float32Array[] = new Array(block.shape[0]);
    await segmentStack(
      model,
      block.shape,
      (z) => block.slices[z],
      (z, l, p) => {
        labels[z] = l;
        if (p) prob[z] = p;
      },
      { tile: opts.tile, batchSize: opts.batchSize, probabilities: withProbabilities, signal: opts.signal },
    );
    return withProbabilities ? { labels, prob } : { labels };
  };
}
