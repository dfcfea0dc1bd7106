// One entry point for every export format: looks the format up in the table
// and runs its streaming writer.

import { AppError } from '../../src-shared/errors';
import { writeTiffStack } from '../tiff-write';
import type { ExportControl, ExportResult, ExportVolume } from './export-types';
import { EXPORT_FORMATS, exportFormat, type ExportFormatId } from './format-table';
import { requireValidVolume } from './uniform-z';
import { writeAmiraMesh, type AmiraExportOptions } from './write-amira';
import { writeDragonflyRaw } from './write-dragonfly';
import { writeMetaImage } from './write-metaimage';
import { writeMrc } from './write-mrc';
import { writeNrrd } from './write-nrrd';
import { writeOmeZarr, type OmeZarrOptions } from './ome-zarr-write';
import { writeStackedSlices } from './write-stacked-slices';

export type ExportOptions = AmiraExportOptions & OmeZarrOptions;

async function writeImageJTiff(path: string, volume: ExportVolume, control: ExportControl): Promise<ExportResult> {
  requireValidVolume(volume, 'ImageJ TIFF', true);
  const { slices, ...info } = volume;
  const r = await writeTiffStack(path, info, slices, { signal: control.signal, onProgress: control.onProgress });
  return { files: [path], bytes: r.bytes };
}

type Writer = (path: string, volume: ExportVolume, control: ExportControl, options: ExportOptions) => Promise<ExportResult>;

const WRITERS: Record<ExportFormatId, Writer> = {
  'amira-mesh': writeAmiraMesh,
  'dragonfly-raw': writeDragonflyRaw,
  metaimage: writeMetaImage,
  nrrd: writeNrrd,
  mrc: writeMrc,
  'imagej-tiff': writeImageJTiff,
  'avizo-stacked-slices': writeStackedSlices,
  'ome-zarr': writeOmeZarr,
};

/**
 * Writes `volume` to `path` in `format` (an EXPORT_FORMATS id). Streams slice
 * by slice; throws AppError 'cancelled' on abort, 'invalid_input' for an
 * unknown format, a bad volume, or uneven z in a format that cannot hold it.
 * No file (and no .partial) is left behind on failure.
 */
export async function exportVolume(
  format: ExportFormatId | string,
  path: string,
  volume: ExportVolume,
  control: ExportControl = {},
  options: ExportOptions = {},
): Promise<ExportResult> {
  const f = exportFormat(format);
  if (!f) throw new AppError('invalid_input', `Unknown export format "${format}"; choose one of ${EXPORT_FORMATS.map((x) => x.id).join(', ')}.`);
  if ((options.labels || options.rle || options.materials) && !f.supportsLabels) {
    throw new AppError('invalid_input', `${f.name} cannot mark a label field; export the labels as uint8 without label options, or choose AmiraMesh.`);
  }
  return WRITERS[f.id](path, volume, control, options);
}
