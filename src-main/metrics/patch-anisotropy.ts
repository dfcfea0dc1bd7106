// Anisotropy metrics patch by patch ([Sardhara2023] used 256 x 256 patches), summarised as
// mean and standard deviation, as [Sardhara2023] reports them (suppl. Table S3: mean +- sd).
import { AppError, throwIfAborted } from '../../src-shared/errors';
import type { Shape3 } from '../../src-shared/volume';
import { type BinaryVolume, binarySlices, requireIsotropicVoxels, shapeText } from './binary-volume';
import { anisotropyMetricsOfSlices, defaultRMaxVoxels } from './anisotropy-metrics';
import { cropSlices } from './crop-volume';

export interface PatchAnisotropyOptions {
  /** Patch size (z, y, x) in voxels; default (nz, min(256, ny), min(256, nx)). */
  patchShape?: Shape3;
  /** r max per patch; default max(1, floor(shortest patch side / 4)). */
  rMaxVoxels?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface PatchMetrics {
  /** Corner (z, y, x) of the patch in the volume, voxels. */
  origin: Shape3;
  solidFraction: number;
  eTpcf: number;
  eLpf: number;
  eD: number;
}

export interface MeanAndSd {
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single patch. */
  sd: number;
}

export interface PatchAnisotropySummary {
  patchShape: Shape3;
  rMaxVoxels: number;
  /** Patches measured; patches without solid voxels are skipped and counted here. */
  patches: PatchMetrics[];
  skippedWithoutSolid: number;
  eTpcf: MeanAndSd;
  eLpf: MeanAndSd;
  eD: MeanAndSd;
}

export function meanAndSd(values: readonly number[]): MeanAndSd {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, sd: 0 };
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (n - 1)) };
}

/** Tiles the volume with whole, non-overlapping patches from the corner (the remainder is left out). */
export function patchAnisotropyMetrics(volume: BinaryVolume, options: PatchAnisotropyOptions = {}): PatchAnisotropySummary {
  const slices = binarySlices(volume);
  requireIsotropicVoxels(volume);
  const [nz, ny, nx] = volume.shape;
  const patchShape: Shape3 = options.patchShape ?? [nz, Math.min(256, ny), Math.min(256, nx)];
  const [pz, py, px] = patchShape;
  if (![pz, py, px].every((n) => Number.isInteger(n) && n >= 2) || pz > nz || py > ny || px > nx) {
    throw new AppError(
      'invalid_input',
      `a patch of ${shapeText(patchShape)} does not fit: patches need at least 2 voxels along every axis and at most the volume's ${shapeText(volume.shape)}.`,
    );
  }
  const rMaxVoxels = options.rMaxVoxels ?? defaultRMaxVoxels(patchShape);
  const origins: Shape3[] = [];
  for (let z = 0; z + pz <= nz; z += pz) for (let y = 0; y + py <= ny; y += py) for (let x = 0; x + px <= nx; x += px) origins.push([z, y, x]);
  const patches: PatchMetrics[] = [];
  let skippedWithoutSolid = 0;
  origins.forEach((origin, i) => {
    throwIfAborted(options.signal);
    const patch = cropSlices(slices, volume.shape, origin, patchShape);
    if (patch.every((s) => s.every((v) => v === 0))) {
      skippedWithoutSolid++;
    } else {
      const m = anisotropyMetricsOfSlices(patch, patchShape, volume.voxelSizeNm, { rMaxVoxels });
      patches.push({ origin, solidFraction: m.solidFraction, eTpcf: m.eTpcf, eLpf: m.eLpf, eD: m.eD });
    }
    options.onProgress?.((i + 1) / origins.length);
  });
  return {
    patchShape,
    rMaxVoxels,
    patches,
    skippedWithoutSolid,
    eTpcf: meanAndSd(patches.map((p) => p.eTpcf)),
    eLpf: meanAndSd(patches.map((p) => p.eLpf)),
    eD: meanAndSd(patches.map((p) => p.eD)),
  };
}
