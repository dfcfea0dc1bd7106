// Downsampled levels for the 3D view: how much to shrink a volume so that it
// fits the GPU (planLevel), and the shrinking itself (downsample). Pure
// functions, no DOM: unit-tested in Node; shared by the viewer (renderer) and the
// main process, which sends volumes to the viewer already downsampled.

/** Volume shape in slice order: [nz, ny, nx]. */
export type Shape3 = [nz: number, ny: number, nx: number];

export type VolumeKind = 'grey' | 'labels';

/** Default GPU memory budget for one volume texture (R8: one byte per voxel). */
export const DEFAULT_TEXTURE_BUDGET_BYTES = 256 * 1024 * 1024;

/** Shape after downsampling by integer factors (partial blocks at the far edges count as whole voxels). */
export function downsampledShape(shape: Shape3, factors: Shape3): Shape3 {
  return [0, 1, 2].map((i) => Math.ceil(shape[i] / factors[i])) as Shape3;
}

function checkShape(shape: Shape3, what: string): void {
  for (const n of shape) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be three positive integers, got [${shape.join(', ')}]`);
  }
}

/**
 * The integer downsampling factor per axis ([fz, fy, fx]) needed so that the
 * volume fits in one 3D texture: every downsampled axis <= maxTexture3D
 * (gl.MAX_3D_TEXTURE_SIZE) and nz*ny*nx bytes <= budgetBytes. Starts from the
 * smallest factors the size limit needs, then raises all axes together
 * (f_i = max(fmin_i, k), k = 2, 3, ...) until the budget holds, so that the
 * voxels keep their aspect ratio where they can. [1, 1, 1] when it fits as is.
 */
export function planLevel(shape: Shape3, budgetBytes: number = DEFAULT_TEXTURE_BUDGET_BYTES, maxTexture3D = 2048): Shape3 {
  checkShape(shape, 'shape');
  if (!(budgetBytes >= 1)) throw new Error(`budgetBytes must be at least 1, got ${budgetBytes}`);
  if (!Number.isInteger(maxTexture3D) || maxTexture3D < 1) throw new Error(`maxTexture3D must be a positive integer, got ${maxTexture3D}`);
  const fmin = shape.map((n) => Math.ceil(n / maxTexture3D)) as Shape3;
  const bytes = (f: Shape3): number => downsampledShape(shape, f).reduce((a, b) => a * b, 1);
  let factors = fmin;
  for (let k = 2; bytes(factors) > budgetBytes; k += 1) {
    factors = fmin.map((m, i) => Math.min(shape[i], Math.max(m, k))) as Shape3;
    if (factors.every((f, i) => f === shape[i])) break; // one voxel: cannot shrink further
  }
  return factors;
}

/**
 * Shrinks a uint8 volume (x fastest, then y, then z) by integer factors
 * [fz, fy, fx]. Each output voxel covers a block of input voxels (smaller at
 * the far edges). grey: the rounded mean of the block. labels: the most
 * frequent value of the block, ties going to the larger value (for 0/1 labels:
 * solid when the block's mean is >= 0.5).
 */
export function downsample(data: Uint8Array, shape: Shape3, factors: Shape3, kind: VolumeKind): { data: Uint8Array; shape: Shape3 } {
  checkShape(shape, 'shape');
  checkShape(factors, 'factors');
  const [nz, ny, nx] = shape;
  if (data.length !== nz * ny * nx) throw new Error(`data has ${data.length} voxels, shape [${shape.join(', ')}] needs ${nz * ny * nx}`);
  const [fz, fy, fx] = factors;
  const outShape = downsampledShape(shape, factors);
  const [oz, oy, ox] = outShape;
  if (fz === 1 && fy === 1 && fx === 1) return { data: data.slice(), shape: outShape };
  const out = new Uint8Array(oz * oy * ox);

  if (kind === 'grey') {
    // Sum each output plane's blocks in one pass over the input rows.
    const sums = new Float64Array(oy * ox);
    const counts = new Float64Array(oy * ox);
    for (let z0 = 0; z0 < oz; z0 += 1) {
      sums.fill(0);
      counts.fill(0);
      const zEnd = Math.min(nz, (z0 + 1) * fz);
      for (let z = z0 * fz; z < zEnd; z += 1) {
        for (let y = 0; y < ny; y += 1) {
          const row = (z * ny + y) * nx;
          const orow = Math.floor(y / fy) * ox;
          for (let x = 0; x < nx; x += 1) {
            const o = orow + Math.floor(x / fx);
            sums[o] += data[row + x];
            counts[o] += 1;
          }
        }
      }
      const base = z0 * oy * ox;
      for (let i = 0; i < oy * ox; i += 1) out[base + i] = Math.round(sums[i] / counts[i]);
    }
    return { data: out, shape: outShape };
  }

  // labels: a 256-bin histogram per block; only the values seen are reset and compared.
  const hist = new Uint32Array(256);
  const seen = new Uint8Array(256);
  let nSeen = 0;
  for (let z0 = 0; z0 < oz; z0 += 1) {
    const zEnd = Math.min(nz, (z0 + 1) * fz);
    for (let y0 = 0; y0 < oy; y0 += 1) {
      const yEnd = Math.min(ny, (y0 + 1) * fy);
      for (let x0 = 0; x0 < ox; x0 += 1) {
        const xEnd = Math.min(nx, (x0 + 1) * fx);
        for (let z = z0 * fz; z < zEnd; z += 1) {
          for (let y = y0 * fy; y < yEnd; y += 1) {
            const row = (z * ny + y) * nx;
            for (let x = x0 * fx; x < xEnd; x += 1) {
              const v = data[row + x];
              if (hist[v] === 0) seen[nSeen++] = v;
              hist[v] += 1;
            }
          }
        }
        let best = seen[0];
        for (let i = 1; i < nSeen; i += 1) {
          const v = seen[i];
          if (hist[v] > hist[best] || (hist[v] === hist[best] && v > best)) best = v;
        }
        for (let i = 0; i < nSeen; i += 1) hist[seen[i]] = 0;
        nSeen = 0;
        out[(z0 * oy + y0) * ox + x0] = best;
      }
    }
  }
  return { data: out, shape: outShape };
}
