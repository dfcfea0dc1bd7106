// Uniform-lattice formats (AmiraMesh, RAW + .dat, MetaImage, NRRD, MRC) store
// one z spacing. They must refuse slices at uneven z instead of silently
// placing them on a regular grid.

import { AppError } from '../../src-shared/errors';
import { roundedPair } from '../../src-shared/format-number';
import { volumeInfoProblems, type VolumeInfo } from '../../src-shared/volume';

/** Relative tolerance on each slice gap versus voxelSizeNm.z. */
export const UNIFORM_Z_REL_TOLERANCE = 1e-6;

/** The first slice gap that differs from voxelSizeNm.z by more than the tolerance, or undefined. */
export function firstUnevenGap(info: Pick<VolumeInfo, 'voxelSizeNm' | 'zPositionsNm'>): { index: number; gapNm: number } | undefined {
  const dz = info.voxelSizeNm.z;
  const z = info.zPositionsNm;
  for (let i = 1; i < z.length; i++) {
    const gap = z[i] - z[i - 1];
    if (!(Math.abs(gap - dz) <= UNIFORM_Z_REL_TOLERANCE * dz)) return { index: i - 1, gapNm: gap };
  }
  return undefined;
}

export function hasUniformZ(info: Pick<VolumeInfo, 'voxelSizeNm' | 'zPositionsNm'>): boolean {
  return firstUnevenGap(info) === undefined;
}

/** Throws AppError('invalid_input') for an invalid volume, or one whose slices are not evenly spaced at voxelSizeNm.z. */
export function requireValidVolume(info: VolumeInfo, formatName: string, uniformZ: boolean): void {
  const problems = volumeInfoProblems(info);
  if (problems.length) throw new AppError('invalid_input', `Cannot export this volume as ${formatName}: ${problems.join('; ')}.`);
  if (!uniformZ) return;
  const uneven = firstUnevenGap(info);
  if (uneven) throw new AppError('invalid_input', unevenZMessage(formatName, uneven, info.voxelSizeNm.z));
}

/** Why a one-spacing format cannot take slices at uneven z, the numbers rounded to what tells them apart. */
export function unevenZMessage(formatName: string, uneven: { index: number; gapNm: number }, zNm: number): string {
  const [gap, z] = roundedPair(uneven.gapNm, zNm);
  return (
    `${formatName} stores one slice spacing, but the slices are not evenly spaced: slices ${uneven.index} and ${uneven.index + 1} ` +
    `are ${gap} nm apart while the voxel size along z is ${z} nm. ` +
    'Reposition the slices and fill the gaps first, or use the stacked-slices export (Avizo .asi), which keeps each slice at its z.'
  );
}
