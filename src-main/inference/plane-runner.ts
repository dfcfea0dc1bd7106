// Runs a fully convolutional 2D model with one output channel on whole planes of
// any size (e.g. the zx / zy planes of ML inpainting): planes that fit in one tile go
// to the model as they are (no padding: the model takes any height and width); larger
// ones are cut into tiles of at most `tile` x `tile` px overlapping by `overlap` px
// and blended with the raised-cosine weights of segmentation (tiling.ts). Tiles of
// all planes are batched together. Raw outputs are returned (no activation).
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { ort } from './session';
import { blendWeights1d, tileOrigins } from './tiling';

export interface PlaneRunOptions {
  tile: number;
  overlap: number;
  /** Tiles per model run. */
  batchSize: number;
  signal?: AbortSignal;
}

interface TileJob {
  plane: number;
  y0: number;
  x0: number;
}

/**
 * planes: each float32 [channels, height, width] (channel-major); returns per plane the
 * model's output [height * width]. Throws AppError 'cancelled' between batches.
 */
export async function runPlanes(session: InferenceSession, planes: readonly Float32Array[], channels: number, height: number, width: number, opts: PlaneRunOptions): Promise<Float32Array[]> {
  const th = Math.min(opts.tile, height);
  const tw = Math.min(opts.tile, width);
  const ys = tileOrigins(height, th, opts.overlap);
  const xs = tileOrigins(width, tw, opts.overlap);
  const wy = blendWeights1d(th, ys.length > 1 ? opts.overlap : 0);
  const wx = blendWeights1d(tw, xs.length > 1 ? opts.overlap : 0);
  const single = ys.length === 1 && xs.length === 1;
  const out = planes.map(() => new Float32Array(height * width));
  const weight = single ? undefined : new Float32Array(height * width);
  if (weight) for (const y0 of ys) for (const x0 of xs) for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) weight[(y0 + y) * width + x0 + x] += wy[y] * wx[x];
  const jobs: TileJob[] = [];
  planes.forEach((_, plane) => ys.forEach((y0) => xs.forEach((x0) => jobs.push({ plane, y0, x0 }))));
  const { Tensor } = ort();
  const area = th * tw;
  for (let j0 = 0; j0 < jobs.length; j0 += opts.batchSize) {
    throwIfAborted(opts.signal);
    const batch = jobs.slice(j0, j0 + opts.batchSize);
    const input = new Float32Array(batch.length * channels * area);
    batch.forEach((t, b) => {
      const src = planes[t.plane];
      for (let c = 0; c < channels; c++) {
        for (let y = 0; y < th; y++) {
          const from = c * height * width + (t.y0 + y) * width + t.x0;
          input.set(src.subarray(from, from + tw), ((b * channels + c) * th + y) * tw);
        }
      }
    });
    let result: InferenceSession.ReturnType;
    try {
      result = await session.run({ [session.inputNames[0]]: new Tensor('float32', input, [batch.length, channels, th, tw]) as Tensor });
    } catch (e) {
      throw new AppError('invalid_input', `The model did not accept planes of ${channels} x ${th} x ${tw}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}. Check that it is an inpainting model with ${channels} input channels.`);
    }
    const t = result[session.outputNames[0]];
    const data = t.data as Float32Array;
    if (t.dims.length !== 4 || t.dims[1] !== 1 || t.dims[2] !== th || t.dims[3] !== tw) {
      throw new AppError('invalid_input', `The model returned shape [${t.dims.join(', ')}], expected [${batch.length}, 1, ${th}, ${tw}]: it must keep the plane size.`);
    }
    batch.forEach((job, b) => {
      const o = out[job.plane];
      for (let y = 0; y < th; y++) {
        const row = (job.y0 + y) * width + job.x0;
        const src = b * area + y * tw;
        if (single) o.set(data.subarray(src, src + tw), row);
        else for (let x = 0; x < tw; x++) o[row + x] += data[src + x] * wy[y] * wx[x];
      }
    });
    for (const k of Object.keys(result)) result[k].dispose?.();
  }
  if (weight) for (const o of out) for (let i = 0; i < o.length; i++) o[i] /= weight[i];
  return out;
}
