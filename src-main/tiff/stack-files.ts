// The TIFF files of a folder that holds one image per slice, in slice order.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../src-shared/errors';

const TIFF_NAME = /\.tiff?$/i;

/**
 * Natural order: digit runs compare as numbers ("slice_2" before "slice_10"),
 * the rest case-insensitively; leading zeros ("01" vs "1") only break ties.
 */
export function naturalCompare(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  let tie = 0; // first difference in leading zeros, used only when all else is equal
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i];
    const y = tb[i];
    const dx = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const dy = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (dx && dy) {
      const nx = x.replace(/^0+(?=\d)/, '');
      const ny = y.replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      if (tie === 0) tie = x.length - y.length;
    } else {
      const c = x.toLowerCase().localeCompare(y.toLowerCase(), 'en');
      if (c !== 0) return c;
    }
  }
  if (ta.length !== tb.length) return ta.length - tb.length;
  if (tie !== 0) return tie;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Full paths of the .tif / .tiff files (any case) of `folder`, hidden files skipped, naturally sorted. */
export async function listStackFiles(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('file_not_found', `The folder ${folder} was not found; check the path.`, folder);
    if (code === 'ENOTDIR') throw new AppError('file_not_found', `${folder} is a file, not a folder of slice images: give the file itself (a multipage TIFF), or the folder that holds the slices.`, folder);
    throw e;
  }
  const names: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || !TIFF_NAME.test(e.name)) continue;
    if (e.isFile()) names.push(e.name);
    else if (e.isSymbolicLink() && (await stat(join(folder, e.name)).catch(() => undefined))?.isFile()) names.push(e.name);
  }
  if (names.length === 0) {
    throw new AppError(
      'empty_folder',
      `The folder ${folder} holds no TIFF images; fibrecon expects one .tif or .tiff file per slice (e.g. "slice_001.tif" or "SEM Image - SliceImage - 001.tif").`,
      folder,
    );
  }
  return names.sort(naturalCompare).map((n) => join(folder, n));
}
