// File-system failures turned into messages a user can act on (same wording
// as the TIFF writer), and a plain AbortError turned into AppError 'cancelled'.

import { AppError, isCancelled } from '../../src-shared/errors';

export function exportError(e: unknown, path: string): unknown {
  if (isCancelled(e) && !(e instanceof AppError)) return new AppError('cancelled', 'The export was cancelled; no file was written.');
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new AppError('file_not_found', `The folder for ${path} does not exist; choose an existing folder.`, path);
  if (code === 'ENOSPC') return new AppError('invalid_input', `Not enough disk space to write ${path}; free space or choose another drive.`, path);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppError('invalid_input', `No permission to write ${path}; choose another folder.`, path);
  }
  return e;
}
