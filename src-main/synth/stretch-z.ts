// Makes a structure anisotropic on purpose (for the metric tests): every slice is
// repeated or dropped by nearest-neighbour resampling along z, the voxel size is
// kept, so features become `factor` times longer along z than in x and y.
import type { Volume } from '../../src-shared/volume';
import { uniformZPositions } from '../../src-shared/volume';
import { DTYPES } from '../../src-shared/dtype';
import { checkMemory, checkPositive, invalid } from './synth-inputs';

/** Output slice k takes input slice floor((k + 0.5) / factor): nz_out = round(nz * factor). Slices are copies. */
export function stretchZ(volume: Volume, factor: number): Volume {
  checkPositive('stretch factor', factor, ' (e.g. 1.5 makes features 1.5 times longer along z)');
  const [nz, ny, nx] = volume.shape;
  const nzOut = Math.round(nz * factor);
  if (nzOut < 1) throw invalid(`stretching ${nz} slices by ${factor} leaves no slice: use a factor of at least ${1 / (2 * nz)}`);
  checkMemory('stretched volume', [nzOut, ny, nx], DTYPES[volume.dtype].bytes);
  const slices = Array.from({ length: nzOut }, (_, k) => volume.slices[Math.min(nz - 1, Math.floor((k + 0.5) / factor))].slice());
  return {
    shape: [nzOut, ny, nx],
    dtype: volume.dtype,
    voxelSizeNm: { ...volume.voxelSizeNm },
    zPositionsNm: uniformZPositions(nzOut, volume.voxelSizeNm.z),
    slices,
  };
}
