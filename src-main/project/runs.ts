// Pipeline run records: every step that changes the project leaves one, with
// its parameters, software version, duration, status and log. A run still
// marked 'running' whose process is gone reads as 'interrupted' at once (no
// write needed); the next writer records it so in the file.
import type { Database } from 'better-sqlite3';
import { hostname } from 'node:os';
import type { AppErrorValue } from '../../src-shared/errors';
import { processAlive } from './lock-file';
import { type LockOwner, projectLockOwner } from './project-lock';

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface RunRecord {
  id: number;
  step: string;
  params: unknown;
  softwareVersion: string;
  startedAt: string;
  finishedAt: string | null;
  durationS: number | null;
  status: RunStatus;
  log: string;
  error: AppErrorValue | null;
  modelName: string | null;
  modelVersion: string | null;
  executionProvider: string | null;
}

export function startRun(db: Database, step: string, params: unknown, softwareVersion: string, extra: { modelName?: string; modelVersion?: string; executionProvider?: string } = {}): number {
  const info = db
    .prepare(
      `INSERT INTO run (step, params_json, software_version, started_at, status, host, pid, model_name, model_version, execution_provider)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
    )
    .run(step, JSON.stringify(params), softwareVersion, new Date().toISOString(), hostname(), process.pid, extra.modelName ?? null, extra.modelVersion ?? null, extra.executionProvider ?? null);
  return Number(info.lastInsertRowid);
}

export function appendRunLog(db: Database, runId: number, line: string): void {
  db.prepare('UPDATE run SET log = log || ? WHERE id = ?').run(`${line}\n`, runId);
}

export function finishRun(db: Database, runId: number, status: Exclude<RunStatus, 'running' | 'interrupted'>, error?: AppErrorValue): void {
  const finished = new Date();
  const row = db.prepare('SELECT started_at FROM run WHERE id = ?').get(runId) as { started_at: string } | undefined;
  const duration = row ? (finished.getTime() - Date.parse(row.started_at)) / 1000 : null;
  db.prepare('UPDATE run SET status = ?, finished_at = ?, duration_s = ?, error_json = ? WHERE id = ?').run(
    status,
    finished.toISOString(),
    duration,
    error ? JSON.stringify(error) : null,
    runId,
  );
}

/** A run's status as stored now; undefined when it has no record (never made, or rolled back with its transaction). */
export function storedRunStatus(db: Database, runId: number): RunStatus | undefined {
  return db.prepare('SELECT status FROM run WHERE id = ?').pluck().get(runId) as RunStatus | undefined;
}

const INTERRUPTED_NOTE = '\nInterrupted: the process running this step ended before it finished (crash, kill or power loss). Nothing of it was kept.\n';

/**
 * Marks the runs still 'running' as interrupted, except those of this very process (its job
 * workers). Called by a writer that has just taken the lock: no other writer is alive.
 */
export function recordInterruptedRuns(db: Database): void {
  db.prepare(
    `UPDATE run SET status = 'interrupted', finished_at = ?, log = log || ?
     WHERE status = 'running' AND NOT (pid = ? AND host = ?)`,
  ).run(new Date().toISOString(), INTERRUPTED_NOTE, process.pid, hostname());
}

/**
 * Whether the process of a 'running' run is gone. On this host its pid tells; on any host, the
 * writer of a run holds the project's lock until the run ends, so a lock that names another
 * process (or no lock at all) says the run's process stopped without finishing it.
 */
function runProcessGone(run: { host: string; pid: number }, lock: LockOwner | null | undefined): boolean {
  if (run.host === hostname()) {
    if (run.pid === process.pid) return false;
    if (!processAlive(run.pid)) return true;
  }
  if (lock === undefined) return false; // the lock cannot be read: cannot tell
  return lock === null || lock.host !== run.host || lock.pid !== run.pid;
}

/**
 * The ids of runs marked 'running' whose process is gone. Each is read again after the process
 * was found gone, so a run that finished in the meantime is not counted.
 */
function goneRunIds(db: Database): Set<number> {
  const running = db.prepare("SELECT id, host, pid FROM run WHERE status = 'running'").all() as { id: number; host: string; pid: number }[];
  if (running.length === 0) return new Set();
  const lock = db.memory ? undefined : projectLockOwner(db.name);
  const gone = running.filter((r) => runProcessGone(r, lock));
  const still = db.prepare('SELECT status FROM run WHERE id = ?').pluck();
  return new Set(gone.filter((r) => still.get(r.id) === 'running').map((r) => r.id));
}

/** Runs that were interrupted: recorded so, or still marked running by a process that is gone. */
export function countInterruptedRuns(db: Database): number {
  const recorded = db.prepare("SELECT COUNT(*) FROM run WHERE status = 'interrupted'").pluck().get() as number;
  return recorded + goneRunIds(db).size;
}

/**
 * Removes the record of a run that was refused and left nothing behind; false (and the record
 * kept) when something in the project still refers to it.
 */
export function forgetRun(db: Database, runId: number): boolean {
  try {
    // Writers open with foreign_keys = ON: a volume, table or metric of this run makes the delete fail.
    db.prepare('DELETE FROM run WHERE id = ?').run(runId);
    return true;
  } catch {
    return false;
  }
}

interface RunRow {
  id: number;
  step: string;
  params_json: string;
  software_version: string;
  started_at: string;
  finished_at: string | null;
  duration_s: number | null;
  status: RunStatus;
  log: string;
  error_json: string | null;
  model_name: string | null;
  model_version: string | null;
  execution_provider: string | null;
}

export function listRuns(db: Database): RunRecord[] {
  const rows = db.prepare('SELECT * FROM run ORDER BY id').all() as RunRow[];
  const gone = goneRunIds(db);
  for (const r of rows) {
    // As the next writer will record it (the file is not written here).
    if (gone.has(r.id) && r.status === 'running') Object.assign(r, { status: 'interrupted', log: r.log + INTERRUPTED_NOTE });
  }
  return rows.map((r) => ({
    id: r.id,
    step: r.step,
    params: JSON.parse(r.params_json),
    softwareVersion: r.software_version,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationS: r.duration_s,
    status: r.status,
    log: r.log,
    error: r.error_json ? (JSON.parse(r.error_json) as AppErrorValue) : null,
    modelName: r.model_name ?? null,
    modelVersion: r.model_version ?? null,
    executionProvider: r.execution_provider ?? null,
  }));
}
