// Products of the Sobel derivatives, the inner derivatives of the structure
// tensor as skimage.feature.structure_tensor computes them (ndi.sobel with
// mode='reflect': [-1, 0, 1] along the derivative axis, [1, 2, 1] across),
// but divided by 8 so that they are derivatives in grey units per px (a ramp
// f = x gives 1; skimage's are 8 times that and its tensor 64 times ours).
import { reflectIndex } from './gaussian';

export interface SobelProducts {
  /** (d/dx)^2, (d/dx)(d/dy), (d/dy)^2 per pixel. */
  xx: Float32Array;
  xy: Float32Array;
  yy: Float32Array;
}

export function allocSobelProducts(n: number): SobelProducts {
  return { xx: new Float32Array(n), xy: new Float32Array(n), yy: new Float32Array(n) };
}

export function sobelProducts(img: Float32Array, ny: number, nx: number, out: SobelProducts = allocSobelProducts(ny * nx)): SobelProducts {
  const xm = new Int32Array(nx);
  const xp = new Int32Array(nx);
  for (let x = 0; x < nx; x++) {
    xm[x] = reflectIndex(x - 1, nx);
    xp[x] = reflectIndex(x + 1, nx);
  }
  const { xx, xy, yy } = out;
  for (let y = 0; y < ny; y++) {
    const om = reflectIndex(y - 1, ny) * nx;
    const o = y * nx;
    const op = reflectIndex(y + 1, ny) * nx;
    for (let x = 0; x < nx; x++) {
      const a = xm[x];
      const b = xp[x];
      const dx = (img[om + b] - img[om + a] + 2 * (img[o + b] - img[o + a]) + img[op + b] - img[op + a]) * 0.125;
      const dy = (img[op + a] - img[om + a] + 2 * (img[op + x] - img[om + x]) + img[op + b] - img[om + b]) * 0.125;
      xx[o + x] = dx * dx;
      xy[o + x] = dx * dy;
      yy[o + x] = dy * dy;
    }
  }
  return out;
}
