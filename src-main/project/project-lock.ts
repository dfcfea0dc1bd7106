// One writer per project file. A lock file next to the project names the process
// that writes to it; a second process gets a clear message instead of a corrupt
// or half-merged project. A lock left by a killed process (same host, pid gone)
// is taken over. Threads of one process (the main thread and its job workers)
// share the lock: it is keyed by pid.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { AppError } from '../../src-shared/errors';

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  purpose: string;
}

export interface ProjectLock {
  path: string;
  /** True when this call created the lock (and release() removes it). */
  owned: boolean;
  release(): void;
}

export const lockPathFor = (projectPath: string): string => `${projectPath}.lock`;

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireProjectLock(projectPath: string, purpose: string): ProjectLock {
  const lockPath = lockPathFor(projectPath);
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return {
        path: lockPath,
        owned: true,
        release: () => {
          const owner = readOwner(lockPath);
          if (owner?.pid === me.pid && owner.host === me.host) unlinkSync(lockPath);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('invalid_input', `Cannot write next to ${projectPath} (${(e as Error).message}): choose a folder you may write to.`, projectPath);
      }
    }
    const owner = readOwner(lockPath);
    if (owner && owner.host === me.host && owner.pid === me.pid) {
      return { path: lockPath, owned: false, release: () => {} };
    }
    if (owner && owner.host !== me.host) {
      throw new AppError(
        'project_locked',
        `${basename(projectPath)} is open for writing on ${owner.host} (process ${owner.pid}, since ${owner.since}, ${owner.purpose}). ` +
          `Close it there first. If that computer crashed, delete ${basename(lockPath)} next to the project.`,
        projectPath,
      );
    }
    if (owner && processAlive(owner.pid)) {
      throw new AppError(
        'project_locked',
        `${basename(projectPath)} is already open for writing by another fibrecon process (pid ${owner.pid}, since ${owner.since}, ${owner.purpose}). ` +
          'Wait for it to finish or close it, then try again.',
        projectPath,
      );
    }
    // Stale lock (killed process) or unreadable half-written lock: take it over.
    try {
      unlinkSync(lockPath);
    } catch {
      /* someone else removed it first; retry */
    }
  }
  throw new AppError('project_locked', `Could not lock ${basename(projectPath)}: another process keeps taking it. Try again.`, projectPath);
}
