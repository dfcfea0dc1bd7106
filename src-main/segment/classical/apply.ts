// Turning thresholds into the uint8 label volume (1 = solid, 0 = pore).
import { throwIfAborted } from '../../../src-shared/errors';
import { progressTracker, type ProgressCallback } from '../../../src-shared/progress';
import type { Volume } from '../../../src-shared/volume';

/** A label volume with the geometry of `like`, filled slice by slice by `fill`. */
export function labelVolumeLike(
  like: Volume,
  fill: (z: number, out: Uint8Array) => void,
  opts: { signal?: AbortSignal; onProgress?: ProgressCallback; what?: string; onlySlice?: number } = {},
): Volume {
  const [nz, ny, nx] = like.shape;
  const progress = progressTracker(opts.onProgress);
  const slices: Uint8Array[] = [];
  for (let z = 0; z < nz; z++) {
    throwIfAborted(opts.signal);
    // A preview labels one slice (thresholds still from the whole stack); the others stay empty arrays.
    if (opts.onlySlice !== undefined && z !== opts.onlySlice) {
      slices.push(new Uint8Array(0));
      continue;
    }
    const out = new Uint8Array(ny * nx);
    fill(z, out);
    slices.push(out);
    progress((z + 1) / nz, `${opts.what ?? 'labelled'} slice ${z + 1} of ${nz}`);
  }
  return {
    shape: [nz, ny, nx],
    dtype: 'uint8',
    voxelSizeNm: { ...like.voxelSizeNm },
    zPositionsNm: [...like.zPositionsNm],
    slices,
  };
}

/** value > solidAbove is solid (1), everything else pore (0): skimage's `image > threshold`. */
export function applyThreshold(volume: Volume, solidAbove: number, opts: { signal?: AbortSignal; onProgress?: ProgressCallback; onlySlice?: number } = {}): Volume {
  return labelVolumeLike(
    volume,
    (z, out) => {
      const s = volume.slices[z];
      for (let i = 0; i < s.length; i++) out[i] = s[i] > solidAbove ? 1 : 0;
    },
    { ...opts, what: 'thresholded' },
  );
}
