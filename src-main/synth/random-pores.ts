// Random pore generation method (RPGM, [SardharaThesis2024] ch. 2.1.1.3): start fully solid,
// carve void spheres at uniformly random centres with Gaussian radii, overlaps
// allowed, until the requested porosity is reached or `count` spheres are placed.
// Radii are N(mean, sd) truncated to r > 0 by redrawing. A voxel is carved when its
// centre lies within the sphere (distances in nm, per-axis voxel size). Porosity is
// reached from below and overshoots by at most the last sphere's volume.
import type { Volume } from '../../src-shared/volume';
import { throwIfAborted } from '../../src-shared/errors';
import type { JobControl } from './leveled-wave-field';
import { seededRandom, type SeededRandom } from './seeded-random';
import {
  checkFraction, checkMemory, checkNonNegative, checkPositive, checkSeed, checkShape, checkVoxelSize, emptyLabelVolume, invalid,
  type VoxelSizeInput,
} from './synth-inputs';
import { carveEllipsoid } from './carve-ellipsoid';

export interface RandomPoresParams {
  shape: readonly [number, number, number];
  voxelSizeNm: VoxelSizeInput;
  meanRadiusNm: number;
  sdRadiusNm: number;
  /** Target pore fraction (0, 1); give this or count. */
  porosity?: number;
  /** Exact number of spheres; give this or porosity. */
  count?: number;
  seed: number;
}

export interface PoreSphere {
  /** Centre (x, y, z) in nm, voxel i spanning [i, i + 1) * voxel size. */
  centreNm: [number, number, number];
  radiusNm: number;
}

/** Safety stops for the porosity mode (and the largest count accepted). */
export const MAX_PORE_SPHERES = 5_000_000;
const MAX_IDLE_SPHERES = 20_000;

function drawRadius(rng: SeededRandom, mean: number, sd: number): number {
  for (let tries = 0; tries < 1000; tries++) {
    const r = mean + sd * rng.gaussian();
    if (r > 0) return r;
  }
  throw invalid(`pore radii ${mean} +- ${sd} nm are almost never positive: use a standard deviation well below the mean`);
}

/** The RPGM volume (1 = solid, 0 = pore) and the spheres that were carved, in the order drawn. */
export function carveRandomPores(params: RandomPoresParams, control: JobControl = {}): { volume: Volume; spheres: PoreSphere[] } {
  const shape = checkShape(params.shape);
  const voxel = checkVoxelSize(params.voxelSizeNm);
  checkPositive('mean pore radius (nm)', params.meanRadiusNm);
  checkNonNegative('standard deviation of the pore radius (nm)', params.sdRadiusNm);
  checkSeed(params.seed);
  if ((params.porosity === undefined) === (params.count === undefined)) {
    throw invalid('give either a porosity (pore fraction to reach) or a count (number of spheres), not both or neither');
  }
  if (params.porosity !== undefined) checkFraction('porosity', params.porosity);
  if (params.count !== undefined && !(Number.isInteger(params.count) && params.count >= 0 && params.count <= MAX_PORE_SPHERES)) {
    throw invalid(`number of pore spheres must be an integer from 0 to ${MAX_PORE_SPHERES}, got ${params.count}`);
  }
  checkMemory('random-pore structure', shape, 1);

  const [nz, ny, nx] = shape;
  const volume = emptyLabelVolume(shape, voxel, 1);
  const labels = volume.slices as Uint8Array[];
  const rng = seededRandom(params.seed);
  const spheres: PoreSphere[] = [];
  let pores = 0;
  let idleSpheres = 0; // spheres in a row that carved nothing new
  const place = (): void => {
    if ((spheres.length & 1023) === 0) throwIfAborted(control.signal);
    const centreNm: [number, number, number] = [rng.uniform() * nx * voxel.x, rng.uniform() * ny * voxel.y, rng.uniform() * nz * voxel.z];
    const radiusNm = drawRadius(rng, params.meanRadiusNm, params.sdRadiusNm);
    spheres.push({ centreNm, radiusNm });
    const carved = carveEllipsoid(labels, shape, voxel, centreNm, [radiusNm, radiusNm, radiusNm], 0);
    pores += carved;
    idleSpheres = carved > 0 ? 0 : idleSpheres + 1;
  };
  if (params.count !== undefined) {
    for (let i = 0; i < params.count; i++) place();
    return { volume, spheres };
  }
  const targetPores = Math.round(params.porosity! * nx * ny * nz);
  while (pores < targetPores) {
    // Radii far below a voxel rarely contain a voxel centre: give up rather than loop for ever.
    if (idleSpheres >= MAX_IDLE_SPHERES || spheres.length >= MAX_PORE_SPHERES) {
      throw invalid(
        `porosity ${params.porosity} not reached after ${spheres.length} spheres (porosity ${(pores / (nx * ny * nz)).toFixed(3)}): ` +
          `radii of ${params.meanRadiusNm} nm barely cover a voxel; use larger pores or a finer voxel size`,
      );
    }
    place();
  }
  return { volume, spheres };
}

export function randomPoresStructure(params: RandomPoresParams, control: JobControl = {}): Volume {
  return carveRandomPores(params, control).volume;
}
