// NRRD header (teem's NRRD0004, http://teem.sourceforge.net/nrrd/format.html),
// raw little-endian data ATTACHED after the blank line that ends the header.
// Attached rather than a detached .raw: one file to copy and archive, nothing
// to keep together, and pynrrd, ITK/3D Slicer and Fiji's NRRD reader all read
// it. `space dimension: 3` is what allows `space directions` and `space units`
// (nm) in NRRD0004; the origin is the centre of voxel (0,0,0) at (0, 0, z_0) nm, as in amira-header.ts.

import type { DType } from '../../src-shared/dtype';
import type { VolumeInfo } from '../../src-shared/volume';
import { formatNumber } from './text-bytes';

export const NRRD_TYPE: Record<DType, string> = { uint8: 'uint8', uint16: 'uint16', float32: 'float' };

export function nrrdHeader(info: Pick<VolumeInfo, 'shape' | 'dtype' | 'voxelSizeNm'> & { zPositionsNm?: readonly number[] }): string {
  const [nz, ny, nx] = info.shape;
  const [dx, dy, dz] = [info.voxelSizeNm.x, info.voxelSizeNm.y, info.voxelSizeNm.z].map(formatNumber);
  return [
    'NRRD0004',
    '# fibrecon volume export; sizes x y z, spacing in nm',
    `type: ${NRRD_TYPE[info.dtype]}`,
    'dimension: 3',
    'space dimension: 3',
    `sizes: ${nx} ${ny} ${nz}`,
    `space directions: (${dx},0,0) (0,${dy},0) (0,0,${dz})`,
    'space units: "nm" "nm" "nm"',
    `space origin: (0,0,${formatNumber(info.zPositionsNm?.[0] ?? 0)})`,
    'kinds: domain domain domain',
    'endian: little',
    'encoding: raw',
    '',
    '',
  ].join('\n');
}
