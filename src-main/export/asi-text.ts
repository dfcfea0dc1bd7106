// Amira / Avizo "stacked slices" description (.asi), as documented for
// Amira's Stacked Slices reader (the format description reproduced in Golden
// Software's Voxler/Surfer help, "Amira Stacked Slices .ASI File Description"):
//
//   # Amira Stacked Slices
//   pixelsize dx dy          (optional; lattice spacing per pixel)
//   name_0000.tif z0         (one line per image, optional z position)
//   ...
//   end
//
// Without a `pathname` line the images lie beside the .asi file. All numbers
// are nm; uneven z positions give Amira a rectilinear lattice, so the
// measured slice positions survive the export.

import type { VoxelSizeNm } from '../../src-shared/volume';
import { formatNumber } from './text-bytes';

export function stackedSlicesText(voxelSizeNm: Pick<VoxelSizeNm, 'x' | 'y'>, images: readonly { fileName: string; zNm: number }[]): string {
  return [
    '# Amira Stacked Slices',
    '# written by fibrecon; lengths in nm',
    `pixelsize ${formatNumber(voxelSizeNm.x)} ${formatNumber(voxelSizeNm.y)}`,
    ...images.map((im) => `${im.fileName} ${formatNumber(im.zNm)}`),
    'end',
    '',
  ].join('\n');
}

/** `vol.asi` -> `vol_0000.tif`, ...: enough digits for every slice, at least 4. */
export function sliceFileName(base: string, z: number, nz: number): string {
  return `${base}_${String(z).padStart(Math.max(4, String(nz - 1).length), '0')}.tif`;
}
