// Quality without ground truth ([Sardhara2023] eq. 4-5): on an isotropic material the
// directional S2 and L curves agree, so their disagreement measures reconstruction error.
import { AppError, throwIfAborted } from '../../src-shared/errors';
import type { Shape3 } from '../../src-shared/volume';
import { type Axis, AXES, type BinaryVolume, binarySlices, requireIsotropicVoxels, shapeText, voxelCount } from './binary-volume';
import type { DirectionalCurve } from './directional-curve';
import { type LigamentDiametersNm, ligamentDiameterAnisotropy, ligamentDiametersNm } from './ligament-diameter';
import { linealPathOfSlices } from './lineal-path';
import { directionalAnisotropy } from './relative-l2-difference';
import { type PairCountMethod, twoPointCorrelationOfSlices } from './two-point-correlation';

export interface AnisotropyOptions {
  /** Largest r in voxel steps for every curve, 1 .. shortest side - 1; default max(1, floor(shortest side / 4)). */
  rMaxVoxels?: number;
  /** How S2 is counted; the result is the same (exact integer counts), only the time differs. */
  pairCountMethod?: PairCountMethod;
  signal?: AbortSignal;
  /** Fraction done, 0..1. */
  onProgress?: (fraction: number) => void;
}

export interface AnisotropyMetrics {
  shape: Shape3;
  rMaxVoxels: number;
  /** Solid voxels / all voxels. */
  solidFraction: number;
  twoPointCorrelation: Record<Axis, DirectionalCurve>;
  linealPath: Record<Axis, DirectionalCurve>;
  /** mean(e_L2(S2_x, S2_z), e_L2(S2_y, S2_z)) over r = 0..rMax. */
  eTpcf: number;
  /** mean(e_L2(L_x, L_z), e_L2(L_y, L_z)) over r = 0..rMax. */
  eLpf: number;
  ligamentDiameterNm: LigamentDiametersNm;
  /** (|D_xz - D_xy| + |D_yz - D_xy|) / (2 D_xy). */
  eD: number;
}

/** floor(shortest side / 4), at least 1. */
export function defaultRMaxVoxels(shape: Shape3): number {
  return Math.max(1, Math.floor(Math.min(...shape) / 4));
}

/** e_TPCF, e_LPF, e_D and the curves they come from, for a binary volume with isotropic voxels. */
export function anisotropyMetrics(volume: BinaryVolume, options: AnisotropyOptions = {}): AnisotropyMetrics {
  const slices = binarySlices(volume);
  requireIsotropicVoxels(volume);
  return anisotropyMetricsOfSlices(slices, volume.shape, volume.voxelSizeNm, options);
}

/** As anisotropyMetrics, on slices already checked by binarySlices and voxels already checked as isotropic. */
export function anisotropyMetricsOfSlices(
  slices: Uint8Array[], shape: Shape3, voxelSizeNm: Record<Axis, number>, options: AnisotropyOptions = {},
): AnisotropyMetrics {
  const shortest = Math.min(...shape);
  if (shortest < 2) {
    // With r = 0 only, every curve is the solid fraction and every metric a trivial 0.
    throw new AppError('invalid_input', `The anisotropy metrics need at least 2 voxels along every axis; the volume is ${shapeText(shape)}.`);
  }
  const rMax = options.rMaxVoxels ?? defaultRMaxVoxels(shape);
  if (!Number.isInteger(rMax) || rMax < 1 || rMax > shortest - 1) {
    throw new AppError(
      'invalid_input',
      `r max must be a whole number of voxels from 1 to ${shortest - 1} for a volume of ${shapeText(shape)}, got ${rMax}.`,
    );
  }
  let solid = 0;
  for (const s of slices) for (let i = 0; i < s.length; i++) solid += s[i];
  if (solid === 0) {
    throw new AppError('invalid_input', `The volume (${shapeText(shape)}) has no solid voxels (label 1): the anisotropy metrics describe the solid phase.`);
  }
  const s2 = {} as Record<Axis, DirectionalCurve>;
  const lp = {} as Record<Axis, DirectionalCurve>;
  AXES.forEach((axis, i) => {
    throwIfAborted(options.signal);
    s2[axis] = twoPointCorrelationOfSlices(slices, shape, voxelSizeNm[axis], axis, rMax, options.pairCountMethod);
    lp[axis] = linealPathOfSlices(slices, shape, voxelSizeNm[axis], axis, rMax);
    options.onProgress?.((i + 1) / AXES.length);
  });
  const diameters = ligamentDiametersNm(lp.x, lp.y, lp.z);
  return {
    shape: [shape[0], shape[1], shape[2]],
    rMaxVoxels: rMax,
    solidFraction: solid / voxelCount(shape),
    twoPointCorrelation: s2,
    linealPath: lp,
    eTpcf: directionalAnisotropy(s2.x.values, s2.y.values, s2.z.values),
    eLpf: directionalAnisotropy(lp.x.values, lp.y.values, lp.z.values),
    ligamentDiameterNm: diameters,
    eD: ligamentDiameterAnisotropy(diameters),
  };
}
