// Writes one export's files (e.g. a .raw and its header) through FileSinks:
// each goes to `<path>.<pid>.partial`; all are renamed only after every one is
// complete, and all are removed on cancel or error.

import { throwIfAborted } from '../../src-shared/errors';
import { FileSink } from '../tiff-write/file-sink';
import type { ExportControl, ExportResult } from './export-types';
import { exportError } from './fs-errors';

/**
 * Runs `body` with one FileSink per path; `body` returns the byte count. Paths
 * are committed in reverse order so the main file (first) appears last, once
 * its data files exist.
 */
export async function writeFileSet(
  paths: string[],
  control: ExportControl,
  nz: number,
  body: (sinks: FileSink[]) => Promise<number>,
): Promise<ExportResult> {
  const sinks = paths.map((p) => new FileSink(p));
  try {
    const bytes = await body(sinks);
    throwIfAborted(control.signal);
    for (let i = sinks.length - 1; i >= 0; i--) await sinks[i].commit();
    control.onProgress?.(nz, nz);
    return { files: paths, bytes };
  } catch (e) {
    for (const s of sinks) await s.discard().catch(() => undefined);
    throw exportError(e, paths[0]);
  }
}
