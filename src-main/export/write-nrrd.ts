// NRRD export: one .nrrd file, header then raw data (see nrrd-header.ts).

import type { ExportControl, ExportResult, ExportVolume } from './export-types';
import { writeFileSet } from './file-set';
import { nrrdHeader } from './nrrd-header';
import { writeSlices } from './stream-slices';
import { asciiBytes } from './text-bytes';
import { requireValidVolume } from './uniform-z';

export async function writeNrrd(path: string, volume: ExportVolume, control: ExportControl = {}): Promise<ExportResult> {
  requireValidVolume(volume, 'NRRD', true);
  return writeFileSet([path], control, volume.shape[0], async ([sink]) => {
    const header = asciiBytes(nrrdHeader(volume));
    await sink.write(0, header);
    return header.length + (await writeSlices(sink, header.length, volume, control));
  });
}
