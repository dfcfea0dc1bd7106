// Pipeline run records: every step that changes the project leaves one, with
// its parameters, software version, duration, status and log.
import type { Database } from 'better-sqlite3';
import { hostname } from 'node:os';
import type { AppErrorValue } from '../../src-shared/errors';

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
    modelName: r.model_name,
    modelVersion: r.model_version,
    executionProvider: r.execution_provider,
  }));
}
