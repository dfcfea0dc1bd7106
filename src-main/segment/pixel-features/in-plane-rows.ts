// In-plane features of one channel, one image row at a time. Working row by
// row keeps every intermediate in a few row buffers (in cache) instead of a
// dozen full-slice images: for output row y and scale sigma, one sweep over
// the input rows y - r .. y + r gives the vertical orders 0, 1, 2 (V0, V1, V2);
// horizontal passes over them give all six separable Gaussian-derivative
// filters of scipy.ndimage.gaussian_filter(order=...):
//   G = g0x g0y, Ix = g1x g0y, Ixx = g2x g0y   (from V0)
//   Iy = g0x g1y, Ixy = g1x g1y                (from V1)
//   Iyy = g0x g2y                              (from V2)
// and from them gradient magnitude sqrt(Ix^2 + Iy^2) (gaussian_gradient_
// magnitude), Laplacian Ixx + Iyy (gaussian_laplace), Hessian eigenvalues of
// [[Iyy, Ixy], [Ixy, Ixx]]. The structure tensor smooths the Sobel products
// with the same Gaussian (see sobel.ts).
import { writeEigenvalues2 } from './eigen2';
import type { ChannelSlots, InPlaneFamily, PixelFeatureSpec } from './feature-spec';
import {
  type GaussianKernels,
  gaussianKernels,
  horizontalDerivatives,
  horizontalSmoothAndFirst,
  horizontalSymmetric,
  padReflect,
  reflectedRows,
  verticalDerivativeRows,
  verticalSymmetricRow,
} from './gaussian';
import type { SobelProducts } from './sobel';

/** One channel's slice as the row engine reads it. */
export interface ChannelSliceImages {
  /** Normalised grey, ny * nx. */
  img: Float32Array;
  /** Sobel products, when the structure tensor is computed. */
  sobel: SobelProducts | null;
}

export class InPlaneRowEngine {
  readonly kernels: GaussianKernels[];
  readonly needSmooth: boolean;
  readonly needDerivatives: boolean;
  readonly needStructure: boolean;
  private readonly pad: Float32Array;
  private readonly plus: Int32Array;
  private readonly minus: Int32Array;
  private readonly rows: Float32Array[];
  /** G of every scale for the current row (for the differences of Gaussians). */
  private readonly smooth: Float32Array[];

  constructor(
    spec: PixelFeatureSpec,
    readonly ny: number,
    readonly nx: number,
  ) {
    const has = (f: InPlaneFamily) => spec.families.includes(f);
    this.kernels = spec.scalesPx.map((s) => gaussianKernels(s));
    this.needDerivatives = has('gradient-magnitude') || has('laplacian-of-gaussian') || has('hessian-eigenvalues');
    this.needSmooth = has('gaussian') || has('difference-of-gaussians');
    this.needStructure = has('structure-tensor-eigenvalues');
    const rMax = this.kernels.reduce((m, k) => Math.max(m, k.radius), 0);
    this.pad = new Float32Array(nx + 2 * rMax);
    this.plus = new Int32Array(rMax + 1);
    this.minus = new Int32Array(rMax + 1);
    this.rows = Array.from({ length: 9 }, () => new Float32Array(nx));
    this.smooth = this.kernels.map(() => new Float32Array(nx));
  }

  /**
   * Writes the in-plane features of row y of one channel feature-major:
   * feature slot f of pixel x goes to rowFeatures[f * nx + x] (contiguous
   * writes; the caller interleaves them into pixel-major order).
   */
  computeRow(src: ChannelSliceImages, y: number, slots: ChannelSlots, rowFeatures: Float32Array): void {
    const { nx, ny, pad, plus, minus } = this;
    const [v0, v1, v2, ix, ixx, iy, ixy, iyy, tmp] = this.rows;
    const out = rowFeatures;
    if (slots.intensity >= 0) out.set(src.img.subarray(y * nx, (y + 1) * nx), slots.intensity * nx);
    for (let si = 0; si < this.kernels.length; si++) {
      const k = this.kernels[si];
      const r = k.radius;
      const g = this.smooth[si];
      reflectedRows(y, ny, r, plus, minus);
      if (this.needDerivatives) {
        verticalDerivativeRows(src.img, nx, k, plus, minus, v0, v1, v2);
        padReflect(v0, 0, nx, r, pad);
        horizontalDerivatives(pad, nx, k, g, ix, ixx);
        padReflect(v1, 0, nx, r, pad);
        horizontalSmoothAndFirst(pad, nx, k, iy, ixy);
        padReflect(v2, 0, nx, r, pad);
        horizontalSymmetric(pad, nx, k.g0, iyy);
        const sg = slots.gradient[si] * nx;
        if (sg >= 0) for (let x = 0; x < nx; x++) out[sg + x] = Math.sqrt(ix[x] * ix[x] + iy[x] * iy[x]);
        const sl = slots.laplacian[si] * nx;
        if (sl >= 0) for (let x = 0; x < nx; x++) out[sl + x] = ixx[x] + iyy[x];
        writeEigenvalues2(iyy, ixy, ixx, nx, out, slots.hessianHigh[si], slots.hessianLow[si]);
      } else if (this.needSmooth) {
        verticalSymmetricRow(src.img, nx, k.g0, plus, minus, v0);
        padReflect(v0, 0, nx, r, pad);
        horizontalSymmetric(pad, nx, k.g0, g);
      }
      if (slots.gaussian[si] >= 0) out.set(g, slots.gaussian[si] * nx);
      if (this.needStructure && src.sobel) {
        const { xx, xy, yy } = src.sobel;
        // skimage order 'rc': [[A_rr, A_rc], [A_rc, A_cc]] = [[yy, xy], [xy, xx]]; the eigenvalues do not depend on the order.
        verticalSymmetricRow(xx, nx, k.g0, plus, minus, v0);
        verticalSymmetricRow(xy, nx, k.g0, plus, minus, v1);
        verticalSymmetricRow(yy, nx, k.g0, plus, minus, v2);
        padReflect(v0, 0, nx, r, pad);
        horizontalSymmetric(pad, nx, k.g0, ixx);
        padReflect(v1, 0, nx, r, pad);
        horizontalSymmetric(pad, nx, k.g0, ixy);
        padReflect(v2, 0, nx, r, pad);
        horizontalSymmetric(pad, nx, k.g0, tmp);
        writeEigenvalues2(tmp, ixy, ixx, nx, out, slots.structureHigh[si], slots.structureLow[si]);
      }
    }
    for (let d = 0; d < slots.dog.length; d++) {
      const a = this.smooth[d];
      const b = this.smooth[d + 1];
      const s = slots.dog[d] * nx;
      for (let x = 0; x < nx; x++) out[s + x] = a[x] - b[x];
    }
  }
}
