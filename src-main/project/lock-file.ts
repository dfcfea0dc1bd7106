// The small files of the project lock (the lock itself, the drafts it is made
// from, the guards of a takeover): what they hold, how they are made whole in
// one step, how they are read, and whether the process they name still lives.
import { createHash } from 'node:crypto';
import { closeSync, constants, copyFileSync, fstatSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  purpose: string;
  /** Random and unique to one lock file: no two lock files ever carry the same token. */
  token?: string;
}

export interface LockFileState {
  /** The process the file names; undefined while the file is not readable JSON (being written, or damaged). */
  owner?: LockOwner;
  /** What tells this lock file from every other one: its token, else a digest of its bytes, inode and time. */
  identity: string;
  ageMs: number;
}

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code;

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as LockOwner;
    return typeof o === 'object' && o !== null && Number.isInteger(o.pid) && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a lock (or guard, or draft) file; null when there is none. Bytes and identity come from one open file. */
export function readLockFile(path: string): LockFileState | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw e;
  }
  try {
    const st = fstatSync(fd);
    const text = readFileSync(fd, 'utf8');
    const owner = parseOwner(text);
    const identity = owner?.token ?? `x${createHash('sha256').update(`${st.ino}:${st.mtimeMs}:${text}`).digest('hex').slice(0, 16)}`;
    return { owner, identity, ageMs: Date.now() - st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** Writes a new file that must not exist yet, and flushes it. */
export function writeNewFile(path: string, text: string): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes `path` a copy of the finished file `from` only if `path` does not exist; false if it does.
 * A hard link makes it whole in one step (no reader ever sees it empty); file systems without
 * hard links (FAT, some network shares) get an exclusive copy, whose bytes follow a moment later.
 */
export function createExclusive(from: string, path: string): boolean {
  try {
    linkSync(from, path);
    return true;
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP', 'EMLINK', 'EXDEV'].includes(errno(e) ?? '')) throw e;
  }
  try {
    copyFileSync(from, path, constants.COPYFILE_EXCL);
    return true;
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    throw e;
  }
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** True while a process with this pid exists on this machine (one of another user's counts as alive). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === 'EPERM';
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for a few milliseconds (the lock is taken synchronously). */
export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
