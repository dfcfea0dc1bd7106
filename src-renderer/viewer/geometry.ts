// Pure geometry of the 3D view: the physical box of a volume, the camera
// distance that frames it, clip-box maths and the ray-marching step count.
// No three.js, no DOM: unit-tested in Node.
import type { Shape3 } from './downsample';
import type { ClipBox } from './viewer-state';

export interface VoxelSizeNm {
  x: number;
  y: number;
  z: number;
}

/** Samples per voxel along a ray (in the uploaded texture's voxels). */
export const SAMPLES_PER_VOXEL = 1.5;
/** Upper bound on samples per ray; also the shader's loop bound. */
export const MAX_STEPS = 2048;

/**
 * Physical extent of the volume in nm, per axis [x, y, z] = [nx*vx, ny*vy, nz*vz],
 * and the same scaled so that the largest side is 1 (the box drawn in the scene).
 */
export function physicalBox(shape: Shape3, voxel: VoxelSizeNm): { extentNm: [number, number, number]; box: [number, number, number] } {
  for (const k of ['x', 'y', 'z'] as const) {
    if (!(voxel[k] > 0) || !Number.isFinite(voxel[k])) throw new Error(`voxel size ${k} must be a positive number of nm, got ${voxel[k]}`);
  }
  const [nz, ny, nx] = shape;
  const extentNm: [number, number, number] = [nx * voxel.x, ny * voxel.y, nz * voxel.z];
  const m = Math.max(...extentNm);
  return { extentNm, box: extentNm.map((e) => e / m) as [number, number, number] };
}

/**
 * Distance from the centre at which a perspective camera (vertical field of
 * view fovYDeg, width/height aspect) sees the whole sphere of radius r, with a
 * margin (1.1 = 10 % free around it).
 */
export function fitDistance(radius: number, fovYDeg: number, aspect: number, margin = 1.1): number {
  const halfY = (fovYDeg * Math.PI) / 360;
  const halfX = Math.atan(Math.tan(halfY) * aspect);
  const half = Math.min(halfY, halfX);
  return (radius * margin) / Math.sin(half);
}

/** Radius of the sphere around a box of sides [a, b, c]. */
export function boundingRadius(box: [number, number, number]): number {
  return 0.5 * Math.hypot(box[0], box[1], box[2]);
}

/** The clip box as texture-space corners: min and max [x, y, z] in 0..1. */
export function clipCorners(clip: ClipBox): { min: [number, number, number]; max: [number, number, number] } {
  return { min: [clip.x[0], clip.y[0], clip.z[0]], max: [clip.x[1], clip.y[1], clip.z[1]] };
}

/** True when the clip box keeps no volume (some axis has min == max). */
export function clipIsEmpty(clip: ClipBox): boolean {
  return clip.x[0] >= clip.x[1] || clip.y[0] >= clip.y[1] || clip.z[0] >= clip.z[1];
}

/**
 * Slab test of a ray (origin o, direction d) against the box [lo, hi]:
 * the entry and exit parameters, or null when it misses. The fragment shader
 * does the same; this copy is for tests and picking.
 */
export function rayBox(o: [number, number, number], d: [number, number, number], lo: [number, number, number], hi: [number, number, number]): [number, number] | null {
  let tNear = -Infinity;
  let tFar = Infinity;
  for (let i = 0; i < 3; i += 1) {
    if (d[i] === 0) {
      if (o[i] < lo[i] || o[i] > hi[i]) return null;
      continue;
    }
    const t1 = (lo[i] - o[i]) / d[i];
    const t2 = (hi[i] - o[i]) / d[i];
    tNear = Math.max(tNear, Math.min(t1, t2));
    tFar = Math.min(tFar, Math.max(t1, t2));
  }
  tNear = Math.max(tNear, 0);
  return tNear <= tFar ? [tNear, tFar] : null;
}

/**
 * Samples along a ray segment: SAMPLES_PER_VOXEL per voxel crossed (the
 * segment's length measured in voxels of the uploaded texture), at least 1,
 * at most MAX_STEPS. texDelta is the segment in texture coordinates [x, y, z],
 * textureShape is [nz, ny, nx].
 */
export function stepCount(texDelta: [number, number, number], textureShape: Shape3): number {
  const [nz, ny, nx] = textureShape;
  const voxels = Math.hypot(texDelta[0] * nx, texDelta[1] * ny, texDelta[2] * nz);
  return Math.min(MAX_STEPS, Math.max(1, Math.ceil(voxels * SAMPLES_PER_VOXEL)));
}
