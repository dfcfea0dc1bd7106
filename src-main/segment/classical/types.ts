// Shared shapes of the classical (non-learning) segmentation methods.
import type { ProgressCallback } from '../../../src-shared/progress';
import type { Volume } from '../../../src-shared/volume';

export interface ClassicalOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Label only this slice (a preview): thresholds still come from the whole stack; every other slice of `labels` is an empty array. */
  onlySlice?: number;
}

export type ClassicalMethod = 'otsu' | 'multi-otsu' | 'kmeans' | 'hybrid';

/** What every classical method returns. */
export interface ClassicalResult {
  method: ClassicalMethod;
  /** uint8 label volume, 1 = solid, 0 = pore; same shape, voxel size and z positions as the input. */
  labels: Volume;
  /**
   * Thresholds in grey values of the input, ascending. Class k of a voxel with
   * value v = number of thresholds t with v > t (a value equal to a threshold
   * goes to the darker class; note np.digitize would put it in the brighter one).
   */
  thresholds: number[];
  /** Grey value above which (strictly) a voxel is labelled solid. */
  solidAbove: number;
  /** One or two sentences for the user: how the threshold was found and what is solid. */
  convention: string;
}
