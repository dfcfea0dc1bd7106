// The structure with known anisotropy used to validate the anisotropy metrics
// ([Sardhara2022] suppl., Fig. S1): solid spheroids stretched along z (semi-axes r, r, r * zStretch)
// on a regular square x/y grid, in layers whose z spacing grows with depth. x and y
// are equivalent by construction (same grid pitch, round cross-sections), z is not.
// Labels only (1 = solid spheroid, 0 = pore); the seed's brighter-with-depth intensity
// belongs to the image simulation, which can use anisotropicLayerCentresNm.
import type { Volume } from '../../src-shared/volume';
import { carveEllipsoid } from './carve-ellipsoid';
import { checkMemory, checkPositive, checkShape, checkVoxelSize, emptyLabelVolume, invalid, type VoxelSizeInput } from './synth-inputs';

export interface AnisotropicCheckParams {
  shape: readonly [number, number, number];
  voxelSizeNm: VoxelSizeInput;
  /** Radius in x and y (nm). Default: 4 voxels along x. */
  radiusNm?: number;
  /** z semi-axis / radius (> 1 stretches along z). Default 2. */
  zStretch?: number;
  /** Pitch of the x/y grid of centres (nm). Default 3 radii. */
  gridSpacingNm?: number;
  /** Distance between the first two layers (nm). Default 2.5 z semi-axes. */
  firstLayerSpacingNm?: number;
  /** Each layer spacing is this times the previous one (>= 1: spacing grows with depth). Default 1.15. */
  layerSpacingGrowth?: number;
}

interface ResolvedAnisotropicParams {
  radiusNm: number;
  semiZNm: number;
  gridSpacingNm: number;
  firstLayerSpacingNm: number;
  layerSpacingGrowth: number;
}

function resolve(p: AnisotropicCheckParams, voxelX: number): ResolvedAnisotropicParams {
  const radiusNm = p.radiusNm ?? 4 * voxelX;
  const zStretch = p.zStretch ?? 2;
  checkPositive('radius (nm)', radiusNm);
  checkPositive('z stretch', zStretch, ' (2 makes the spheroids twice as long along z as wide)');
  const semiZNm = radiusNm * zStretch;
  const r = {
    radiusNm,
    semiZNm,
    gridSpacingNm: p.gridSpacingNm ?? 3 * radiusNm,
    firstLayerSpacingNm: p.firstLayerSpacingNm ?? 2.5 * semiZNm,
    layerSpacingGrowth: p.layerSpacingGrowth ?? 1.15,
  };
  checkPositive('grid spacing (nm)', r.gridSpacingNm);
  checkPositive('first layer spacing (nm)', r.firstLayerSpacingNm);
  if (!(r.layerSpacingGrowth >= 1 && r.layerSpacingGrowth <= 10)) {
    throw invalid(`layer spacing growth must be between 1 and 10 (e.g. 1.15: each layer 15 % further apart), got ${r.layerSpacingGrowth}`);
  }
  return r;
}

/** z of the layer centres (nm): the first layer touches the top, spacings grow by the growth factor. */
export function anisotropicLayerCentresNm(params: AnisotropicCheckParams): number[] {
  const shape = checkShape(params.shape);
  const voxel = checkVoxelSize(params.voxelSizeNm);
  const r = resolve(params, voxel.x);
  const depthNm = shape[0] * voxel.z;
  const centres: number[] = [];
  let spacing = r.firstLayerSpacingNm;
  for (let z = r.semiZNm; z - r.semiZNm < depthNm; z += spacing, spacing *= r.layerSpacingGrowth) centres.push(z);
  return centres;
}

export function anisotropicCheckStructure(params: AnisotropicCheckParams): Volume {
  const shape = checkShape(params.shape);
  const voxel = checkVoxelSize(params.voxelSizeNm);
  const r = resolve(params, voxel.x);
  checkMemory('anisotropic check structure', shape, 1);
  const volume = emptyLabelVolume(shape, voxel);
  const labels = volume.slices as Uint8Array[];
  const [, ny, nx] = shape;
  // Centres at half a pitch from the edge: the grid looks the same from x and from y.
  const columns = (n: number, size: number) => {
    const out: number[] = [];
    for (let c = r.gridSpacingNm / 2; c < n * size; c += r.gridSpacingNm) out.push(c);
    return out;
  };
  const xs = columns(nx, voxel.x);
  const ys = columns(ny, voxel.y);
  for (const z of anisotropicLayerCentresNm(params)) {
    for (const y of ys) for (const x of xs) carveEllipsoid(labels, shape, voxel, [x, y, z], [r.radiusNm, r.radiusNm, r.semiZNm], 1);
  }
  return volume;
}
