// Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012, "Distance
// transforms of sampled functions"): the squared distance is separable, so three
// 1D lower-envelope passes (x, y, z) give it exactly, with any voxel size.
import type { Shape3, VoxelSizeNm } from '../../../src-shared/volume';
import { type JobControl, reportProgress } from './phase';

/**
 * 1D pass: out[q] = min_p ((q - p) h)^2 + f[p], over the finite f[p]; Infinity when none is finite.
 * v, zBreak are scratch arrays of length n and n + 1.
 */
function lowerEnvelope1d(f: Float64Array, out: Float64Array, n: number, h: number, v: Int32Array, zBreak: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq === Infinity) continue;
    const aq = fq + q * h * (q * h);
    if (k < 0) {
      k = 0; v[0] = q; zBreak[0] = -Infinity; zBreak[1] = Infinity;
      continue;
    }
    let s = 0;
    for (;;) {
      const p = v[k];
      s = (aq - (f[p] + p * h * (p * h))) / (2 * h * (q - p));
      // zBreak[0] = -Infinity stops this at k = 0.
      if (s <= zBreak[k]) k--;
      else break;
    }
    k++;
    v[k] = q; zBreak[k] = s; zBreak[k + 1] = Infinity;
  }
  if (k < 0) {
    out.fill(Infinity, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (zBreak[j + 1] < q * h) j++;
    const d = (q - v[j]) * h;
    out[q] = d * d + f[v[j]];
  }
}

/**
 * Squared Euclidean distance (nm^2) from every voxel to the nearest voxel where `mask` is 0
 * (0 on those voxels; Infinity everywhere when the mask has no 0). Same definition as
 * scipy.ndimage.distance_transform_edt(mask, sampling=(z, y, x)) squared.
 */
export function squaredDistanceToBackgroundNm2(mask: Uint8Array, shape: Shape3, voxelSizeNm: VoxelSizeNm, control?: JobControl): Float64Array {
  const [nz, ny, nx] = shape;
  const d2 = new Float64Array(mask.length);
  for (let i = 0; i < mask.length; i++) d2[i] = mask[i] === 0 ? 0 : Infinity;
  const nMax = Math.max(nx, ny, nz);
  const f = new Float64Array(nMax), out = new Float64Array(nMax);
  const v = new Int32Array(nMax), zBreak = new Float64Array(nMax + 1);
  const passes: [number, number, number, number][] = [
    // [line length, stride along the line, number of lines, voxel size]
    [nx, 1, nz * ny, voxelSizeNm.x],
    [ny, nx, nz * nx, voxelSizeNm.y],
    [nz, nx * ny, ny * nx, voxelSizeNm.z],
  ];
  passes.forEach(([n, stride, lines, h], pass) => {
    for (let line = 0; line < lines; line++) {
      if ((line & 4095) === 0) reportProgress(control, (pass + line / lines) / 3);
      // Start of the line: x pass rows; y pass (z, x) pairs; z pass (y, x) pairs.
      const start = pass === 0 ? line * nx : pass === 1 ? Math.floor(line / nx) * nx * ny + (line % nx) : line;
      for (let q = 0; q < n; q++) f[q] = d2[start + q * stride];
      lowerEnvelope1d(f, out, n, h, v, zBreak);
      for (let q = 0; q < n; q++) d2[start + q * stride] = out[q];
    }
  });
  reportProgress(control, 1);
  return d2;
}
