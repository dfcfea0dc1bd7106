// OME-Zarr 0.5 metadata (OME-NGFF 0.5, https://ngff.openmicroscopy.org/0.5/,
// on Zarr v3 core spec 3.0, https://zarr-specs.readthedocs.io/en/latest/v3/core/):
// the group's zarr.json holds `attributes.ome = { version: "0.5", multiscales }`
// with axes z, y, x (type space, unit "nanometer", a UDUNITS-2 name) and per
// level one `scale` [dz, dy, dx] then an optional `translation`; each level is
// a Zarr v3 array (regular chunk grid, default chunk keys "c/z/y/x", codecs
// bytes little-endian then optionally gzip).

import type { DType } from '../../src-shared/dtype';
import type { VolumeInfo } from '../../src-shared/volume';

export interface ZarrArrayMeta {
  shape: [number, number, number];
  chunkShape: [number, number, number];
  dtype: DType;
  gzipLevel?: number;
}

export function zarrArrayJson(a: ZarrArrayMeta): object {
  return {
    zarr_format: 3,
    node_type: 'array',
    shape: a.shape,
    data_type: a.dtype,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: a.chunkShape } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    fill_value: 0,
    codecs: [
      { name: 'bytes', configuration: { endian: 'little' } },
      ...(a.gzipLevel !== undefined ? [{ name: 'gzip', configuration: { level: a.gzipLevel } }] : []),
    ],
    attributes: {},
    dimension_names: ['z', 'y', 'x'],
  };
}

export interface OmeLevel {
  path: string;
  /** Level voxel size over level-0 voxel size, per axis (z, y, x). */
  factor: [number, number, number];
  /** Where this level's voxel 0 centre lies, in level-0 voxels (z, y, x). */
  shiftVoxels: [number, number, number];
}

/**
 * Marks a store as written by fibrecon: a later export may replace such a store (with --overwrite),
 * never a folder without it.
 */
export const FIBRECON_ZARR_MARKER = { writtenBy: 'fibrecon' } as const;

/** The top-level entries of a store we write: the group's zarr.json and the levels. */
export const ZARR_STORE_ENTRIES: readonly string[] = ['zarr.json', '0', '1'];

export function omeGroupJson(info: Pick<VolumeInfo, 'voxelSizeNm' | 'zPositionsNm'>, levels: readonly OmeLevel[], name: string, downsampling?: string): object {
  const d = [info.voxelSizeNm.z, info.voxelSizeNm.y, info.voxelSizeNm.x];
  const origin = [info.zPositionsNm[0] ?? 0, 0, 0];
  return {
    zarr_format: 3,
    node_type: 'group',
    attributes: {
      fibrecon: { ...FIBRECON_ZARR_MARKER },
      ome: {
        version: '0.5',
        multiscales: [
          {
            name,
            axes: ['z', 'y', 'x'].map((n) => ({ name: n, type: 'space', unit: 'nanometer' })),
            datasets: levels.map((l) => {
              const translation = [0, 1, 2].map((a) => origin[a] + l.shiftVoxels[a] * d[a]);
              return {
                path: l.path,
                coordinateTransformations: [
                  { type: 'scale', scale: [0, 1, 2].map((a) => d[a] * l.factor[a]) },
                  ...(translation.some((t) => t !== 0) ? [{ type: 'translation', translation }] : []),
                ],
              };
            }),
            ...(downsampling ? { type: downsampling, metadata: { description: `2x2x2 ${downsampling} by fibrecon` } } : {}),
          },
        ],
      },
    },
  };
}
