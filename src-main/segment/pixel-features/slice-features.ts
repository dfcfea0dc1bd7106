// Per-pixel features of slice z: every pixel's features are contiguous
// (pixel-major), so that a tree reads one pixel's row at
// data[p * nFeatures .. (p + 1) * nFeatures). Neighbouring slices z + o are
// mirrored at the stack ends as scipy's mode='reflect' does (z = -1 reads
// slice 0, z = nz reads slice nz - 1).
import { AppError, throwIfAborted } from '../../../src-shared/errors';
import { checkChannels, type FeatureChannel } from './channel';
import { type ChannelSlots, validateFeatureSpec, type PixelFeatureSpec } from './feature-spec';
import { reflectIndex } from './gaussian';
import { checkNormalisation, type GreyNormalisation } from './normalise';
import { FeatureWorkspace } from './workspace';

export interface SliceFeatureOptions {
  /** Only rows y0 <= y < y1 of the slice (default all): a band, to bound memory on large slices. */
  rows?: { y0: number; y1: number };
  /** Buffers kept between calls; pass the same one while going through a stack so that work is shared between slices. */
  workspace?: FeatureWorkspace;
  /** Where to write (at least (y1 - y0) * nx * nFeatures values); a new array otherwise. */
  out?: Float32Array;
  signal?: AbortSignal;
}

export interface SliceFeatures {
  nFeatures: number;
  names: string[];
  /** Pixel-major: pixel (y, x) of the band at data[((y - y0) * nx + x) * nFeatures + f]. */
  data: Float32Array;
  z: number;
  y0: number;
  y1: number;
  nx: number;
}

export interface PixelFeatureRows {
  nFeatures: number;
  names: string[];
  /** Row i (features of pixels[i]) at data[i * nFeatures .. (i + 1) * nFeatures). */
  data: Float32Array;
}

/** Validates everything once and returns the prepared workspace and the stack shape. */
function prepare(channels: readonly FeatureChannel[], z: number, spec: PixelFeatureSpec, norm: GreyNormalisation, ws: FeatureWorkspace | undefined) {
  validateFeatureSpec(spec);
  const shape = checkChannels(channels, spec.channelCount);
  checkNormalisation(norm, channels.length);
  if (!Number.isInteger(z) || z < 0 || z >= shape[0]) throw new AppError('invalid_input', `Slice ${z} is outside the stack (slices 0 to ${shape[0] - 1}): pick a slice in range.`);
  const workspace = ws ?? new FeatureWorkspace();
  workspace.prepare(channels, spec, norm);
  return { workspace, shape };
}

/** The smoothed neighbouring slices (and slice z, for differences) that slice z needs, per channel and neighbour scale. */
function neighbourImages(ws: FeatureWorkspace, spec: PixelFeatureSpec, nChannels: number, z: number, nz: number) {
  const { offsets, scalesPx, mode } = spec.neighbours;
  if (offsets.length === 0) return [];
  return Array.from({ length: nChannels }, (_, c) =>
    scalesPx.map((_s, si) => ({
      centre: mode === 'difference' ? ws.neighbourGaussian(c, z, si) : null,
      others: offsets.map((o) => ws.neighbourGaussian(c, reflectIndex(z + o, nz), si)),
    })),
  );
}

type NeighbourImages = ReturnType<typeof neighbourImages>;

function writeNeighbourRow(imgs: NeighbourImages, slots: ChannelSlots[], y: number, nx: number, rowFeatures: Float32Array): void {
  const o = y * nx;
  imgs.forEach((perScale, c) =>
    perScale.forEach(({ centre, others }, si) =>
      others.forEach((g, oi) => {
        const s = slots[c].neighbour[si][oi] * nx;
        if (centre) for (let x = 0; x < nx; x++) rowFeatures[s + x] = g[o + x] - centre[o + x];
        else rowFeatures.set(g.subarray(o, o + nx), s);
      }),
    ),
  );
}

/** All features of row y, feature-major: feature f of pixel x at rowFeatures[f * nx + x]. */
function computeRow(ws: FeatureWorkspace, z: number, y: number, nb: NeighbourImages, rowFeatures: Float32Array): void {
  const images = ws.sliceImages(z);
  const slots = ws.layout.channels;
  for (let c = 0; c < images.length; c++) ws.engine.computeRow(images[c], y, slots[c], rowFeatures);
  writeNeighbourRow(nb, slots, y, ws.engine.nx, rowFeatures);
}

