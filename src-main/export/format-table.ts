// The export formats in one table: what each is called, its file names, which
// programs read it with the voxel size, and what it can hold.

export type ExportFormatId = 'amira-mesh' | 'dragonfly-raw' | 'metaimage' | 'nrrd' | 'mrc' | 'imagej-tiff' | 'avizo-stacked-slices' | 'ome-zarr';

export interface ExportFormat {
  id: ExportFormatId;
  name: string;
  /** Extensions of the files written; the first is the path given to the writer. */
  extensions: readonly string[];
  /** Programs that open it with the voxel size. */
  readBy: readonly string[];
  /** Can mark the volume as a label field (materials), not just uint8 numbers. */
  supportsLabels: boolean;
  /** Keeps uneven slice positions; formats without it refuse such volumes. */
  supportsNonUniformZ: boolean;
  notes: string;
}

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    id: 'amira-mesh',
    name: 'AmiraMesh',
    extensions: ['.am'],
    readBy: ['Avizo', 'Amira', 'Fiji (Bio-Formats)'],
    supportsLabels: true,
    supportsNonUniformZ: false,
    notes: 'uint8 (byte), uint16 (ushort), float32 (float); label fields as `byte Labels` with Materials, optionally HxByteRLE.',
  },
  {
    id: 'dragonfly-raw',
    name: 'Dragonfly RAW + .dat',
    extensions: ['.dat', '.raw'],
    readBy: ['Dragonfly'],
    supportsLabels: false,
    supportsNonUniformZ: false,
    notes: 'Voxel size in metres in the .dat sidecar.',
  },
  {
    id: 'metaimage',
    name: 'MetaImage',
    extensions: ['.mhd', '.raw'],
    readBy: ['Fiji', 'ITK', '3D Slicer', 'ParaView', 'Dragonfly'],
    supportsLabels: false,
    supportsNonUniformZ: false,
    notes: 'ElementSpacing and ElementSize in nm.',
  },
  {
    id: 'nrrd',
    name: 'NRRD',
    extensions: ['.nrrd'],
    readBy: ['Fiji', 'ITK', '3D Slicer', 'pynrrd'],
    supportsLabels: false,
    supportsNonUniformZ: false,
    notes: 'Attached raw data; space units nm.',
  },
  {
    id: 'mrc',
    name: 'MRC 2014',
    extensions: ['.mrc'],
    readBy: ['IMOD', 'ChimeraX', 'Fiji', 'mrcfile'],
    supportsLabels: false,
    supportsNonUniformZ: false,
    notes: 'Voxel size = cella / mx in Angstrom; uint8 is written as uint16 (mode 6).',
  },
  {
    id: 'imagej-tiff',
    name: 'ImageJ TIFF',
    extensions: ['.tif'],
    readBy: ['Fiji', 'ImageJ', 'Dragonfly', 'Avizo', 'tifffile'],
    supportsLabels: false,
    supportsNonUniformZ: false,
    notes: 'Multipage, uncompressed; > 4 GiB as BigTIFF.',
  },
  {
    id: 'avizo-stacked-slices',
    name: 'Avizo stacked slices',
    extensions: ['.asi', '.tif'],
    readBy: ['Avizo', 'Amira'],
    supportsLabels: false,
    supportsNonUniformZ: true,
    notes: 'One TIFF per slice beside an .asi listing each file with its z (nm).',
  },
  {
    id: 'ome-zarr',
    name: 'OME-Zarr 0.5 (Zarr v3)',
    extensions: ['.ome.zarr'],
    readBy: ['napari', 'Neuroglancer', 'Fiji (MoBIE, BigDataViewer)', 'zarr-python 3', 'zarrita.js'],
    supportsLabels: false,
    supportsNonUniformZ: false,
    notes: 'A folder: Zarr v3 group with OME multiscales (scale [dz, dy, dx] in nanometer), chunked array "0", optional 2x reduced level "1"; bytes little-endian, optionally gzip.',
  },
];

export function exportFormat(id: string): ExportFormat | undefined {
  return EXPORT_FORMATS.find((f) => f.id === id);
}
