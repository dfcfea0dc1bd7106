// MRC 2014 export (.mrc): 1024-byte header, then the slices (uint8 widened
// to uint16, see mrc-header.ts); the header is rewritten with the statistics
// at the end.

import type { SliceArray } from '../../src-shared/dtype';
import type { ExportControl, ExportResult, ExportVolume } from './export-types';
import { writeFileSet } from './file-set';
import { MRC_HEADER_BYTES, mrcHeader, MrcStatsTracker } from './mrc-header';
import { writeSlices } from './stream-slices';
import { requireValidVolume } from './uniform-z';

function widenToUint16LE(slice: SliceArray): Uint8Array {
  const out = new Uint8Array(slice.length * 2);
  for (let i = 0; i < slice.length; i++) out[2 * i] = slice[i];
  return out;
}

export async function writeMrc(path: string, volume: ExportVolume, control: ExportControl = {}): Promise<ExportResult> {
  requireValidVolume(volume, 'MRC', true);
  const stats = new MrcStatsTracker();
  return writeFileSet([path], control, volume.shape[0], async ([sink]) => {
    await sink.write(0, mrcHeader(volume));
    const dataBytes = await writeSlices(sink, MRC_HEADER_BYTES, volume, control, (bytes, slice) => {
      stats.add(slice);
      return volume.dtype === 'uint8' ? widenToUint16LE(slice) : bytes;
    });
    await sink.write(0, mrcHeader(volume, stats.stats()));
    return MRC_HEADER_BYTES + dataBytes;
  });
}
