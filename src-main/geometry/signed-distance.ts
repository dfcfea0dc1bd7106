// Signed distance to the phase boundary in one label plane (shape-based
// interpolation, Raya & Udupa 1990; Herman et al. 1992): positive inside solid
// (distance to the nearest pore pixel), negative inside pore (minus the distance to
// the nearest solid pixel), in nm with the plane's own x and y pixel sizes. Exact
// Euclidean distances (descriptors/distance-transform.ts, = scipy's
// distance_transform_edt). A plane without any pore (or without any solid) has no
// boundary: its distances are capped at `capNm` so that splines stay finite.
import { squaredDistanceToBackgroundNm2 } from '../metrics/descriptors/distance-transform';

/** Signed distance (nm) of every pixel of a 0/1 plane of ny x nx pixels. */
export function signedDistancePlane(labels: ArrayLike<number>, ny: number, nx: number, pixelNm: { x: number; y: number }, capNm: number): Float32Array {
  const n = ny * nx;
  const solid = new Uint8Array(n);
  const pore = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = labels[i] ? 1 : 0;
    solid[i] = s;
    pore[i] = 1 - s;
  }
  const voxel = { x: pixelNm.x, y: pixelNm.y, z: 1 };
  const toPore = squaredDistanceToBackgroundNm2(solid, [1, ny, nx], voxel);
  const toSolid = squaredDistanceToBackgroundNm2(pore, [1, ny, nx], voxel);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = solid[i] ? Math.sqrt(toPore[i]) : -Math.sqrt(toSolid[i]);
    out[i] = d > capNm ? capNm : d < -capNm ? -capNm : d;
  }
  return out;
}
