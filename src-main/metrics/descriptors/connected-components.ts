// Clusters of each phase with 6-connectivity (voxels sharing a face), the structure
// scipy.ndimage.label uses by default in 3D: counts, largest cluster, isolated
// material and percolation between opposite faces.
import type { Shape3 } from '../../../src-shared/volume';
import { type Axis, type BinaryVolume, binarySlices } from '../binary-volume';
import { type JobControl, type Phase, phaseMask, reportProgress } from './phase';

export interface PhaseClusters {
  /** Number of 6-connected clusters of this phase. */
  clusterCount: number;
  /** Voxels of the phase. */
  voxelCount: number;
  /** Largest cluster / voxels of the phase; null when the phase is absent. */
  largestClusterFraction: number | null;
  /** Voxels in clusters touching none of the six faces / voxels of the phase; null when absent. */
  isolatedFraction: number | null;
  /** Some cluster touches both faces perpendicular to the axis. */
  percolates: Record<Axis, boolean>;
}

export interface ConnectedComponents {
  connectivity: 6;
  solid: PhaseClusters;
  pore: PhaseClusters;
}

/**
 * Labels the 6-connected clusters of a mask (z, y, x flat): label 0 = not in the mask,
 * 1..count otherwise, numbered in scan order of their first voxel (as scipy does).
 */
export function labelClusters(mask: Uint8Array, shape: Shape3, control?: JobControl): { labels: Int32Array; count: number } {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  const labels = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    if ((count & 1023) === 0) reportProgress(control, start / mask.length);
    const id = ++count;
    labels[start] = id;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const i = stack[--top];
      const z = (i / plane) | 0, rest = i - z * plane, y = (rest / nx) | 0, x = rest - y * nx;
      let j: number;
      if (x > 0 && mask[(j = i - 1)] !== 0 && labels[j] === 0) { labels[j] = id; stack[top++] = j; }
      if (x + 1 < nx && mask[(j = i + 1)] !== 0 && labels[j] === 0) { labels[j] = id; stack[top++] = j; }
      if (y > 0 && mask[(j = i - nx)] !== 0 && labels[j] === 0) { labels[j] = id; stack[top++] = j; }
      if (y + 1 < ny && mask[(j = i + nx)] !== 0 && labels[j] === 0) { labels[j] = id; stack[top++] = j; }
      if (z > 0 && mask[(j = i - plane)] !== 0 && labels[j] === 0) { labels[j] = id; stack[top++] = j; }
      if (z + 1 < nz && mask[(j = i + plane)] !== 0 && labels[j] === 0) { labels[j] = id; stack[top++] = j; }
    }
  }
  return { labels, count };
}

/** Cluster statistics of one phase from its labels. */
export function phaseClusters(mask: Uint8Array, shape: Shape3, control?: JobControl): PhaseClusters {
  const [nz, ny, nx] = shape;
  const { labels, count } = labelClusters(mask, shape, control);
  const size = new Float64Array(count + 1);
  // Bit k set: the cluster touches face k (x0, x1, y0, y1, z0, z1).
  const faces = new Uint8Array(count + 1);
  let total = 0;
  for (let z = 0, i = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++, i++) {
    const id = labels[i];
    if (id === 0) continue;
    total++;
    size[id]++;
    faces[id] |= (x === 0 ? 1 : 0) | (x === nx - 1 ? 2 : 0) | (y === 0 ? 4 : 0) | (y === ny - 1 ? 8 : 0) | (z === 0 ? 16 : 0) | (z === nz - 1 ? 32 : 0);
  }
  let largest = 0, isolated = 0;
  const percolates = { x: false, y: false, z: false };
  for (let id = 1; id <= count; id++) {
    largest = Math.max(largest, size[id]);
    const f = faces[id];
    if (f === 0) isolated += size[id];
    if ((f & 3) === 3) percolates.x = true;
    if ((f & 12) === 12) percolates.y = true;
    if ((f & 48) === 48) percolates.z = true;
  }
  return {
    clusterCount: count,
    voxelCount: total,
    largestClusterFraction: total > 0 ? largest / total : null,
    isolatedFraction: total > 0 ? isolated / total : null,
    percolates,
  };
}

/** Clusters of solid and pore, 6-connected. */
export function connectedComponents(volume: BinaryVolume, control?: JobControl): ConnectedComponents {
  const slices = binarySlices(volume);
  const result = (phase: Phase, from: number) =>
    phaseClusters(phaseMask(slices, phase), volume.shape, control && { signal: control.signal, onProgress: (f) => control.onProgress?.(from + f / 2) });
  const solid = result('solid', 0);
  const pore = result('pore', 0.5);
  reportProgress(control, 1);
  return { connectivity: 6, solid, pore };
}
