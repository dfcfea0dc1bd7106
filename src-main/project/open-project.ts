// Creating and opening project files: one SQLite file per sample, WAL journal,
// versioned schema brought forward when opened for writing, one writing process
// at a time. A read-only open writes nothing: an older file is read as it is.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { acquireProjectLock, type ProjectLock } from './project-lock';
import { recordInterruptedRuns } from './runs';
import { APPLICATION_ID, migrate, readAsCurrent, SCHEMA_VERSION } from './schema';

export interface Project {
  db: Database.Database;
  path: string;
  writable: boolean;
  /** The file's schema version: below SCHEMA_VERSION only when opened read-only (the first write upgrades it). */
  schemaVersion: number;
  close(): void;
}

/** The extension the app gives project files. */
export const PROJECT_EXTENSION = '.fibrecon';

function applyConnectionPragmas(db: Database.Database): void {
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  // FULL: a committed import survives a power cut, not only a killed process.
  db.pragma('synchronous = FULL');
  // Big imports pass through the WAL; do not leave a WAL of that size behind.
  db.pragma('journal_size_limit = 67108864');
}

function wrap(db: Database.Database, path: string, writable: boolean, lock?: ProjectLock): Project {
  let open = true;
  return {
    db,
    path,
    writable,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    close() {
      if (!open) return;
      open = false;
      try {
        if (writable) db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
        lock?.release();
      }
    },
  };
}

export function createProject(path: string, opts: { name?: string; appVersion: string }): Project {
  if (existsSync(path)) {
    throw new AppError('invalid_input', `${path} already exists: choose another file name, or open it as a project.`, path);
  }
  const lock = acquireProjectLock(path, 'create');
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    // Large pages: slices are blobs of megabytes; fewer overflow pages to chain.
    db.pragma('page_size = 65536');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    applyConnectionPragmas(db);
    migrate(db);
    const now = new Date().toISOString();
    const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      insert.run('name', opts.name ?? basename(path).replace(/\.[^.]+$/, ''));
      insert.run('created_at', now);
      insert.run('created_by', `fibrecon ${opts.appVersion} on ${hostname()}`);
    })();
    return wrap(db, path, true, lock);
  } catch (e) {
    db?.close();
    lock.release();
    throw e instanceof AppError ? e : new AppError('invalid_input', `Cannot create ${path}: ${(e as Error).message}. Choose a folder you may write to.`, path);
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

function checkIsOurs(path: string): void {
  if (!existsSync(path)) throw new AppError('file_not_found', `${path} does not exist: check the path, or create a new project there.`, path);
  if (!statSync(path).isFile()) throw new AppError('not_a_project', `${path} is a folder, not a project file: choose the .fibrecon file.`, path);
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== SQLITE_MAGIC) {
    throw new AppError('not_a_project', `${basename(path)} is not a fibrecon project (it is not an SQLite file). Choose a .fibrecon file, or create a new project.`, path);
  }
}

export function openProject(path: string, opts: { write: boolean; purpose?: string }): Project {
  checkIsOurs(path);
  const lock = opts.write ? acquireProjectLock(path, opts.purpose ?? 'open') : undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: !opts.write, fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID) {
      throw new AppError('not_a_project', `${basename(path)} is an SQLite file but not a fibrecon project. Choose a .fibrecon file, or create a new project.`, path);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new AppError(
        'newer_project_version',
        `${basename(path)} was written by a newer fibrecon (project schema ${version}; this version reads up to ${SCHEMA_VERSION}). Update fibrecon to open it; the file was not changed.`,
        path,
      );
    }
    if (opts.write) {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      applyConnectionPragmas(db);
      migrate(db);
      recordInterruptedRuns(db);
    } else {
      db.pragma('busy_timeout = 10000');
      // Never migrated here (that would write): read through views of the current schema.
      if (version < SCHEMA_VERSION && !readAsCurrent(db, version)) {
        throw new AppError(
          'invalid_input',
          `${basename(path)} was written by an older fibrecon (project schema ${version}) and cannot be read without upgrading it, which a read-only command does not do. ` +
            'Open it for writing once (in the app, or any command that changes it) to upgrade it, then try again.',
          path,
        );
      }
    }
    return wrap(db, path, opts.write, lock);
  } catch (e) {
    db?.close();
    lock?.release();
    if (e instanceof AppError) throw e;
    throw new AppError('not_a_project', `${basename(path)} cannot be opened as a project (${(e as Error).message}). If it is a fibrecon project, it may be damaged: restore a backup.`, path);
  }
}

export function integrityCheck(db: Database.Database): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
}
