// MetaImage (.mhd) header for a detached little-endian .raw (ITK's MetaIO;
// Fiji's MetaImage reader takes the voxel size from ElementSize, ITK from
// ElementSpacing, so both are written). ElementDataFile must be the last
// line: readers start the data (here: the file name) right after it.
// MetaImage has no unit field; the numbers are nm, as everywhere in fibrecon.

import type { DType } from '../../src-shared/dtype';
import type { VolumeInfo } from '../../src-shared/volume';
import { formatNumber } from './text-bytes';

export const METAIMAGE_TYPE: Record<DType, string> = { uint8: 'MET_UCHAR', uint16: 'MET_USHORT', float32: 'MET_FLOAT' };

export function metaImageHeader(info: Pick<VolumeInfo, 'shape' | 'dtype' | 'voxelSizeNm'> & { zPositionsNm?: readonly number[] }, rawFileName: string): string {
  const [nz, ny, nx] = info.shape;
  const { x, y, z } = info.voxelSizeNm;
  const spacing = [x, y, z].map(formatNumber).join(' ');
  return [
    'ObjectType = Image',
    'NDims = 3',
    'BinaryData = True',
    'BinaryDataByteOrderMSB = False',
    'CompressedData = False',
    'TransformMatrix = 1 0 0 0 1 0 0 0 1',
    `Offset = 0 0 ${formatNumber(info.zPositionsNm?.[0] ?? 0)}`, // centre of voxel (0,0,0), as in amira-header.ts
    'CenterOfRotation = 0 0 0',
    `ElementSpacing = ${spacing}`,
    `ElementSize = ${spacing}`,
    `DimSize = ${nx} ${ny} ${nz}`,
    `ElementType = ${METAIMAGE_TYPE[info.dtype]}`,
    'ElementByteOrderMSB = False',
    `ElementDataFile = ${rawFileName}`,
    '',
  ].join('\n');
}
