// Grey-level co-occurrence texture along x, y and z and the anisotropy index of [ZhengSong]
// (supplement eq. S1-S6): texture features that differ between directions flag anisotropy.
import { AppError } from '../../../src-shared/errors';
import type { Volume } from '../../../src-shared/volume';
import { type Axis, AXES, axisLength, shapeText } from '../binary-volume';
import { type JobControl, reportProgress } from './phase';

/** Any integer-valued volume: a binary label volume or grey values already in 0..levels-1. */
export type GreyVolume = Pick<Volume, 'shape' | 'slices' | 'dtype'>;

export interface GlcmFeatures {
  /** sum P(i,j) (i - j)^2 ([ZhengSong] S1; skimage 'contrast'). */
  contrast: number;
  /** sum P(i,j) / (1 + (i - j)^2) ([ZhengSong] S2; skimage 'homogeneity'). */
  homogeneity: number;
  /** Angular second moment sum P(i,j)^2: what [ZhengSong] eq. S3 calls energy (skimage 'ASM'). */
  angularSecondMoment: number;
  /** sqrt(ASM): skimage's 'energy'. */
  energy: number;
  /** -sum P ln P, natural log, 0 ln 0 = 0 ([ZhengSong] S4). */
  entropy: number;
}

export interface GlcmAnisotropy {
  levels: number;
  distanceVoxels: number;
  symmetric: boolean;
  /** Features of the normalised co-occurrence matrix pooled over every plane, per direction. */
  features: Record<Axis, GlcmFeatures>;
  /** [ZhengSong] eq. S5: sqrt(sd_C^2 + sd_H^2 + sd_E^2 + sd_En^2), sd over x, y, z with N - 1 = 2 (S6), E = ASM (S3). */
  anisotropyIndex: number;
  /** Per feature: sd over the three directions (N - 1) / mean; 0 when the mean is 0. Scale-free. */
  relativeSpread: Record<'contrast' | 'homogeneity' | 'angularSecondMoment' | 'entropy', number>;
}

export interface GlcmOptions extends JobControl {
  /** Number of grey levels; every value must be below it. Default: largest value + 1 (2 for a binary volume). */
  levels?: number;
  /** Offset d in voxels along each axis, default 1. */
  distanceVoxels?: number;
  /** Count each pair both ways (skimage symmetric=True); default false as skimage. */
  symmetric?: boolean;
}

/** Largest levels accepted: the matrix has levels^2 entries. */
export const MAX_GLCM_LEVELS = 4096;

/** Co-occurrence counts C[i * levels + j] of (value at p, value at p + d e_axis), over all p with both inside. */
export function cooccurrenceCounts(volume: GreyVolume, axis: Axis, levels: number, d: number, symmetric: boolean, control?: JobControl): Float64Array {
  const [nz, ny, nx] = volume.shape;
  const counts = new Float64Array(levels * levels);
  const s = volume.slices;
  for (let z = 0; z < nz; z++) {
    if ((z & 15) === 0) reportProgress(control, z / nz);
    if (axis === 'z' && z + d >= nz) break;
    const a = s[z];
    const b = axis === 'z' ? s[z + d] : a;
    const step = axis === 'x' ? d : axis === 'y' ? d * nx : 0;
    const yEnd = axis === 'y' ? ny - d : ny, xEnd = axis === 'x' ? nx - d : nx;
    for (let y = 0; y < yEnd; y++) {
      const row = y * nx;
      for (let x = 0; x < xEnd; x++) {
        const i = a[row + x], j = b[row + x + step];
        counts[i * levels + j]++;
        if (symmetric) counts[j * levels + i]++;
      }
    }
  }
  reportProgress(control, 1);
  return counts;
}

/** The features of a co-occurrence count matrix (normalised here). */
export function glcmFeatures(counts: Float64Array, levels: number): GlcmFeatures {
  let total = 0;
  for (const c of counts) total += c;
  let contrast = 0, homogeneity = 0, asm = 0, entropy = 0;
  for (let i = 0; i < levels; i++) for (let j = 0; j < levels; j++) {
    const p = counts[i * levels + j] / total;
    if (p === 0) continue;
    const d2 = (i - j) * (i - j);
    contrast += p * d2;
    homogeneity += p / (1 + d2);
    asm += p * p;
    entropy -= p * Math.log(p);
  }
  return { contrast, homogeneity, angularSecondMoment: asm, energy: Math.sqrt(asm), entropy };
}

function sampleSd(v: readonly number[]): number {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
}

/** GLCM features along x, y, z and [ZhengSong]'s anisotropy index. Works on voxel indices: voxel size is not used. */
export function glcmAnisotropy(volume: GreyVolume, options: GlcmOptions = {}): GlcmAnisotropy {
  const [nz, ny, nx] = volume.shape;
  if (volume.dtype !== 'uint8' && volume.dtype !== 'uint16') {
    throw new AppError('invalid_input', `The GLCM needs integer grey levels (uint8 or uint16), got ${volume.dtype}: quantise the volume to levels first.`);
  }
  if (volume.slices.length !== nz || volume.slices.some((s) => s.length !== nx * ny)) {
    throw new AppError('size_mismatch', `The volume declares ${shapeText(volume.shape)} but its slices do not match that size.`);
  }
  let maxValue = 0;
  for (const s of volume.slices) for (let i = 0; i < s.length; i++) if (s[i] > maxValue) maxValue = s[i];
  const levels = options.levels ?? Math.max(2, maxValue + 1);
  if (!Number.isInteger(levels) || levels < 2 || levels > MAX_GLCM_LEVELS) {
    throw new AppError('invalid_input', `The number of grey levels must be a whole number from 2 to ${MAX_GLCM_LEVELS}, got ${levels}.`);
  }
  if (maxValue >= levels) {
    throw new AppError('invalid_input', `The volume holds grey value ${maxValue} but levels is ${levels}: every value must be below levels; quantise the volume or raise levels.`);
  }
  const d = options.distanceVoxels ?? 1;
  const shortest = Math.min(...AXES.map((a) => axisLength(volume.shape, a)));
  if (!Number.isInteger(d) || d < 1 || d >= shortest) {
    throw new AppError('invalid_input', `The GLCM offset must be a whole number of voxels from 1 to ${shortest - 1} (the shortest side), got ${d}.`);
  }
  const symmetric = options.symmetric ?? false;
  const features = {} as Record<Axis, GlcmFeatures>;
  AXES.forEach((axis, k) => {
    const counts = cooccurrenceCounts(volume, axis, levels, d, symmetric, {
      signal: options.signal,
      onProgress: (f) => options.onProgress?.((k + f) / 3),
    });
    features[axis] = glcmFeatures(counts, levels);
  });
  const names = ['contrast', 'homogeneity', 'angularSecondMoment', 'entropy'] as const;
  const relativeSpread = {} as GlcmAnisotropy['relativeSpread'];
  let ai2 = 0;
  for (const name of names) {
    const values = AXES.map((a) => features[a][name]);
    const sd = sampleSd(values);
    const mean = values.reduce((a, b) => a + b, 0) / 3;
    ai2 += sd * sd;
    relativeSpread[name] = mean === 0 ? 0 : sd / Math.abs(mean);
  }
  return { levels, distanceVoxels: d, symmetric, features, anisotropyIndex: Math.sqrt(ai2), relativeSpread };
}
