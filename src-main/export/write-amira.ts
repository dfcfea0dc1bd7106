// AmiraMesh export (.am): header, then the slices; label fields optionally
// HxByteRLE-compressed, with the compressed size filled into the header once
// the last slice is written (the field has a fixed width, see amira-header.ts).

import type { ExportControl, ExportResult, ExportVolume } from './export-types';
import { amiraHeader, DEFAULT_MATERIALS, type AmiraMaterial } from './amira-header';
import { writeFileSet } from './file-set';
import { encodeHxByteRLE } from './hx-byte-rle';
import { writeSlices } from './stream-slices';
import { asciiBytes } from './text-bytes';
import { requireValidVolume } from './uniform-z';

export interface AmiraExportOptions {
  /** Write a label field (`byte Labels` + Materials); the volume must be uint8. */
  labels?: boolean;
  /** Materials by label value; default Pore (0) and Solid (1). */
  materials?: readonly AmiraMaterial[];
  /** HxByteRLE compression (label fields only). */
  rle?: boolean;
}

export async function writeAmiraMesh(path: string, volume: ExportVolume, control: ExportControl = {}, options: AmiraExportOptions = {}): Promise<ExportResult> {
  requireValidVolume(volume, 'AmiraMesh', true);
  const materials = options.labels || options.materials ? (options.materials ?? DEFAULT_MATERIALS) : undefined;
  const header = (rleBytes?: number) => asciiBytes(amiraHeader(volume, { materials, rleBytes }));
  const first = header(options.rle ? 0 : undefined); // also validates labels / dtype before any file is opened
  return writeFileSet([path], control, volume.shape[0], async ([sink]) => {
    await sink.write(0, first);
    const dataBytes = await writeSlices(sink, first.length, volume, control, options.rle ? encodeHxByteRLE : undefined);
    if (options.rle) {
      const final = header(dataBytes);
      if (final.length !== first.length) throw new Error(`AmiraMesh header changed size (${first.length} -> ${final.length})`);
      await sink.write(0, final);
    }
    await sink.write(first.length + dataBytes, asciiBytes('\n'));
    return first.length + dataBytes + 1;
  });
}
