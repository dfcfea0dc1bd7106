// The residual translation between two stored volumes of one size at slice z,
// by the app's phase correlation (the Registration step's cross-channel check:
// after registration it should be a fraction of a pixel).
import type { Database } from 'better-sqlite3';
import type { ChannelShift } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { phaseCorrelationShift } from '../geometry/register';
import { getVolume, readSlice } from './volume-store';

export async function measureChannelShift(db: Database, reference: string, moving: string, z: number): Promise<ChannelShift> {
  const ref = getVolume(db, reference);
  const mov = getVolume(db, moving);
  const [nz, ny, nx] = ref.shape;
  if (mov.shape[1] !== ny || mov.shape[2] !== nx) {
    throw new AppError(
      'size_mismatch',
      `"${moving}" is ${mov.shape[2]} x ${mov.shape[1]} px but "${reference}" is ${nx} x ${ny} px: compare volumes of one size (register them together first).`,
    );
  }
  const slices = Math.min(nz, mov.shape[0]);
  if (z >= slices) throw new AppError('invalid_input', `"${reference}" and "${moving}" have ${slices} slices in common; slice ${z} does not exist (0..${slices - 1}).`);
  const s = phaseCorrelationShift(await readSlice(db, ref, z), await readSlice(db, mov, z), nx, ny);
  return { reference, moving, z, dxPx: s.dx, dyPx: s.dy, dxNm: s.dx * ref.voxelSizeNm.x, dyNm: s.dy * ref.voxelSizeNm.y, peak: s.peak };
}
