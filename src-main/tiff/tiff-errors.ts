// AppErrors of the TIFF reader: each names the file and says what to do.
import { basename } from 'node:path';
import { AppError } from '../../src-shared/errors';

export const COPY_AGAIN = 'copy the file again from the microscope PC';

/** For files whose structure is wrong in a way a copy error rarely makes (a writer's bug, a hand-edited file). */
export const REEXPORT = 're-export the stack as TIFF from the instrument software or Fiji (File > Save As > Tiff...)';

/** Either cause is possible: try the cheap remedy first. */
export const COPY_OR_REEXPORT = `${COPY_AGAIN}; if the copy is the same, ${REEXPORT}`;

/** The file's name as shown in messages. */
export function shortName(path: string): string {
  return basename(path) || path;
}

/** A truncated or malformed file. `what` follows the file name: "is truncated: ...". */
export function corrupt(path: string, what: string): AppError {
  return new AppError('corrupt_file', `${shortName(path)} ${what}`, path);
}

/** A valid TIFF of a kind fibrecon does not read. */
export function unsupported(path: string, what: string): AppError {
  return new AppError('unsupported_format', `${shortName(path)} ${what}`, path);
}
