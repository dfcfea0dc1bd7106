// For every pixel of an imaged plane: how many voxels below the surface the
// first solid voxel lies (0 = the surface voxel is solid). Computed bottom-up in
// one pass over the structure, d_z = 0 if solid at z else d_{z+1} + 1, so the
// cost is one add per voxel whatever the depth the beam reaches.
import type { Volume } from '../../../src-shared/volume';
import { maxOf, minOf } from '../../../src-shared/min-max';
import { invalid } from '../synth-inputs';

/** Depth value of a pixel with no solid below it inside the structure. */
export const NO_SOLID_BELOW = 65535;

/** Depth maps (voxels) of the planes asked for, in the order asked. Planes must be valid z indices. */
export function depthToSolidMaps(structure: Volume, planes: readonly number[]): Uint16Array[] {
  const [nz, ny, nx] = structure.shape;
  for (const p of planes) {
    if (!Number.isInteger(p) || p < 0 || p >= nz) throw invalid(`imaged plane ${p} is outside the structure's ${nz} planes`);
  }
  const wanted = new Map<number, number[]>();
  planes.forEach((p, i) => wanted.set(p, [...(wanted.get(p) ?? []), i]));
  const out: Uint16Array[] = new Array(planes.length);
  const deepest = maxOf(planes);
  let depth = new Uint16Array(nx * ny).fill(NO_SOLID_BELOW);
  for (let z = nz - 1; z >= minOf(planes); z--) {
    const labels = structure.slices[z];
    const next = new Uint16Array(nx * ny);
    for (let i = 0; i < next.length; i++) {
      const below = depth[i];
      next[i] = labels[i] ? 0 : below >= NO_SOLID_BELOW - 1 ? NO_SOLID_BELOW : below + 1;
    }
    depth = next;
    if (z <= deepest) for (const i of wanted.get(z) ?? []) out[i] = depth;
  }
  return out;
}
