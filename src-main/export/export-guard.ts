// Exports never destroy: before a byte is written, every path an export will
// create is checked. A project file (the open one or any other), its journal
// or lock file, or any SQLite database is never a target, whatever the user
// asked; an existing file is replaced only when the user asked for it
// (`--overwrite`, "Replace" in the app); an existing folder only when it is an
// OME-Zarr store that fibrecon wrote (its marker) and holds nothing else.

import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { AppError } from '../../src-shared/errors';
import type { ExportTarget } from './export-targets';
import { FIBRECON_ZARR_MARKER, ZARR_STORE_ENTRIES } from './ome-zarr-metadata';

export interface ExportSafety {
  /** Replace existing files / our own Zarr store (CLI --overwrite, the app's "Replace"). */
  overwrite?: boolean;
  /** Files that are never a target (the open project). Their -wal, -shm, -journal and .lock siblings are protected too. */
  protectedFiles?: readonly string[];
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';
/** 'FIBR' in PRAGMA application_id (src-main/project/schema.ts), big-endian at byte 68 of the header. */
const FIBRECON_APPLICATION_ID = 0x46494252;
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal', '.lock'];

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The path with symbolic links resolved as far as it exists (the parent folder when the file does not). */
async function canonical(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch {
    try {
      return resolve(await realpath(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/** 'project' for a fibrecon project, 'sqlite' for another SQLite database, null otherwise (or unreadable). */
async function databaseKind(path: string): Promise<'project' | 'sqlite' | null> {
  let fh;
  try {
    fh = await open(path, 'r');
    const head = Buffer.alloc(72);
    const { bytesRead } = await fh.read(head, 0, 72, 0);
    if (bytesRead < 16 || head.toString('latin1', 0, 16) !== SQLITE_MAGIC) return null;
    return bytesRead >= 72 && head.readUInt32BE(68) === FIBRECON_APPLICATION_ID ? 'project' : 'sqlite';
  } catch {
    return null;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Why a file may never be an export target, or null. */
async function neverReplaced(path: string, protectedSet: ReadonlySet<string>): Promise<string | null> {
  const canon = await canonical(path);
  if (protectedSet.has(canon)) {
    return `${path} is the open project (or its journal or lock file); exporting there would destroy the project`;
  }
  const kind = await databaseKind(path);
  if (kind === 'project') return `${path} is a fibrecon project file; exports never overwrite a project`;
  if (kind === 'sqlite') return `${path} is an SQLite database; exports never overwrite a database`;
  for (const suffix of COMPANION_SUFFIXES) {
    if (!path.endsWith(suffix)) continue;
    const owner = path.slice(0, -suffix.length);
    if ((await databaseKind(owner)) !== null) return `${path} belongs to the database ${owner} (its ${suffix.slice(1)} file); exports never touch it`;
  }
  return null;
}

/** Why an existing folder may not be replaced by a Zarr export, or null when it is our own store. */
async function foreignFolder(path: string): Promise<string | null> {
  let marker: unknown;
  try {
    marker = (JSON.parse(await readFile(`${path}/zarr.json`, 'utf8')) as { attributes?: Record<string, unknown> }).attributes?.fibrecon;
  } catch {
    marker = undefined;
  }
  if (!(typeof marker === 'object' && marker !== null && (marker as { writtenBy?: unknown }).writtenBy === FIBRECON_ZARR_MARKER.writtenBy)) {
    return `${path} is a folder that fibrecon did not write (no fibrecon marker in its zarr.json); exports never delete a folder they did not write`;
  }
  const others = (await readdir(path)).filter((n) => !ZARR_STORE_ENTRIES.includes(n));
  if (others.length > 0) {
    const shown = others.slice(0, 5).join(', ') + (others.length > 5 ? `, … (${others.length} in all)` : '');
    return `${path} is a Zarr store written by fibrecon but also holds other files (${shown}); exports never delete them`;
  }
  return null;
}

function listPaths(paths: string[]): string {
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

/**
 * Refuses (AppError) an export whose targets would destroy something: 'invalid_input' for a
 * target that may never be replaced (project, database, foreign folder); 'file_not_found' when
 * the destination folder does not exist; 'file_exists' for existing targets when `overwrite` is not set. Writes nothing.
 */
export async function checkExportTargets(targets: readonly ExportTarget[], safety: ExportSafety = {}): Promise<void> {
  const protectedSet = new Set<string>();
  for (const f of safety.protectedFiles ?? []) {
    const canon = await canonical(f);
    protectedSet.add(canon);
    for (const s of COMPANION_SUFFIXES) protectedSet.add(canon + s);
  }
  const folder = dirname(resolve(targets[0].path));
  if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) {
    throw new AppError('file_not_found', `The folder ${folder} does not exist: create it first, or choose a destination in an existing folder.`, targets[0].path);
  }
  const existing: string[] = [];
  for (const t of targets) {
    const st = await stat(t.path).catch(() => null);
    if (t.kind === 'file') {
      // The protected project may be checked even when stat fails (a dangling link to it).
      const never = await neverReplaced(t.path, protectedSet);
      if (never) throw new AppError('invalid_input', `${never}. Choose another file name for the export.`, t.path);
      if (!st) continue;
      if (st.isDirectory()) throw new AppError('invalid_input', `${t.path} is a folder, not a file: choose a file name for the export.`, t.path);
      existing.push(t.path);
    } else {
      if (!st) continue;
      if (!st.isDirectory()) {
        const never = await neverReplaced(t.path, protectedSet);
        throw new AppError('invalid_input', `${never ?? `${t.path} is a file, not an OME-Zarr folder`}. Choose another name for the export.`, t.path);
      }
      const foreign = await foreignFolder(t.path);
      if (foreign) throw new AppError('invalid_input', `${foreign}. Choose another name, or move the folder away yourself.`, t.path);
      existing.push(t.path);
    }
  }
  if (existing.length > 0 && !safety.overwrite) {
    const what = existing.length === 1 ? `${existing[0]} already exists` : `${listPaths(existing)} already exist (${existing.length} files)`;
    throw new AppError(
      'file_exists',
      `${what}: choose another name, or replace ${existing.length === 1 ? 'it' : 'them'} (--overwrite on the command line, "Replace" in the Export step).`,
      existing[0],
    );
  }
}

/** Whether a folder may be deleted as a previous export: our marker, nothing but our entries. */
export async function isOwnZarrStore(path: string): Promise<boolean> {
  return (await exists(`${path}/zarr.json`)) && (await foreignFolder(path)) === null;
}
