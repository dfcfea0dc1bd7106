// Milled slice thicknesses of a synthetic run ([Sardhara2023] 2.1.2, [Sardhara2024]
// 2.1.1): drawn from a gamma distribution around the target (real ruler data:
// mean 10.16 nm, sd 3.12 nm), discretised to the structure's voxel size, at
// least one voxel, so that every imaged slice is a plane of the structure
// (the "mimicking" dataset: slice i shows the plane at z_i).
import { zPositionsFromThickness } from '../../../src-shared/volume';
import { seededRandom } from '../seeded-random';
import { checkPositive, checkSeed, invalid } from '../synth-inputs';
import { gammaDeviate, gammaFromMeanSd } from './gamma';

export interface MillingParams {
  meanNm: number;
  sdNm: number;
  /** Voxel size along z of the structure, nm: thicknesses are multiples of it. */
  voxelZNm: number;
  /** Number of imaged slices. */
  slices: number;
  seed: number;
}

export const DEFAULT_MILLING = { meanNm: 10.16, sdNm: 3.12 };

export interface MillingPlan {
  /** The continuous gamma draws, nm, length slices - 1. */
  drawnNm: number[];
  /** thickness[i] between slice i and i + 1, nm, a multiple of voxelZNm (>= 1 voxel). */
  thicknessNm: number[];
  /** z_0 = 0, z_{i+1} = z_i + thickness[i], nm. */
  zPositionsNm: number[];
  /** Structure plane imaged by each slice: z_i / voxelZNm. */
  planes: number[];
}

export function planMilling(p: MillingParams): MillingPlan {
  checkPositive('voxel size along z (nm)', p.voxelZNm);
  checkSeed(p.seed);
  if (!Number.isInteger(p.slices) || p.slices < 1) throw invalid(`number of slices must be a positive integer, got ${p.slices}`);
  const { shape, scale } = gammaFromMeanSd(p.meanNm, p.sdNm);
  const rng = seededRandom(p.seed, 0x6a11);
  const drawnNm: number[] = [];
  const steps: number[] = [];
  for (let i = 0; i < p.slices - 1; i++) {
    const t = gammaDeviate(shape, scale, rng);
    drawnNm.push(t);
    steps.push(Math.max(1, Math.round(t / p.voxelZNm)));
  }
  const planes = [0];
  for (const s of steps) planes.push(planes[planes.length - 1] + s);
  const thicknessNm = steps.map((s) => s * p.voxelZNm);
  return { drawnNm, thicknessNm, zPositionsNm: zPositionsFromThickness(thicknessNm), planes };
}

/** Structure planes needed below the last imaged slice for the deepest shine-through of the run. */
export function planesNeeded(plan: MillingPlan, depthMarginPlanes: number): number {
  return plan.planes[plan.planes.length - 1] + 1 + depthMarginPlanes;
}
