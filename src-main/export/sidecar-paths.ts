// Names of the data file beside a header file (vol.dat -> vol.raw), checked to
// be writable into a one-line header field.

import { basename, dirname, extname, join } from 'node:path';
import { AppError } from '../../src-shared/errors';

/** `dir/name.hdr` -> `dir/name<ext>`; refuses a header path that would be its own data file. */
export function siblingPath(headerPath: string, ext: string): string {
  const ownExt = extname(headerPath);
  const base = ownExt ? basename(headerPath, ownExt) : basename(headerPath);
  const out = join(dirname(headerPath), base + ext);
  if (out === headerPath) throw new AppError('invalid_input', `${headerPath} would be both the header and the data file; give the header its own extension.`, headerPath);
  return out;
}

/** A file name as it will be written inside a header line: no line breaks, no control characters. */
export function headerFileName(path: string): string {
  const name = basename(path);
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new AppError('invalid_input', `The file name ${JSON.stringify(name)} contains control characters; choose another name.`, path);
  }
  return name;
}
