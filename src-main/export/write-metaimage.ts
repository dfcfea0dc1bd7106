// MetaImage export: `vol.mhd` (the path given) + `vol.raw` beside it.

import type { ExportControl, ExportResult, ExportVolume } from './export-types';
import { metaImageHeader } from './metaimage-header';
import { writeRawWithHeader } from './raw-with-header';
import { headerFileName, siblingPath } from './sidecar-paths';
import { requireValidVolume } from './uniform-z';

export async function writeMetaImage(mhdPath: string, volume: ExportVolume, control: ExportControl = {}): Promise<ExportResult> {
  requireValidVolume(volume, 'MetaImage', true);
  const rawPath = siblingPath(mhdPath, '.raw');
  return writeRawWithHeader(mhdPath, rawPath, metaImageHeader(volume, headerFileName(rawPath)), volume, control);
}
