// Which volume a step offers first: the newest one that suits it (the project
// lists volumes oldest first), so that each step starts from what the step
// before it made (after registration, the registered volumes; after
// segmentation, the labels). Pure, for Node tests.
import type { VolumeSummary } from '../../src-shared/contract';

type Volume = Pick<VolumeSummary, 'name' | 'kind' | 'role' | 'metadata'>;

/** The newest volume that passes the first test any volume passes; undefined when none passes any. */
export function newestVolume<T extends Volume>(volumes: readonly T[], ...tests: ((v: T) => boolean)[]): T | undefined {
  for (const test of tests) {
    for (let i = volumes.length - 1; i >= 0; i--) if (test(volumes[i])) return volumes[i];
  }
  return undefined;
}

/** A reconstruction (repositioned onto a grid of planes). */
export const isReconstruction = (v: Volume): boolean => typeof v.metadata?.planes === 'number';

/** What registration aligns: grey volumes not registered yet (labels and probabilities are results, not images). */
export const registrable = (v: Volume): boolean => v.kind === 'grey' && v.metadata?.registeredFrom === undefined;

/** The Reconstruction step's default input: the newest volume not yet reconstructed (the segmentation just made, else the registered or imported stack). */
export function defaultReconstructInput<T extends Volume>(volumes: readonly T[]): T | undefined {
  return newestVolume(volumes, (v) => v.kind !== 'probability' && !isReconstruction(v), (v) => v.kind !== 'probability');
}

/** The Segmentation step's default input: the newest grey stack not reconstructed (after registration, the registered one), else the newest grey volume. */
export function defaultSegmentInput<T extends Volume>(volumes: readonly T[]): T | undefined {
  return newestVolume(volumes, (v) => v.kind === 'grey' && !isReconstruction(v), (v) => v.kind === 'grey');
}

/** The Export step's default: the newest reconstruction, else the newest volume. */
export function defaultExportVolume<T extends Volume>(volumes: readonly T[]): T | undefined {
  return newestVolume(volumes, isReconstruction, () => true);
}
