// Buffers reused from slice to slice: the current slice's normalised grey and
// Sobel products per channel, the row engine, and the smoothed neighbouring
// slices. A smoothed slice is needed by up to 2 * maxOffset + 1 slices (as
// their z +- o), so going through the stack in order computes each one once:
// the cache holds 2 * maxOffset + 2 slices per channel and scale and evicts
// the least recently used. Buffers belong to the channel objects last given
// (compared by identity) and to the spec and normalisation (compared by
// value): pass the same channel objects while going through a stack.
import { readSlice, type FeatureChannel } from './channel';
import { featureLayout, type FeatureLayout, type PixelFeatureSpec } from './feature-spec';
import { type Gaussian2dScratch, gaussian2dScratch, gaussianFilter2d, type GaussianKernels, gaussianKernels } from './gaussian';
import { type ChannelSliceImages, InPlaneRowEngine } from './in-plane-rows';
import { type GreyNormalisation, normaliseSlice } from './normalise';
import { allocSobelProducts, sobelProducts } from './sobel';

export class FeatureWorkspace {
  /** Slices smoothed for the neighbour features since the workspace was made (each is computed once while it stays cached). */
  smoothedSlices = 0;
  private channels: readonly FeatureChannel[] = [];
  private key = '';
  private ny = 0;
  private nx = 0;
  private spec!: PixelFeatureSpec;
  private norm!: GreyNormalisation;
  layout!: FeatureLayout;
  engine!: InPlaneRowEngine;
  private current: { z: number; images: ChannelSliceImages[] } | null = null;
  private neighbourKernels: GaussianKernels[] = [];
  private cache = new Map<string, Float32Array>();
  private capacity = 0;
  private pool: Float32Array[] = [];
  private normScratch: Float32Array | null = null;
  private gScratch: Gaussian2dScratch | null = null;

  /** Binds the workspace to these channels and settings; drops every buffer when any of them changed. */
  prepare(channels: readonly FeatureChannel[], spec: PixelFeatureSpec, norm: GreyNormalisation): void {
    const key = JSON.stringify([spec, norm]);
    const same = key === this.key && channels.length === this.channels.length && channels.every((c, i) => c === this.channels[i]);
    if (same) return;
    const [, ny, nx] = channels[0].shape;
    this.channels = [...channels];
    this.key = key;
    this.spec = spec;
    this.norm = norm;
    this.ny = ny;
    this.nx = nx;
    this.layout = featureLayout(spec);
    this.engine = new InPlaneRowEngine(spec, ny, nx);
    this.current = null;
    this.neighbourKernels = spec.neighbours.scalesPx.map((s) => gaussianKernels(s));
    this.cache.clear();
    this.pool = [];
    const maxOffset = spec.neighbours.offsets.reduce((m, o) => Math.max(m, Math.abs(o)), 0);
    this.capacity = spec.neighbours.offsets.length > 0 ? channels.length * this.neighbourKernels.length * (2 * maxOffset + 2) : 0;
    this.normScratch = null;
    this.gScratch = null;
  }

  /** Normalised grey (and Sobel products) of slice z of every channel. */
  sliceImages(z: number): ChannelSliceImages[] {
    if (this.current?.z === z) return this.current.images;
    const n = this.ny * this.nx;
    const old = this.current?.images;
    const images = this.channels.map((ch, c): ChannelSliceImages => {
      const img = normaliseSlice(readSlice(ch, z, c), this.norm.channels[c], old?.[c].img ?? new Float32Array(n));
      const sobel = this.engine.needStructure ? sobelProducts(img, this.ny, this.nx, old?.[c].sobel ?? allocSobelProducts(n)) : null;
      return { img, sobel };
    });
    this.current = { z, images };
    return images;
  }

  /** Slice k of channel c smoothed with neighbour scale si (k already mirrored into the stack). */
  neighbourGaussian(c: number, k: number, si: number): Float32Array {
    const key = `${c}|${k}|${si}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const n = this.ny * this.nx;
    while (this.cache.size >= this.capacity && this.cache.size > 0) {
      const oldest = this.cache.keys().next().value as string;
      this.pool.push(this.cache.get(oldest) as Float32Array);
      this.cache.delete(oldest);
    }
    const kern = this.neighbourKernels[si];
    if (!this.gScratch || this.gScratch.plus.length <= kern.radius) {
      const rMax = this.neighbourKernels.reduce((m, q) => Math.max(m, q.radius), 0);
      this.gScratch = gaussian2dScratch(this.ny, this.nx, rMax);
    }
    const src =
      this.current?.z === k
        ? this.current.images[c].img
        : normaliseSlice(readSlice(this.channels[c], k, c), this.norm.channels[c], (this.normScratch ??= new Float32Array(n)));
    const out = gaussianFilter2d(src, this.ny, this.nx, kern, this.pool.pop() ?? new Float32Array(n), this.gScratch);
    this.smoothedSlices++;
    this.cache.set(key, out);
    return out;
  }
}
