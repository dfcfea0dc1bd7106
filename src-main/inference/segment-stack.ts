// Tiled, batched segmentation of a stack of any depth with bounded memory:
// slices come one at a time from getSlice(z), results leave one slice at a
// time through writeSlice(z, ...), in increasing z. Only the window of input
// slices the next batch needs and the slices still being blended are held.
// Models with several input stacks (card input.channels, e.g. late fusion of
// 1, 2 and 4 kV) get, per z, one slice of each stack from getSlice (an array)
// or from segmentStacks' getSlices; each stack's window is built like the
// single-stack one and the windows are concatenated in card order.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { SliceArray } from '../../src-shared/dtype';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import type { Shape3 } from '../../src-shared/volume';
import { describeInputStack, inputStacks, sliceOverlap, tileOverlap, type ModelCard, type Normalisation } from './model-card';
import { normaliseSlice } from './normalise';
import { ort } from './session';
import { blendWeights1d, reflectIndex, tileOrigins } from './tiling';

/**
 * Slice z of the stack. For a model with several input stacks (card input.channels),
 * an array with slice z of each stack, in the card's channel order.
 */
export type GetSlice = (z: number) => Promise<SliceArray | SliceArray[]> | SliceArray | SliceArray[];
/** Slice z of one stack. */
export type GetStackSlice = (z: number) => Promise<SliceArray> | SliceArray;
/**
 * Receives slice z once it is complete. labels: ny * nx (1 channel: 1 where
 * probability >= threshold, else 0; several channels: index of the most probable
 * channel). prob (when requested): 1 channel: ny * nx probabilities; C channels:
 * C * ny * nx, channel-major. The arrays are the caller's to keep.
 */
export type WriteSlice = (z: number, labels: Uint8Array, prob?: Float32Array) => void | Promise<void>;

