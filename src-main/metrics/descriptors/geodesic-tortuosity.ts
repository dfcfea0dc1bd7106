// Geodesic tortuosity ([Wijaya2024], Methods; Neumann et al. 2019): within one phase, the shortest
// path length from the inlet face to a voxel of the outlet face divided by the straight
// distance between the faces. Paths are Dijkstra shortest paths on the voxel graph
// (26-connected by default, 6 on request), each step weighted by its length in nm.
import { AppError } from '../../../src-shared/errors';
import type { Shape3, VoxelSizeNm } from '../../../src-shared/volume';
import { type Axis, AXES, axisLength, type BinaryVolume, binarySlices, shapeText } from '../binary-volume';
import { type JobControl, type Phase, phaseMask, reportProgress, requireVoxelSize } from './phase';

export type VoxelConnectivity = 6 | 26;

export interface AxisTortuosity {
  axis: Axis;
  /** Some outlet voxel is reachable from the inlet face within the phase (with this connectivity). */
  percolates: boolean;
  /** Mean over reachable outlet-face voxels of geodesic distance / straight length; null when not percolating. */
  tortuosity: number | null;
  /** (n - 1) voxel size along the axis: centre of the inlet face to centre of the outlet face, nm. */
  straightLengthNm: number;
  /** Outlet-face voxels of the phase reached / outlet-face voxels of the phase. */
  reachedOutletFraction: number | null;
}

export interface GeodesicTortuosity {
  connectivity: VoxelConnectivity;
  solid: Record<Axis, AxisTortuosity>;
  pore: Record<Axis, AxisTortuosity>;
}

export interface GeodesicTortuosityOptions extends JobControl {
  connectivity?: VoxelConnectivity;
}

/** A binary min-heap of (key, voxel) with stale entries skipped by the caller. */
class MinHeap {
  private keys = new Float64Array(1024);
  private ids = new Int32Array(1024);
  size = 0;
  push(key: number, id: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2); k.set(this.keys); this.keys = k;
      const d = new Int32Array(this.size * 2); d.set(this.ids); this.ids = d;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p] <= key) break;
      this.keys[i] = this.keys[p]; this.ids[i] = this.ids[p]; i = p;
    }
    this.keys[i] = key; this.ids[i] = id;
  }
  /** Removes the smallest; returns its voxel; its key is in `lastKey`. */
  lastKey = 0;
  pop(): number {
    const id = this.ids[0];
    this.lastKey = this.keys[0];
    const key = this.keys[--this.size], last = this.ids[this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.keys[c + 1] < this.keys[c]) c++;
      if (this.keys[c] >= key) break;
      this.keys[i] = this.keys[c]; this.ids[i] = this.ids[c]; i = c;
    }
    this.keys[i] = key; this.ids[i] = last;
    return id;
  }
}

/**
 * Geodesic distance (nm) within the mask from the voxels of the mask on the inlet face
 * (index 0 along `axis`, distance 0) to every voxel; Infinity where unreachable or outside the mask.
 */
