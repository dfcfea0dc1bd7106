// What every descriptor shares: the two phases of a binary label volume, the job
// controls (cancel in, progress out) and a check of the voxel size.
import { AppError, throwIfAborted } from '../../../src-shared/errors';
import type { VoxelSizeNm } from '../../../src-shared/volume';

/** 'solid' = label 1, 'pore' = label 0. */
export type Phase = 'solid' | 'pore';
export const PHASES: readonly Phase[] = ['solid', 'pore'];

export function phaseLabel(phase: Phase): 0 | 1 {
  return phase === 'solid' ? 1 : 0;
}

/** Cancel signal in, fraction done (0..1) out: every long descriptor takes these. */
export interface JobControl {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** Calls onProgress and checks the signal; cheap enough for once per slice. */
export function reportProgress(control: JobControl | undefined, fraction: number): void {
  throwIfAborted(control?.signal);
  control?.onProgress?.(Math.min(1, Math.max(0, fraction)));
}

/** Refuses a voxel size that is not three positive finite numbers of nm. */
export function requireVoxelSize(voxelSizeNm: VoxelSizeNm): void {
  for (const axis of ['x', 'y', 'z'] as const) {
    const v = voxelSizeNm[axis];
    if (!Number.isFinite(v) || v <= 0) {
      throw new AppError('invalid_input', `voxel size along ${axis} must be a positive number of nm, got ${v}.`);
    }
  }
}

/** One flat Uint8Array (z, y, x), x fastest, 1 where the voxel belongs to the phase. */
export function phaseMask(slices: readonly Uint8Array[], phase: Phase): Uint8Array {
  const n = slices.length === 0 ? 0 : slices[0].length;
  const out = new Uint8Array(slices.length * n);
  const want = phaseLabel(phase);
  slices.forEach((s, k) => {
    const o = k * n;
    for (let i = 0; i < n; i++) out[o + i] = s[i] === want ? 1 : 0;
  });
  return out;
}
