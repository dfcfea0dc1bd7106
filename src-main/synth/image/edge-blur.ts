// Blur only the edges ([Sardhara2022], 2.2.2): a Gaussian over the whole image
// would also smooth the grain inside the ligaments, so
//   1. find the edges (Sobel gradient magnitude),
//   2. turn them into a weight mask, 1 on the edges and falling off beside them
//      (the gradient magnitude, blurred, scaled to max 1),
//   3. blur the whole image,
//   4. blend: out = m blurred + (1 - m) image.
import { gaussianBlur } from './gaussian-blur';

export interface EdgeBlurParams {
  /** Blur of the whole image (step 3), px. */
  sigmaPx: number;
  /** Widening of the edge mask (step 2), px. */
  maskSigmaPx: number;
}

export const DEFAULT_EDGE_BLUR: EdgeBlurParams = { sigmaPx: 1.2, maskSigmaPx: 1 };

export function sobelMagnitude(image: Float32Array, nx: number, ny: number): Float32Array {
  const g = new Float32Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    const up = (y > 0 ? y - 1 : 0) * nx;
    const mid = y * nx;
    const down = (y < ny - 1 ? y + 1 : y) * nx;
    for (let x = 0; x < nx; x++) {
      const l = x > 0 ? x - 1 : 0;
      const r = x < nx - 1 ? x + 1 : x;
      const gx = image[up + r] + 2 * image[mid + r] + image[down + r] - image[up + l] - 2 * image[mid + l] - image[down + l];
      const gy = image[down + l] + 2 * image[down + x] + image[down + r] - image[up + l] - 2 * image[up + x] - image[up + r];
      g[mid + x] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return g;
}

/** Returns a new image; `image` is left as it is. */
export function blurEdges(image: Float32Array, nx: number, ny: number, params: EdgeBlurParams = DEFAULT_EDGE_BLUR): Float32Array {
  const scratch = new Float32Array(nx * ny);
  const mask = gaussianBlur(sobelMagnitude(image, nx, ny), nx, ny, params.maskSigmaPx, scratch); // 1, 2
  let max = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] > max) max = mask[i];
  const blurred = gaussianBlur(Float32Array.from(image), nx, ny, params.sigmaPx, scratch); // 3
  if (max === 0) return Float32Array.from(image);
  const out = new Float32Array(nx * ny);
  for (let i = 0; i < out.length; i++) {
    const m = mask[i] / max;
    out[i] = m * blurred[i] + (1 - m) * image[i]; // 4
  }
  return out;
}
