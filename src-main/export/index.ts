// Volume exports that carry the voxel size (README "Conventions" "Output"): AmiraMesh,
// Dragonfly RAW + .dat, MetaImage, NRRD, MRC 2014, ImageJ TIFF and, for
// slices at uneven z, Avizo stacked slices (.asi); OME-Zarr 0.5 for very large
// volumes. Readers bring AmiraMesh, MetaImage and NRRD volumes back.
//
//   await exportVolume('nrrd', '/out/vol.nrrd', { shape, dtype, voxelSizeNm, zPositionsNm, slices },
//     { signal, onProgress: (done, total) => ... });
//
// Every writer streams slice by slice into `<path>.<pid>.partial` files, renamed
// when all files of the export are complete and removed on cancel or error.
export { exportVolume, type ExportOptions } from './export-volume';
export { EXPORT_FORMATS, exportFormat, type ExportFormat, type ExportFormatId } from './format-table';
export type { ExportControl, ExportResult, ExportVolume } from './export-types';
export { writeAmiraMesh, type AmiraExportOptions } from './write-amira';
export { writeDragonflyRaw } from './write-dragonfly';
export { writeMetaImage } from './write-metaimage';
export { writeNrrd } from './write-nrrd';
export { writeMrc } from './write-mrc';
export { writeStackedSlices } from './write-stacked-slices';
export { amiraBoundingBox, amiraHeader, DEFAULT_MATERIALS, type AmiraMaterial } from './amira-header';
export { encodeHxByteRLE, decodeHxByteRLE } from './hx-byte-rle';
export { hasUniformZ, firstUnevenGap, UNIFORM_Z_REL_TOLERANCE } from './uniform-z';
export { writeOmeZarr, type OmeZarrOptions } from './ome-zarr-write';
export type { DownsampleMethod } from './ome-zarr-downsample';
export { readAmiraMesh } from './read-amira';
export { readMetaImage } from './read-metaimage';
export { readNrrd } from './read-nrrd';
export type { ReadVolumeOptions, VolumeRead } from './read-raw-slices';
