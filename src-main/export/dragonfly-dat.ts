// Dragonfly (ORS / Comet) RAW sidecar: a `.dat` text file that names the raw
// file and gives its size, voxel size in metres and pixel type (README "Conventions",
// "Output"; the same keys as public raw/.dat readers).
//
//   ObjectFileName: vol.raw
//   Resolution: NX NY NZ
//   SliceThickness: dx dy dz      (metres)
//   Format: UCHAR | USHORT | FLOAT
//   MeasurementUnit: METER

import type { DType } from '../../src-shared/dtype';
import type { VolumeInfo } from '../../src-shared/volume';
import { formatExponent, nmToMetres } from './text-bytes';

export const DRAGONFLY_FORMAT: Record<DType, string> = { uint8: 'UCHAR', uint16: 'USHORT', float32: 'FLOAT' };

export function dragonflyDat(info: Pick<VolumeInfo, 'shape' | 'dtype' | 'voxelSizeNm'>, rawFileName: string): string {
  const [nz, ny, nx] = info.shape;
  const { x, y, z } = info.voxelSizeNm;
  const thickness = [x, y, z].map((v) => formatExponent(nmToMetres(v))).join(' ');
  return [
    `ObjectFileName: ${rawFileName}`,
    `Resolution: ${nx} ${ny} ${nz}`,
    `SliceThickness: ${thickness}`,
    `Format: ${DRAGONFLY_FORMAT[info.dtype]}`,
    'MeasurementUnit: METER',
    '',
  ].join('\n');
}
