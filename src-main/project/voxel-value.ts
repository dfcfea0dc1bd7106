// One voxel of a stored volume, as stored (the orthoviews' read-out of the value
// under the cursor; the planes they draw are 8-bit previews). The last slice read
// is kept decoded, so a pointer moving over one slice reads it once.
import type { Database } from 'better-sqlite3';
import type { VoxelValue } from '../../src-shared/contract';
import type { SliceArray } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';
import { getVolume, readSlice } from './volume-store';

export type VoxelReader = (db: Database, req: { volume: string; z: number; y: number; x: number }) => Promise<VoxelValue>;

export function createVoxelReader(): VoxelReader {
  let cached: { db: Database; key: string; slice: SliceArray } | null = null;
  return async (db, req) => {
    const v = getVolume(db, req.volume);
    const [nz, ny, nx] = v.shape;
    if (req.z >= nz || req.y >= ny || req.x >= nx) {
      throw new AppError('invalid_input', `Voxel (z ${req.z}, y ${req.y}, x ${req.x}) is outside "${v.name}" (${nz} x ${ny} x ${nx}, z, y, x): give indices below those.`);
    }
    // The id and creation time tell a volume from a later one stored under its name or id.
    const key = `${v.id}|${v.createdAt}|${req.z}`;
    let slice: SliceArray;
    if (cached !== null && cached.db === db && cached.key === key) slice = cached.slice;
    else {
      slice = await readSlice(db, v, req.z);
      cached = { db, key, slice };
    }
    return {
      volume: v.name,
      z: req.z,
      y: req.y,
      x: req.x,
      value: slice[req.y * nx + req.x],
      dtype: v.dtype,
      kind: v.kind,
      positionNm: { x: req.x * v.voxelSizeNm.x, y: req.y * v.voxelSizeNm.y, z: v.zPositionsNm[req.z] },
    };
  };
}
