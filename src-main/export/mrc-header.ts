// MRC 2014 header (1024 bytes, little endian; https://www.ccpem.ac.uk/mrc_format/mrc2014.php):
// voxel size = cella / mx in Angstrom, so cella = n * voxel size (nm) * 10.
// Modes: uint16 -> 6, float32 -> 2. uint8 is widened to mode 6 (uint16):
// MRC 2014 defines mode 0 as SIGNED 8-bit, so values 128..255 would read back
// negative in strict readers (mrcfile); widening keeps every value exact.
// dmin/dmax/dmean/rms are filled in after streaming (header rewritten).

import type { DType } from '../../src-shared/dtype';
import type { VolumeInfo } from '../../src-shared/volume';
import { nmToMetres } from './text-bytes';

export const MRC_HEADER_BYTES = 1024;
export const MRC_MODE: Record<DType, { mode: number; bytes: number }> = {
  uint8: { mode: 6, bytes: 2 },
  uint16: { mode: 6, bytes: 2 },
  float32: { mode: 2, bytes: 4 },
};

export interface MrcStats {
  min: number;
  max: number;
  mean: number;
  rms: number;
}

/** nm -> Angstrom without 10 * 0.1-style noise (1 nm = 10 A). */
function nmToAngstrom(v: number): number {
  return nmToMetres(v) * 1e10;
}

export function mrcHeader(info: Pick<VolumeInfo, 'shape' | 'dtype' | 'voxelSizeNm' | 'zPositionsNm'>, stats?: MrcStats): Uint8Array {
  const [nz, ny, nx] = info.shape;
  const buf = new Uint8Array(MRC_HEADER_BYTES);
  const dv = new DataView(buf.buffer);
  const i32 = (at: number, v: number) => dv.setInt32(at, v, true);
  const f32 = (at: number, v: number) => dv.setFloat32(at, v, true);
  i32(0, nx); i32(4, ny); i32(8, nz);
  i32(12, MRC_MODE[info.dtype].mode);
  i32(28, nx); i32(32, ny); i32(36, nz);
  f32(40, nx * nmToAngstrom(info.voxelSizeNm.x));
  f32(44, ny * nmToAngstrom(info.voxelSizeNm.y));
  f32(48, nz * nmToAngstrom(info.voxelSizeNm.z));
  f32(52, 90); f32(56, 90); f32(60, 90);
  i32(64, 1); i32(68, 2); i32(72, 3);
  // Unknown statistics: dmax < dmin and rms < 0 (MRC 2014 convention).
  f32(76, stats?.min ?? 0); f32(80, stats?.max ?? -1); f32(84, stats?.mean ?? -2); f32(216, stats?.rms ?? -1);
  i32(88, 1); // ispg 1: a single 3D volume
  i32(92, 0); // no extended header
  i32(108, 20140);
  f32(204, nmToAngstrom(info.zPositionsNm[0] ?? 0)); // origin z (x, y stay 0)
  buf.set(new TextEncoder().encode('MAP '), 208);
  buf.set([0x44, 0x44, 0, 0], 212); // little endian machine stamp
  i32(220, 1);
  buf.set(new TextEncoder().encode('fibrecon volume export'.padEnd(80, ' ')), 224);
  return buf;
}

/** Running min / max / mean / rms (population standard deviation) over all voxels. */
export class MrcStatsTracker {
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  add(values: ArrayLike<number>): void {
    let { min, max, sum, sumSq } = this;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      sumSq += v * v;
    }
    Object.assign(this, { min, max, sum, sumSq });
    this.n += values.length;
  }

  stats(): MrcStats | undefined {
    if (this.n === 0 || !Number.isFinite(this.sum) || !Number.isFinite(this.sumSq)) return undefined;
    const mean = this.sum / this.n;
    return { min: this.min, max: this.max, mean, rms: Math.sqrt(Math.max(0, this.sumSq / this.n - mean * mean)) };
  }
}
