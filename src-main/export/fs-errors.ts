// File-system failures turned into messages a user can act on (the TIFF
// writer's wording), and a plain AbortError turned into AppError 'cancelled'.

import { AppError, isCancelled } from '../../src-shared/errors';
import { fsError } from '../tiff-write/write-file';

export function exportError(e: unknown, path: string): unknown {
  if (isCancelled(e) && !(e instanceof AppError)) return new AppError('cancelled', 'The export was cancelled; no file was written.');
  return fsError(e, path);
}
