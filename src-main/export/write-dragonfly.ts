// Dragonfly export: `vol.dat` (the path given) + `vol.raw` beside it.

import type { ExportControl, ExportResult, ExportVolume } from './export-types';
import { dragonflyDat } from './dragonfly-dat';
import { writeRawWithHeader } from './raw-with-header';
import { headerFileName, siblingPath } from './sidecar-paths';
import { requireValidVolume } from './uniform-z';

export async function writeDragonflyRaw(datPath: string, volume: ExportVolume, control: ExportControl = {}): Promise<ExportResult> {
  requireValidVolume(volume, 'Dragonfly RAW', true);
  const rawPath = siblingPath(datPath, '.raw');
  return writeRawWithHeader(datPath, rawPath, dragonflyDat(volume, headerFileName(rawPath)), volume, control);
}
