// A synthetic "mimicking" FIB-SEM run ([Sardhara2023] 2.1.2): an isotropic binary
// structure on a fine grid (2.5 nm voxels) imaged at gamma-distributed depths
// (planMilling: mean 10.16 nm, sd 3.12 nm, whole voxels), so that measured slice i
// is exactly plane z_i / voxel of the structure. Used by the [Sardhara2023] benchmark,
// the inpainting training data and the gap-filling tests.
import type { Volume } from '../../src-shared/volume';
import { leveledWaveStructure } from './leveled-wave-structure';
import { DEFAULT_MILLING, planMilling, type MillingPlan } from './milling';
import { hnpgPreset } from './write-synthetic-sample';

export type MilledStructure = 'hnpg' | 'wave';

export interface MilledStackOptions {
  /** In-plane size, px (square). */
  size: number;
  /** Measured slices. */
  slices: number;
  structureSeed: number;
  millingSeed: number;
  /** 'hnpg': the synth preset's hierarchical structure (coarse 180 nm + fine 25 nm waves, solid 0.3); 'wave': one 60 nm leveled wave, solid 0.35. Default 'hnpg'. */
  structure?: MilledStructure;
  /** Voxel size of the structure, nm (default 2.5). */
  voxelNm?: number;
  /** Nominal slice spacing recorded as the measured stack's voxel z, nm (default 10). */
  targetNm?: number;
}

export interface MilledStack {
  /** The structure on the fine grid, planes 0 .. deepest imaged plane. */
  truth: Volume;
  /** The imaged slices with their true z positions (nm). */
  measured: Volume;
  plan: MillingPlan;
}

export function milledStack(o: MilledStackOptions): MilledStack {
  const voxel = o.voxelNm ?? 2.5;
  const plan = planMilling({ ...DEFAULT_MILLING, voxelZNm: voxel, slices: o.slices, seed: o.millingSeed });
  const nz = plan.planes[o.slices - 1] + 1;
  const common = { shape: [nz, o.size, o.size] as [number, number, number], voxelSizeNm: voxel, waves: 100, seed: o.structureSeed };
  const preset = hnpgPreset();
  const truth =
    (o.structure ?? 'hnpg') === 'wave'
      ? leveledWaveStructure({ ...common, wavelengthNm: 60, solidFraction: 0.35 })
      : leveledWaveStructure({ ...common, wavelengthNm: preset.coarse.wavelengthNm, solidFraction: preset.solidFraction, fine: preset.fine });
  const measured: Volume = {
    ...truth,
    shape: [o.slices, o.size, o.size],
    voxelSizeNm: { x: voxel, y: voxel, z: o.targetNm ?? 10 },
    zPositionsNm: plan.zPositionsNm,
    slices: plan.planes.map((p) => truth.slices[p]),
  };
  return { truth, measured, plan };
}

/** The first nz planes of a volume (shares the slice arrays). */
export function cropPlanes(v: Volume, nz: number): Volume {
  return { ...v, shape: [nz, v.shape[1], v.shape[2]], slices: v.slices.slice(0, nz), zPositionsNm: v.zPositionsNm.slice(0, nz) };
}
