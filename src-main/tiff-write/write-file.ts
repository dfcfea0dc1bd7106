// writeTiffStack: the TIFF export to a file on disk, streamed through FileSink
// (`<path>.<pid>.partial`, renamed on success, removed on cancel or error).

import { AppError } from '../../src-shared/errors';
import { FileSink } from './file-sink';
import type { SliceSource } from './slice-source';
import { encodeTiffStack, type TiffStackInfo, type TiffStackOptions, type TiffStackResult } from './write-stack';

/** Turns file-system errors into messages a user can act on (shared with the other exports). */
export function fsError(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new AppError('file_not_found', `The folder for ${path} does not exist; choose an existing folder.`, path);
  if (code === 'ENOSPC') return new AppError('invalid_input', `Not enough disk space to write ${path}; free space or choose another drive.`, path);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppError('invalid_input', `No permission to write ${path}; choose another folder.`, path);
  }
  return e;
}

/**
 * Writes a multipage TIFF to `path`. Holds at most one slice (plus ~1 MB of
 * IFDs) in memory. Throws AppError: 'cancelled' when `options.signal` aborts,
 * 'invalid_input' / 'size_mismatch' for bad input, file-system problems with
 * the path; in every failure case no file (and no .partial) is left behind.
 */
export async function writeTiffStack(
  path: string,
  info: TiffStackInfo,
  slices: SliceSource,
  options: TiffStackOptions = {},
): Promise<TiffStackResult & { path: string }> {
  try {
    const result = await encodeTiffStack(new FileSink(path), info, slices, options);
    return { ...result, path };
  } catch (e) {
    throw fsError(e, path);
  }
}
