// Every path an export will create, known before a byte is written, so that
// the safety check (export-guard.ts) can look at all of them at once: the main
// file first, then its data file(s). Names only: no file-system access.

import { basename, dirname, extname, join } from 'node:path';
import { sliceFileName } from './asi-text';
import type { ExportFormatId } from './format-table';
import { siblingPath } from './sidecar-paths';

/** A file or (OME-Zarr) folder an export writes. */
export interface ExportTarget {
  path: string;
  /** 'folder' for an OME-Zarr store, else 'file'. */
  kind: 'file' | 'folder';
}

/** The targets of exporting nz slices in `format` to `path`, the main one first. */
export function exportTargets(format: ExportFormatId, path: string, nz: number): ExportTarget[] {
  const file = (p: string): ExportTarget => ({ path: p, kind: 'file' });
  switch (format) {
    case 'metaimage':
    case 'dragonfly-raw':
      return [file(path), file(siblingPath(path, '.raw'))];
    case 'avizo-stacked-slices': {
      const dir = dirname(path);
      const base = basename(path, extname(path));
      return [file(path), ...Array.from({ length: nz }, (_, z) => file(join(dir, sliceFileName(base, z, nz))))];
    }
    case 'ome-zarr':
      return [{ path, kind: 'folder' }];
    default:
      return [file(path)];
  }
}
