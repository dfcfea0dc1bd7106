// What a project file holds, read by a connection of the test's own (not
// fibrecon's code): every row of every table, blobs as SHA-256, with the run
// records apart. Two projects hold the same when these dumps are equal; with
// `volatile` the columns that differ between two runs of the same step (times)
// are left out, to compare a result with a reference run's.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';

export interface StoredRun {
  id: number;
  step: string;
  /** As stored in the file ('running' for a run whose process was killed, until the next writer marks it). */
  status: string;
  error: string | null;
  log: string;
}

export interface ProjectContent {
  /** Table name -> rows (columns by name; blobs as "sha256:..."), in the order of their JSON text. The run table is not here. */
  tables: Record<string, Record<string, unknown>[]>;
  runs: StoredRun[];
}

/** Columns that differ between two runs of the same step: times, and the id of the run (one more after an interrupted run). */
const VOLATILE_COLUMN = /(_at|^at|^run_id)$/;

export function projectContent(path: string, opts: { volatile?: boolean } = {}): ProjectContent {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    const tables: ProjectContent['tables'] = {};
    for (const name of names) {
      if (name === 'run') continue;
      const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
      // Sorted by content: the order rows were inserted in (slices compressed in parallel) is no part of what the file holds.
      tables[name] = rows.map((row) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) {
          if (opts.volatile && VOLATILE_COLUMN.test(k)) continue;
          out[k] = Buffer.isBuffer(v) ? `sha256:${createHash('sha256').update(v).digest('hex')}` : v;
        }
        return out;
      });
      tables[name].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    const runs = db.prepare('SELECT id, step, status, error_json AS error, log FROM run ORDER BY id').all() as StoredRun[];
    return { tables, runs };
  } finally {
    db.close();
  }
}

export const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Bytes in the project's write-ahead log (0 when there is none). */
export function walBytes(project: string): number {
  const wal = `${project}-wal`;
  return existsSync(wal) ? statSync(wal).size : 0;
}
