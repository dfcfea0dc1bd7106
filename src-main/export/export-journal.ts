// A journal of exports in progress, so that a process killed mid-export (kill -9,
// power cut) leaves nothing behind for long: each export writes a small entry
// naming its process and its target paths before it starts and removes it when
// it ends. The next export (or the next start of the app) finds entries whose
// process is gone on this host, removes their `.<pid>.partial` files (and data files
// of a set whose main file never appeared), names what it removed, and drops
// the entry.

import { mkdir, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { PARTIAL_SUFFIX, partialPathOf } from '../tiff-write/file-sink';

interface JournalEntry {
  pid: number;
  host: string;
  /** ms since the epoch */
  startedAt: number;
  format: string;
  /** Target paths, the main one first. */
  targets: string[];
}

/** Where the journal lives: FIBRECON_STATE_DIR, else the platform's per-user state folder. */
export function exportJournalDir(): string {
  if (process.env.FIBRECON_STATE_DIR) return join(process.env.FIBRECON_STATE_DIR, 'exports-in-progress');
  const base =
    process.platform === 'win32'
      ? (process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support')
        : (process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'));
  return join(base, 'fibrecon', 'exports-in-progress');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let counter = 0;

/**
 * Records an export about to write `targets`; returns the function that removes the record when
 * the export has ended (done, failed or cancelled). A journal that cannot be written (read-only
 * home folder) does not stop the export.
 */
export async function beginExportRecord(targets: readonly string[], format: string, dir = exportJournalDir()): Promise<() => Promise<void>> {
  const entry: JournalEntry = { pid: process.pid, host: hostname(), startedAt: Date.now(), format, targets: [...targets] };
  const file = join(dir, `${process.pid}-${entry.startedAt}-${counter++}.json`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(file, JSON.stringify(entry));
  } catch {
    return async () => undefined;
  }
  return () => unlink(file).catch(() => undefined);
}

async function sizeOf(path: string): Promise<number> {
  const st = await stat(path).catch(() => null);
  if (!st) return -1;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of await readdir(path).catch(() => [] as string[])) total += Math.max(0, await sizeOf(join(path, name)));
  return total;
}

function describe(path: string, bytes: number): string {
  return `${path} (${(bytes / 1e6).toFixed(1)} MB)`;
}

async function cleanEntry(e: JournalEntry, inUse: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const t of e.targets) {
    // The dead process's own partial (a live export of the same target writes another), and
    // the name versions before per-process partials used, unless a live export names the target.
    const partials = [partialPathOf(t, e.pid), ...(inUse.has(t) ? [] : [t + PARTIAL_SUFFIX])];
    for (const partial of partials) {
      const bytes = await sizeOf(partial);
      if (bytes < 0) continue;
      await rm(partial, { recursive: true, force: true });
      removed.push(describe(partial, bytes));
    }
  }
  // The main file is committed last: without it (or with an older one), data files that this export
  // already renamed into place are half a set.
  const main = await stat(e.targets[0]).catch(() => null);
  if (!main || main.mtimeMs < e.startedAt - 1000) {
    for (const t of e.targets.slice(1)) {
      if (inUse.has(t)) continue;
      const st = await stat(t).catch(() => null);
      if (!st || st.isDirectory() || st.mtimeMs < e.startedAt - 1000) continue;
      await rm(t, { force: true });
      removed.push(describe(t, st.size));
    }
  }
  return removed;
}

/**
 * Removes what exports of dead processes on this host left behind; returns one line per removed
 * file ("path (size)"). Entries of live processes and of other hosts are left alone.
 */
export async function cleanInterruptedExports(dir = exportJournalDir()): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const dead: { file: string; entry: JournalEntry }[] = [];
  const inUse = new Set<string>();
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    let entry: JournalEntry;
    try {
      entry = JSON.parse(await readFile(file, 'utf8')) as JournalEntry;
    } catch {
      continue; // being written right now, or not ours
    }
    if (!Array.isArray(entry.targets) || entry.targets.length === 0 || typeof entry.pid !== 'number') continue;
    if (entry.host !== hostname() || processAlive(entry.pid)) entry.targets.forEach((t) => inUse.add(t));
    else dead.push({ file, entry });
  }
  const removed: string[] = [];
  for (const { file, entry } of dead) {
    removed.push(...(await cleanEntry(entry, inUse)));
    await unlink(file).catch(() => undefined);
  }
  return removed;
}