export interface SegmentOptions {
  /** Tiles per model run (default 4). Larger batches are faster on GPUs and use more memory. */
  batchSize?: number;
  /** Pass probabilities to writeSlice (default true). */
  probabilities?: boolean;
  /** Override the card's tile size (only for models with dynamic height/width). */
  tile?: number;
  /** Override the card's tile overlap in pixels. */
  overlap?: number;
  /** Override the card's 3D patch overlap in slices. */
  overlapSlices?: number;
  /** Override the card's normalisation (e.g. a stack-wide 'minmax' computed by the caller). */
  normalisation?: Normalisation;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface SegmentStats {
  slicesWritten: number;
  /** Calls of getSlice (one per slice: each slice is read once). */
  getSliceCalls: number;
  /** Most input slice positions z held at once (each holds one slice per input stack). */
  maxSlicesHeld: number;
  /** Most output slices being blended at once. */
  maxSlicesInFlight: number;
  tilesPerSlice: number;
  modelRuns: number;
}

interface Accumulator {
  sum: Float64Array; // channels * ny * nx
  weight: Float64Array; // ny * nx
  tilesLeft: number;
}

/**
 * Labels of one slice from its probabilities (channel-major, C * P values): 1 channel:
 * 1 where probability >= threshold, else 0; several: the index of the most probable channel.
 */
export function labelsFromProbabilities(prob: Float32Array, channels: number, threshold: number): Uint8Array {
  const P = prob.length / channels;
  const labels = new Uint8Array(P);
  if (channels === 1) {
    for (let p = 0; p < P; p++) labels[p] = prob[p] >= threshold ? 1 : 0;
  } else {
    for (let p = 0; p < P; p++) {
      let best = 0;
      for (let c = 1; c < channels; c++) if (prob[c * P + p] > prob[best * P + p]) best = c;
      labels[p] = best;
    }
  }
  return labels;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Checks the model's declared input against what the card says, where the model fixes a dimension. */
function checkModelInput(session: InferenceSession, card: ModelCard, tile: number): void {
  const meta = (session as { inputMetadata?: readonly { isTensor: boolean; shape?: readonly (number | string)[] }[] }).inputMetadata?.[0];
  if (!meta?.isTensor || !meta.shape) return;
  const is3d = card.kind === 'segmentation-3d';
  const K = inputStacks(card);
  const expected = is3d ? [undefined, 1, card.input.slices, tile, tile] : [undefined, K * card.input.slices, tile, tile];
  const names = is3d ? ['batch', 'channels', 'depth', 'height', 'width'] : ['batch', K > 1 ? `channels (${K} stacks x ${card.input.slices} slices)` : 'channels (slices)', 'height', 'width'];
  if (meta.shape.length !== expected.length) {
    throw new AppError('invalid_input', `The model takes a ${meta.shape.length}D input but a ${card.kind} card means [${names.join(', ')}]: fix the card's kind or re-export the model.`);
  }
  meta.shape.forEach((d, i) => {
    const e = expected[i];
    if (typeof d === 'number' && e !== undefined && d !== e) {
      throw new AppError('invalid_input', `The model's input ${names[i]} is fixed at ${d} but the card (or options) give ${e}: make the card's input match the model.`);
    }
  });
}

/**
 * Segments a stack of shape [nz, ny, nx] tile by tile. Throws AppError
 * 'cancelled' between batches when `signal` aborts; slices already passed to
 * writeSlice stay written (the caller wraps the run in a transaction).
 */
export async function segmentStack(
  model: { session: InferenceSession; card: ModelCard },
  shape: Shape3,
  getSlice: GetSlice,
  writeSlice: WriteSlice,
  opts: SegmentOptions = {},
): Promise<SegmentStats> {
  const { session, card } = model;
  const [nz, ny, nx] = shape;
  if (card.kind === 'inpainting') throw new AppError('invalid_input', `${card.name} is an inpainting model: use it for gap filling, not segmentation.`);
  for (const [name, n] of [['slices', nz], ['rows', ny], ['columns', nx]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new AppError('invalid_input', `The stack's number of ${name} must be a positive integer, got ${n}.`);
  }
  const batchSize = opts.batchSize ?? 4;
  const tile = opts.tile ?? card.input.tile;
  const overlap = opts.overlap ?? tileOverlap(card);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new AppError('invalid_input', `Batch size must be a positive integer, got ${batchSize}.`);
  if (!Number.isInteger(tile) || tile < 1) throw new AppError('invalid_input', `Tile size must be a positive integer, got ${tile}.`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= tile) throw new AppError('invalid_input', `Tile overlap must be 0 to ${tile - 1} px, got ${overlap}.`);
  checkModelInput(session, card, tile);

  const is3d = card.kind === 'segmentation-3d';
  const S = card.input.slices;
  const K = inputStacks(card);
  if (is3d && K > 1) throw new AppError('invalid_input', `${card.name}: several input stacks are supported for 2D / 2.5D models only.`);
  const C = card.output.channels;
  const normalisation = opts.normalisation ?? card.input.normalisation;
  const wantProb = opts.probabilities ?? true;
  const P = ny * nx;
  const TT = tile * tile;
  const ys = tileOrigins(ny, tile, overlap);
  const xs = tileOrigins(nx, tile, overlap);
  const tiles = ys.flatMap((y0) => xs.map((x0) => [y0, x0] as const));
  const wxy = blendWeights1d(tile, overlap);
  // Input column index of every tile column, with reflection past the edge.
  const colIndex = new Map(xs.map((x0) => [x0, Int32Array.from({ length: tile }, (_, j) => reflectIndex(x0 + j, nx))]));

  const stats: SegmentStats = { slicesWritten: 0, getSliceCalls: 0, maxSlicesHeld: 0, maxSlicesInFlight: 0, tilesPerSlice: tiles.length, modelRuns: 0 };
  const cache = new Map<number, Float32Array[]>(); // z -> one normalised slice per input stack
  const acc = new Map<number, Accumulator>();
  const report = progressTracker(opts.onProgress);
  const { Tensor } = ort();
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];

  const ensureSlices = async (needed: Iterable<number>, keepFrom: number): Promise<void> => {
    for (const z of [...cache.keys()]) if (z < keepFrom) cache.delete(z);
    for (const z of [...new Set(needed)].sort((a, b) => a - b)) {
      if (cache.has(z)) continue;
      throwIfAborted(opts.signal);
      stats.getSliceCalls++;
      const got = await getSlice(z);
      const raws: SliceArray[] = Array.isArray(got) ? got : [got];
      if (raws.length !== K) {
        throw new AppError(
          'invalid_input',
          K > 1
            ? `${card.name} reads ${K} stacks (${Array.from({ length: K }, (_, c) => describeInputStack(card, c)).join(', ')}) but slice ${z} came from ${raws.length}: give one volume per input, in that order.`
            : `${card.name} reads one stack but slice ${z} came from ${raws.length}.`,
        );
      }
      cache.set(
        z,
        raws.map((raw, c) => {
          if (!raw || raw.length !== P) {
            const which = K > 1 ? ` of input ${describeInputStack(card, c)}` : '';
            throw new AppError('size_mismatch', `Slice ${z}${which} has ${raw?.length ?? 0} pixels, expected ${ny} x ${nx} = ${P}: all slices of the stack${K > 1 ? 's' : ''} must be the same size.`);
          }
          return normaliseSlice(raw, normalisation);
        }),
      );
      stats.maxSlicesHeld = Math.max(stats.maxSlicesHeld, cache.size);
    }
  };

  /** Copies a tile of slice `src` into `dst` at `off` (tile x tile, reflection past the edges). */
  const copyTile = (src: Float32Array, y0: number, x0: number, dst: Float32Array, off: number): void => {
    const cols = colIndex.get(x0)!;
    const inside = x0 + tile <= nx;
    for (let i = 0; i < tile; i++) {
      const row = reflectIndex(y0 + i, ny) * nx;
      const o = off + i * tile;
      if (inside) dst.set(src.subarray(row + x0, row + x0 + tile), o);
      else for (let j = 0; j < tile; j++) dst[o + j] = src[row + cols[j]];
    }
  };

  const run = async (input: Float32Array, dims: number[]): Promise<Float32Array> => {
    throwIfAborted(opts.signal);
    let out: InferenceSession.ReturnType;
    try {
      out = await session.run({ [inputName]: new Tensor('float32', input, dims) });
    } catch (e) {
      const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      throw new AppError('invalid_input', `The model failed on an input of shape [${dims.join(', ')}]: ${msg}. Check the model card's input (slices, tile) against the model.`);
    }
    stats.modelRuns++;
    const t: Tensor = out[outputName];
    const want = is3d ? [dims[0], C, S, tile, tile] : [dims[0], C, tile, tile];
    if (t.type !== 'float32' || t.dims.length !== want.length || t.dims.some((d, i) => d !== want[i])) {
      throw new AppError('invalid_input', `The model returned ${t.type} [${t.dims.join(', ')}], expected float32 [${want.join(', ')}]: fix the card's output channels or tile.`);
    }
    const data = t.data as Float32Array;
    applyActivation(data, C, TT);
    return data;
  };

  const applyActivation = (data: Float32Array, channels: number, n: number): void => {
    const act = card.output.activation;
    if (act === 'sigmoid') for (let i = 0; i < data.length; i++) data[i] = sigmoid(data[i]);
    if (act !== 'softmax') return;
    // Output layout [batch, C, (D,) T, T]: for 3D the channel stride is D * T * T.
    const stride = is3d ? S * n : n;
    const groups = data.length / (channels * stride);
    for (let g = 0; g < groups; g++) {
      const base = g * channels * stride;
      for (let p = 0; p < stride; p++) {
        let m = -Infinity;
        for (let c = 0; c < channels; c++) m = Math.max(m, data[base + c * stride + p]);
        let s = 0;
        for (let c = 0; c < channels; c++) s += data[base + c * stride + p] = Math.exp(data[base + c * stride + p] - m);
        for (let c = 0; c < channels; c++) data[base + c * stride + p] /= s;
      }
    }
  };

  const accumulator = (z: number, tilesLeft: number): Accumulator => {
    let a = acc.get(z);
    if (!a) {
      a = { sum: new Float64Array(C * P), weight: new Float64Array(P), tilesLeft };
      acc.set(z, a);
      stats.maxSlicesInFlight = Math.max(stats.maxSlicesInFlight, acc.size);
    }
    return a;
  };

  /** Adds one output tile (channel stride cs, starting at off) into slice z's sums with weight wz * w(y) * w(x). */
  const addTile = (a: Accumulator, out: Float32Array, off: number, cs: number, y0: number, x0: number, wz: number): void => {
    const h = Math.min(tile, ny - y0);
    const w = Math.min(tile, nx - x0);
    for (let i = 0; i < h; i++) {
      const wy = wz * wxy[i];
      const rowOut = (y0 + i) * nx + x0;
      for (let j = 0; j < w; j++) {
        const wt = wy * wxy[j];
        a.weight[rowOut + j] += wt;
        for (let c = 0; c < C; c++) a.sum[c * P + rowOut + j] += wt * out[off + c * cs + i * tile + j];
      }
    }
  };

  const finish = async (z: number): Promise<void> => {
    const a = acc.get(z)!;
    acc.delete(z);
    const prob = new Float32Array(C * P);
    for (let c = 0; c < C; c++) for (let p = 0; p < P; p++) prob[c * P + p] = a.sum[c * P + p] / a.weight[p];
    const labels = labelsFromProbabilities(prob, C, card.output.threshold);
    await writeSlice(z, labels, wantProb ? prob : undefined);
    stats.slicesWritten++;
  };

  if (!is3d) {
    // 2D / 2.5D: jobs (z, tile) in z order; a batch may span several slices.
    const w = (S - 1) / 2;
    const total = nz * tiles.length;
    for (let start = 0; start < total; start += batchSize) {
      throwIfAborted(opts.signal);
      const end = Math.min(total, start + batchSize);
      const zFirst = Math.floor(start / tiles.length);
      const zLast = Math.floor((end - 1) / tiles.length);
      const needed: number[] = [];
      for (let z = zFirst; z <= zLast; z++) for (let k = -w; k <= w; k++) needed.push(reflectIndex(z + k, nz));
      // Later slices never need a slice below zFirst - w (reflection only adds higher ones).
      await ensureSlices(needed, Math.max(0, zFirst - w));
      const B = end - start;
      const KS = K * S;
      const input = new Float32Array(B * KS * TT);
      for (let b = 0; b < B; b++) {
        const job = start + b;
        const z = Math.floor(job / tiles.length);
        const [y0, x0] = tiles[job % tiles.length];
        // channel s * S + k = slice z - w + k of input stack s
        for (let k = 0; k < S; k++) {
          const slices = cache.get(reflectIndex(z + k - w, nz))!;
          for (let st = 0; st < K; st++) copyTile(slices[st], y0, x0, input, (b * KS + st * S + k) * TT);
        }
      }
      const out = await run(input, [B, KS, tile, tile]);
      for (let b = 0; b < B; b++) {
        const job = start + b;
        const z = Math.floor(job / tiles.length);
        const [y0, x0] = tiles[job % tiles.length];
        const a = accumulator(z, tiles.length);
        addTile(a, out, b * C * TT, TT, y0, x0, 1);
        if (--a.tilesLeft === 0) await finish(z);
      }
      report(end / total, `Segmenting slice ${zLast + 1} of ${nz}`);
    }
  } else {
    // 3D: patches of S slices with overlap in z, tiles in x/y; a batch stays within one patch.
    const oz = Math.min(opts.overlapSlices ?? sliceOverlap(card), S - 1);
    const zs = tileOrigins(nz, S, oz);
    const wz = blendWeights1d(S, oz);
    const total = zs.length * tiles.length;
    let done = 0;
    for (let p = 0; p < zs.length; p++) {
      const z0 = zs[p];
      const next = zs[p + 1] ?? nz;
      await ensureSlices(Array.from({ length: S }, (_, k) => reflectIndex(z0 + k, nz)), z0);
      // Tiles a slice receives: one per xy tile from each patch that covers it.
      const coverCount = (z: number): number => zs.filter((o) => z >= o && z < o + S).length * tiles.length;
      for (let start = 0; start < tiles.length; start += batchSize) {
        throwIfAborted(opts.signal);
        const B = Math.min(batchSize, tiles.length - start);
        const input = new Float32Array(B * S * TT);
        for (let b = 0; b < B; b++) {
          const [y0, x0] = tiles[start + b];
          for (let k = 0; k < S; k++) copyTile(cache.get(reflectIndex(z0 + k, nz))![0], y0, x0, input, (b * S + k) * TT);
        }
        const out = await run(input, [B, 1, S, tile, tile]);
        for (let b = 0; b < B; b++) {
          const [y0, x0] = tiles[start + b];
          for (let k = 0; k < S && z0 + k < nz; k++) {
            const z = z0 + k;
            const a = accumulator(z, coverCount(z));
            addTile(a, out, b * C * S * TT + k * TT, S * TT, y0, x0, wz[k]);
            a.tilesLeft--;
          }
        }
        done += B;
        report(done / total, `Segmenting z patch ${p + 1} of ${zs.length} (slices ${z0 + 1}-${Math.min(nz, z0 + S)} of ${nz})`);
      }
      // Slices before the next patch get nothing more.
      for (let z = z0; z < next; z++) {
        if (acc.get(z)?.tilesLeft !== 0) throw new AppError('internal', `Slice ${z} was not fully covered by the tiling. Please report it.`);
        await finish(z);
      }
    }
  }
  report(1, `Segmented ${nz} slices`);
  return stats;
}

/**
 * segmentStack for a model with several input stacks (card input.channels): getSlices[c]
 * reads stack c (card order); all stacks have `shape`. Slice z of every stack is read once.
 */
export async function segmentStacks(
  model: { session: InferenceSession; card: ModelCard },
  shape: Shape3,
  getSlices: GetStackSlice[],
  writeSlice: WriteSlice,
  opts: SegmentOptions = {},
): Promise<SegmentStats> {
  const K = inputStacks(model.card);
  if (getSlices.length !== K) {
    const names = Array.from({ length: K }, (_, c) => describeInputStack(model.card, c)).join(', ');
    throw new AppError('invalid_input', `${model.card.name} reads ${K} stack(s) (${names}), got ${getSlices.length}: give one volume per input, in that order.`);
  }
  return segmentStack(model, shape, (z) => Promise.all(getSlices.map((g) => g(z))), writeSlice, opts);
}
