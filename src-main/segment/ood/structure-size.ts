// The size of the structure a first Otsu pass sees: the mean chord length (the mean
// length of the runs of one phase along the image rows and columns), in pixels and nm.
// A network learns features of a size in pixels; a stack whose chords are several times
// longer or shorter than those it was trained on is outside what it knows.
import { solidRunLengthHistogram } from '../../metrics';
import type { Shape3, VoxelSizeNm } from '../../../src-shared/volume';

export interface ChordLengths {
  /** Mean chord of the solid along x and y, pixels. */
  solidPx: number;
  /** Mean chord of the pore along x and y, pixels. */
  porePx: number;
  /** Mean of the two, pixels: the feature size. */
  meanPx: number;
  /** meanPx in nm (mean of the x and y pixel sizes). */
  meanNm: number;
}

function meanRun(h: Float64Array): [number, number] {
  let runs = 0;
  let length = 0;
  for (let l = 1; l < h.length; l++) {
    runs += h[l];
    length += l * h[l];
  }
  return [length, runs];
}

/** Mean chords of a label volume (1 = solid) in the xy planes; a phase that is absent counts 0. */
export function chordLengths(labels: Uint8Array[], shape: Shape3, voxel: VoxelSizeNm): ChordLengths {
  const inverted = labels.map((s) => s.map((v) => 1 - v));
  const mean = (slices: Uint8Array[]): number => {
    const [lx, nx] = meanRun(solidRunLengthHistogram(slices, shape, 'x'));
    const [ly, ny] = meanRun(solidRunLengthHistogram(slices, shape, 'y'));
    return nx + ny > 0 ? (lx + ly) / (nx + ny) : 0;
  };
  const solidPx = mean(labels);
  const porePx = mean(inverted);
  const meanPx = (solidPx + porePx) / 2;
  return { solidPx, porePx, meanPx, meanNm: (meanPx * (voxel.x + voxel.y)) / 2 };
}