export function geodesicDistanceFromFaceNm(
  mask: Uint8Array, shape: Shape3, voxelSizeNm: VoxelSizeNm, axis: Axis, connectivity: VoxelConnectivity = 26, control?: JobControl,
): Float64Array {
  const [nz, ny, nx] = shape;
  const plane = ny * nx;
  const sdz: number[] = [], sdy: number[] = [], sdx: number[] = [], lens: number[] = [], offs: number[] = [];
  for (let dz = -1; dz <= 1; dz++) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
    const k = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
    if (k === 0 || (connectivity === 6 && k > 1)) continue;
    sdz.push(dz); sdy.push(dy); sdx.push(dx); offs.push(dz * plane + dy * nx + dx);
    lens.push(Math.sqrt((dz * voxelSizeNm.z) ** 2 + (dy * voxelSizeNm.y) ** 2 + (dx * voxelSizeNm.x) ** 2));
  }
  const nSteps = offs.length;
  const dist = new Float64Array(mask.length).fill(Infinity);
  const done = new Uint8Array(mask.length);
  const heap = new MinHeap();
  for (let z = 0, i = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++, i++) {
    const onInlet = axis === 'x' ? x === 0 : axis === 'y' ? y === 0 : z === 0;
    if (onInlet && mask[i]) { dist[i] = 0; heap.push(0, i); }
  }
  let settled = 0;
  while (heap.size > 0) {
    const i = heap.pop();
    if (done[i] || heap.lastKey > dist[i]) continue;
    done[i] = 1;
    if ((++settled & 65535) === 0) reportProgress(control, settled / mask.length);
    const z = (i / plane) | 0, rest = i - z * plane, y = (rest / nx) | 0, x = rest - y * nx;
    const interior = z > 0 && z < nz - 1 && y > 0 && y < ny - 1 && x > 0 && x < nx - 1;
    const di = dist[i];
    for (let k = 0; k < nSteps; k++) {
      if (!interior) {
        const zz = z + sdz[k], yy = y + sdy[k], xx = x + sdx[k];
        if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx) continue;
      }
      const j = i + offs[k];
      if (mask[j] === 0 || done[j] === 1) continue;
      const d = di + lens[k];
      if (d < dist[j]) { dist[j] = d; heap.push(d, j); }
    }
  }
  return dist;
}

/** Tortuosity of one phase along one axis from its geodesic distance map. */
export function axisTortuosity(mask: Uint8Array, shape: Shape3, voxelSizeNm: VoxelSizeNm, axis: Axis, connectivity: VoxelConnectivity, control?: JobControl): AxisTortuosity {
  const [nz, ny, nx] = shape;
  const n = axisLength(shape, axis);
  const straight = (n - 1) * voxelSizeNm[axis];
  const dist = geodesicDistanceFromFaceNm(mask, shape, voxelSizeNm, axis, connectivity, control);
  let outlet = 0, reached = 0, sum = 0;
  for (let z = 0, i = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++, i++) {
    const onOutlet = axis === 'x' ? x === nx - 1 : axis === 'y' ? y === ny - 1 : z === nz - 1;
    if (!onOutlet || !mask[i]) continue;
    outlet++;
    if (dist[i] < Infinity) { reached++; sum += dist[i] / straight; }
  }
  return {
    axis,
    percolates: reached > 0,
    tortuosity: reached > 0 ? sum / reached : null,
    straightLengthNm: straight,
    reachedOutletFraction: outlet > 0 ? reached / outlet : null,
  };
}

/** Geodesic tortuosity of solid and pore along x, y and z (at least 2 voxels per axis; any voxel size). */
export function geodesicTortuosity(volume: BinaryVolume, options: GeodesicTortuosityOptions = {}): GeodesicTortuosity {
  const slices = binarySlices(volume);
  requireVoxelSize(volume.voxelSizeNm);
  const connectivity = options.connectivity ?? 26;
  if (connectivity !== 6 && connectivity !== 26) {
    throw new AppError('invalid_input', `The voxel connectivity must be 6 (faces) or 26 (faces, edges and corners), got ${connectivity}.`);
  }
  if (Math.min(...volume.shape) < 2) {
    throw new AppError('invalid_input', `The tortuosity needs at least 2 voxels along every axis (an inlet and an outlet face); the volume is ${shapeText(volume.shape)}.`);
  }
  const out = { connectivity, solid: {}, pore: {} } as GeodesicTortuosity;
  let job = 0;
  for (const phase of ['solid', 'pore'] as Phase[]) {
    const mask = phaseMask(slices, phase);
    for (const axis of AXES) {
      const from = job++ / 6;
      out[phase][axis] = axisTortuosity(mask, volume.shape, volume.voxelSizeNm, axis, connectivity, {
        signal: options.signal,
        onProgress: (f) => options.onProgress?.(from + f / 6),
      });
      reportProgress(options, job / 6);
    }
  }
  return out;
}
