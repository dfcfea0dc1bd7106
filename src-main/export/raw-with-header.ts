// The shared shape of the RAW + sidecar exports (Dragonfly .dat, MetaImage
// .mhd): slices streamed to `<name>.raw`, then the small header text.

import type { ExportControl, ExportResult, ExportVolume } from './export-types';
import { writeFileSet } from './file-set';
import { writeSlices } from './stream-slices';
import { asciiBytes } from './text-bytes';

export async function writeRawWithHeader(
  headerPath: string,
  rawPath: string,
  headerText: string,
  volume: ExportVolume,
  control: ExportControl,
): Promise<ExportResult> {
  return writeFileSet([headerPath, rawPath], control, volume.shape[0], async ([header, raw]) => {
    const dataBytes = await writeSlices(raw, 0, volume, control);
    const text = asciiBytes(headerText);
    await header.write(0, text);
    return text.length + dataBytes;
  });
}
