// A grey channel as the feature code reads it: the volume's facts plus a way
// to fetch slice k on demand, so that callers can stream slices from storage
// instead of holding whole stacks in memory.
import { AppError } from '../../../src-shared/errors';
import type { SliceArray } from '../../../src-shared/dtype';
import { volumeInfoProblems, type Shape3, type Volume, type VolumeInfo } from '../../../src-shared/volume';

export interface FeatureChannel extends VolumeInfo {
  /** Slice k (0 <= k < nz), ny * nx values, row-major (x fastest). May be called more than once per slice. */
  getSlice(k: number): SliceArray;
}

const channelOf = new WeakMap<Volume, FeatureChannel>();

/**
 * A channel over a volume held in memory; the same object for the same volume,
 * so that a FeatureWorkspace (which keys its buffers on the channel objects)
 * keeps its smoothed slices between calls.
 */
export function channelFromVolume(volume: Volume): FeatureChannel {
  const known = channelOf.get(volume);
  if (known) return known;
  const { shape, dtype, voxelSizeNm, zPositionsNm } = volume;
  const ch: FeatureChannel = { shape, dtype, voxelSizeNm, zPositionsNm, getSlice: (k) => volume.slices[k] };
  channelOf.set(volume, ch);
  return ch;
}

/** Checks that there is at least one channel, each valid and all of one shape; returns that shape. */
export function checkChannels(channels: readonly FeatureChannel[], expectedCount?: number): Shape3 {
  if (channels.length === 0) throw new AppError('invalid_input', 'Pixel features need at least one grey channel: choose the stack to classify.');
  if (expectedCount !== undefined && channels.length !== expectedCount) {
    throw new AppError(
      'invalid_input',
      `The pixel classifier was set up for ${expectedCount} channel(s) but ${channels.length} were given: pick the same stacks (voltages, detectors) it was trained on.`,
    );
  }
  const shape = channels[0].shape;
  channels.forEach((ch, c) => {
    const problems = volumeInfoProblems(ch);
    if (problems.length > 0) throw new AppError('invalid_input', `Channel ${c} is not a valid volume (${problems.join('; ')}): reimport it.`);
    if (ch.shape[0] !== shape[0] || ch.shape[1] !== shape[1] || ch.shape[2] !== shape[2]) {
      throw new AppError(
        'size_mismatch',
        `Channel ${c} is ${ch.shape.join(' x ')} (z, y, x) but channel 0 is ${shape.join(' x ')}: register and crop the stacks to one size first.`,
      );
    }
  });
  return shape;
}

/** Slice k of a channel, checked for length. */
export function readSlice(ch: FeatureChannel, k: number, c: number): SliceArray {
  const s = ch.getSlice(k);
  const n = ch.shape[1] * ch.shape[2];
  if (!s || s.length !== n) {
    throw new AppError('invalid_input', `Slice ${k} of channel ${c} holds ${s ? s.length : 0} values but the stack is ${ch.shape[2]} x ${ch.shape[1]} px: reimport the stack.`);
  }
  return s;
}