/** Feature-major row block -> pixel-major rows: out[base + x * nF + f] = rowFeatures[f * nx + x]. */
function interleave(rowFeatures: Float32Array, nx: number, nF: number, out: Float32Array, base: number): void {
  for (let x = 0; x < nx; x++) {
    const o = base + x * nF;
    for (let f = 0; f < nF; f++) out[o + f] = rowFeatures[f * nx + x];
  }
}

/** Features of every pixel of slice z (or of a band of rows), pixel-major. */
export function computeSliceFeatures(
  channels: readonly FeatureChannel[],
  z: number,
  spec: PixelFeatureSpec,
  norm: GreyNormalisation,
  opts: SliceFeatureOptions = {},
): SliceFeatures {
  const { workspace: ws, shape } = prepare(channels, z, spec, norm, opts.workspace);
  const [nz, ny, nx] = shape;
  const y0 = opts.rows?.y0 ?? 0;
  const y1 = opts.rows?.y1 ?? ny;
  if (!Number.isInteger(y0) || !Number.isInteger(y1) || y0 < 0 || y1 > ny || y0 >= y1) {
    throw new AppError('invalid_input', `Row band ${y0}..${y1} is not inside the slice's ${ny} rows: give 0 <= y0 < y1 <= ${ny}.`);
  }
  const { nFeatures, names } = ws.layout;
  const len = (y1 - y0) * nx * nFeatures;
  if (opts.out && opts.out.length < len) throw new AppError('invalid_input', `The output buffer holds ${opts.out.length} values but ${len} are needed: pass a larger one or none.`);
  const data = opts.out ? opts.out.subarray(0, len) : new Float32Array(len);
  throwIfAborted(opts.signal);
  ws.sliceImages(z);
  const nb = neighbourImages(ws, spec, channels.length, z, nz);
  const rowFeatures = new Float32Array(nFeatures * nx);
  for (let y = y0; y < y1; y++) {
    if ((y & 63) === 0) throwIfAborted(opts.signal);
    computeRow(ws, z, y, nb, rowFeatures);
    interleave(rowFeatures, nx, nFeatures, data, (y - y0) * nx * nFeatures);
  }
  return { nFeatures, names, data, z, y0, y1, nx };
}

/**
 * Features at the given pixels of slice z (index p = y * nx + x), e.g. the
 * painted training pixels: only the rows that hold one are computed.
 */
export function computeFeaturesAtPixels(
  channels: readonly FeatureChannel[],
  z: number,
  pixels: ArrayLike<number>,
  spec: PixelFeatureSpec,
  norm: GreyNormalisation,
  opts: { workspace?: FeatureWorkspace; signal?: AbortSignal } = {},
): PixelFeatureRows {
  const { workspace: ws, shape } = prepare(channels, z, spec, norm, opts.workspace);
  const [nz, ny, nx] = shape;
  const n = ny * nx;
  const byRow = new Map<number, number[]>();
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i];
    if (!Number.isInteger(p) || p < 0 || p >= n) throw new AppError('invalid_input', `Pixel index ${p} is outside the ${nx} x ${ny} px slice: indices run from 0 to ${n - 1} (y * ${nx} + x).`);
    const y = Math.floor(p / nx);
    const list = byRow.get(y);
    if (list) list.push(i);
    else byRow.set(y, [i]);
  }
  const { nFeatures, names } = ws.layout;
  const data = new Float32Array(pixels.length * nFeatures);
  if (pixels.length === 0) return { nFeatures, names, data };
  ws.sliceImages(z);
  const nb = neighbourImages(ws, spec, channels.length, z, nz);
  const rowFeatures = new Float32Array(nFeatures * nx);
  for (const [y, list] of [...byRow].sort((a, b) => a[0] - b[0])) {
    throwIfAborted(opts.signal);
    computeRow(ws, z, y, nb, rowFeatures);
    for (const i of list) {
      const x = pixels[i] - y * nx;
      for (let f = 0; f < nFeatures; f++) data[i * nFeatures + f] = rowFeatures[f * nx + x];
    }
  }
  return { nFeatures, names, data };
}

/** Rows of the given pixels (indices into the band: (y - y0) * nx + x) out of computed slice features. */
export function gatherFeatureRows(features: Pick<SliceFeatures, 'nFeatures' | 'data'>, pixels: ArrayLike<number>): Float32Array {
  const { nFeatures: f, data } = features;
  const nPix = data.length / f;
  const out = new Float32Array(pixels.length * f);
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i];
    if (!Number.isInteger(p) || p < 0 || p >= nPix) throw new AppError('invalid_input', `Pixel index ${p} is outside the ${nPix} computed pixels.`);
    out.set(data.subarray(p * f, (p + 1) * f), i * f);
  }
  return out;
}
