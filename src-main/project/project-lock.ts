// One writer per project file. A lock file next to the project names the process
// that writes to it; a second process gets a clear message instead of a corrupt
// or half-merged project. A lock left by a killed process (same host, pid gone)
// is taken over by exactly one of the processes that find it. Threads of one
// process (the main thread and its job workers) share the lock: it is keyed by pid.
//
// Why at most one process owns the lock at any moment (docs/reliability.md, Locking):
// - A lock file is made whole in a draft, then put in place only where there is
//   none (hard link, which fails if the name exists). Its random token is never
//   used again, so a lock that has been replaced never comes back.
// - Its owner removes it on release, after checking that it still holds its token.
// - A stale lock (token N, owner dead on this host) is replaced, never removed:
//   rename of one's draft over it, so the name always holds a whole lock. Only the
//   holder of a takeover guard `LOCK.takeover-N-k` may do that, after reading the
//   lock again and finding N. Guards are made like locks (exclusively). A process
//   moves on to guard k+1 only when guard k names a dead process, and a dead
//   holder's guard stays until N is gone; so while N is in place, at most one live
//   process holds a guard of N, and between its check and its rename nothing else
//   can change the lock (its owner is dead, and every other replacer would need
//   the same guard). The lock therefore changes hands only from a dead owner.
import { randomBytes } from 'node:crypto';
import { readdirSync, renameSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { createExclusive, type LockOwner, processAlive, readLockFile, removeQuietly, sleepMs, writeNewFile } from './lock-file';

export type { LockOwner } from './lock-file';

export interface ProjectLock {
  path: string;
  /** True when this call created the lock (and release() removes it). */
  owned: boolean;
  release(): void;
}

export const lockPathFor = (projectPath: string): string => `${projectPath}.lock`;

/** A lock file that is not JSON for this long was left half-written by a killed process (not one writing it now). */
const HALF_WRITTEN_MS = 3000;
/** How long to keep trying while other processes take over or release the lock. */
const GIVE_UP_MS = 10_000;
const MAX_GUARDS = 64;

const guardPrefix = (lockPath: string, identity: string) => `${lockPath}.takeover-${identity}-`;

/** The owner named by the project's lock file: null when there is none, undefined when it cannot be read. */
export function projectLockOwner(projectPath: string): LockOwner | null | undefined {
  try {
    const s = readLockFile(lockPathFor(projectPath));
    return s === null ? null : s.owner;
  } catch {
    return undefined;
  }
}

export function acquireProjectLock(projectPath: string, purpose: string): ProjectLock {
  const lockPath = lockPathFor(projectPath);
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose, token: randomBytes(8).toString('hex') };
  const draft = `${lockPath}.${me.token}.tmp`;
  try {
    writeNewFile(draft, JSON.stringify(me));
  } catch (e) {
    throw new AppError('invalid_input', `Cannot write next to ${projectPath} (${(e as Error).message}): choose a folder you may write to.`, projectPath);
  }
  try {
    const giveUpAt = Date.now() + GIVE_UP_MS;
    while (Date.now() < giveUpAt) {
      if (createExclusive(draft, lockPath)) {
        // A process killed while it made its draft left it behind with no lock to take over.
        sweepLeftovers(lockPath, me);
        return ownLock(lockPath, me);
      }
      const current = readLockFile(lockPath);
      if (current === null) continue; // released in between
      const owner = current.owner;
      if (owner && owner.host === me.host && owner.pid === me.pid) return { path: lockPath, owned: false, release: () => {} };
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
      if (!owner && current.ageMs < HALF_WRITTEN_MS) {
        sleepMs(10); // being written (a file system without hard links): read it again
        continue;
      }
      if (takeOver(lockPath, draft, current.identity)) {
        sweepLeftovers(lockPath, me);
        return ownLock(lockPath, me);
      }
      sleepMs(2 + Math.random() * 10); // another process is taking it over: see who got it
    }
    throw new AppError('project_locked', `Could not lock ${basename(projectPath)}: other processes kept taking it for ${GIVE_UP_MS / 1000} s. Try again.`, projectPath);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('invalid_input', `Cannot lock ${projectPath} (${(e as Error).message}): choose a folder you may write to.`, projectPath);
  } finally {
    removeQuietly(draft); // after a link the lock keeps the bytes; after a rename the draft is already gone
  }
}

function ownLock(lockPath: string, me: LockOwner): ProjectLock {
  return {
    path: lockPath,
    owned: true,
    release: () => {
      // Only while it is still ours: nobody replaces a live owner's lock, so the check cannot go stale.
      if (readLockFile(lockPath)?.identity === me.token) removeQuietly(lockPath);
    },
  };
}

/** Replaces the stale lock `identity` by our draft if we are the one process allowed to; true when we did. */
function takeOver(lockPath: string, draft: string, identity: string): boolean {
  for (let k = 0; k < MAX_GUARDS; k++) {
    const guard = guardPrefix(lockPath, identity) + k;
    if (createExclusive(draft, guard)) {
      let taken = false;
      try {
        if (readLockFile(lockPath)?.identity === identity) {
          renameSync(draft, lockPath);
          taken = true;
        }
      } finally {
        if (!taken) removeQuietly(guard);
      }
      return taken;
    }
    const holder = readLockFile(guard);
    if (holder === null) return false; // its holder gave up: look at the lock again
    if (!holder.owner) {
      if (holder.ageMs < HALF_WRITTEN_MS) return false;
    } else if (holder.owner.host !== hostname() || processAlive(holder.owner.pid)) {
      return false; // a live process is taking it over
    }
    // That guard's holder died during its takeover: the next guard decides.
  }
  return false;
}

/**
 * Once we own the lock (free, or taken over from a process that died with it): removes the guards
 * of locks that are gone (they can never apply again) and drafts of dead processes. Guards of our
 * own lock stay.
 */
function sweepLeftovers(lockPath: string, me: LockOwner): void {
  const base = basename(lockPath);
  let names: string[];
  try {
    names = readdirSync(dirname(lockPath)).filter((n) => n.startsWith(`${base}.`));
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dirname(lockPath), name);
    if (name.startsWith(`${base}.takeover-`)) {
      if (!path.startsWith(guardPrefix(lockPath, me.token as string))) removeQuietly(path);
    } else if (name.endsWith('.tmp')) {
      const s = readLockFile(path);
      const dead = s !== null && (s.owner ? s.owner.host === me.host && !processAlive(s.owner.pid) : s.ageMs > HALF_WRITTEN_MS);
      if (dead) removeQuietly(path);
    }
  }
}
