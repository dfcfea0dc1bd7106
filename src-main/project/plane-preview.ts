// Planes of a stored volume for the 2D orthoviews: xy = one slice; xz = row y of
// every slice (rows of the image = slices); yz = column x of every slice. Each is
// scaled to 0..255 over its own min..max (labels: 0 / 255) and downsampled to at
// most maxSize px on the long side. pixelNm gives the physical size of a pixel as
// sent (z uses the nominal slice spacing; uneven z is shown evenly spaced).
// xz / yz read every slice of the volume: cost grows with the depth.
import type { Database } from 'better-sqlite3';
import type { PlaneImage } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { SliceArray } from '../../src-shared/dtype';
import type { PlaneAxis } from '../../src-shared/pipeline-methods';
import { grey8Preview } from './slice-preview';
import { getVolume, readSlice } from './volume-store';

export async function readPlane(db: Database, name: string, axis: PlaneAxis, index: number, maxSize = 1024): Promise<PlaneImage> {
  const v = getVolume(db, name);
  const [nz, ny, nx] = v.shape;
  const limit = axis === 'xy' ? nz : axis === 'xz' ? ny : nx;
  if (index >= limit) {
    throw new AppError('invalid_input', `"${name}" has ${limit} ${axis === 'xy' ? 'slices' : axis === 'xz' ? 'rows' : 'columns'}; plane ${index} does not exist (0..${limit - 1})`);
  }
  let plane: SliceArray;
  let width: number;
  let height: number;
  let u: number;
  let vNm: number;
  if (axis === 'xy') {
    plane = await readSlice(db, v, index);
    [width, height, u, vNm] = [nx, ny, v.voxelSizeNm.x, v.voxelSizeNm.y];
  } else {
    width = axis === 'xz' ? nx : ny;
    height = nz;
    [u, vNm] = [axis === 'xz' ? v.voxelSizeNm.x : v.voxelSizeNm.y, v.voxelSizeNm.z];
    const first = await readSlice(db, v, 0);
    plane = new (first.constructor as new (n: number) => SliceArray)(width * height);
    for (let z = 0; z < nz; z++) {
      const s = z === 0 ? first : await readSlice(db, v, z);
      if (axis === 'xz') plane.set(s.subarray(index * nx, (index + 1) * nx), z * width);
      else for (let y = 0; y < ny; y++) plane[z * width + y] = s[y * nx + index];
    }
  }
  const p = grey8Preview(plane, width, height, maxSize);
  if (v.kind === 'labels') {
    // 0 / 1 labels as black / white whatever the plane holds (a plane of only solid stays white).
    for (let i = 0; i < p.data.length; i++) p.data[i] = p.data[i] > 0 || p.min > 0 ? 255 : 0;
  }
  return {
    volume: name,
    axis,
    index,
    width: p.width,
    height: p.height,
    grey8Base64: Buffer.from(p.data).toString('base64'),
    min: p.min,
    max: p.max,
    pixelNm: { u: (u * width) / p.width, v: (vNm * height) / p.height },
  };
}
