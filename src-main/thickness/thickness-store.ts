// Thickness tables in the project (tables thickness_table, thickness_value):
// every source a user imports or derives is kept, with its flags and the run
// that made it, so that a reconstruction can say which thicknesses it used.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';

export type StoredThicknessSource = 'asv' | 'ruler' | 'table' | 'target' | 'synthetic';

export interface ThicknessValueRow {
  /** The slice the milling starts from (0-based): thickness between it and the next. */
  sliceIndex: number;
  thicknessNm: number | null;
  uncertaintyNm?: number | null;
  /** A flag or the resolution applied ('nan', 'tiny', 'outlier', 'interpolate', ...). */
  flag?: string | null;
}

export interface NewThicknessTable {
  volumeId?: number;
  source: StoredThicknessSource;
  description: string;
  values: readonly ThicknessValueRow[];
  runId?: number;
}

export interface ThicknessTableSummary {
  id: number;
  volumeId: number | null;
  source: StoredThicknessSource;
  description: string;
  createdAt: string;
  runId: number | null;
  valueCount: number;
}

export interface ThicknessTableRecord extends ThicknessTableSummary {
  values: Required<ThicknessValueRow>[];
}

const SOURCES: readonly StoredThicknessSource[] = ['asv', 'ruler', 'table', 'target', 'synthetic'];

export function saveThicknessTable(db: Database, t: NewThicknessTable): number {
  if (!SOURCES.includes(t.source)) throw new AppError('invalid_input', `"${t.source}" is not a thickness source: use one of ${SOURCES.join(', ')}.`);
  const seen = new Set<number>();
  for (const v of t.values) {
    if (!Number.isInteger(v.sliceIndex) || v.sliceIndex < 0) throw new AppError('invalid_input', `slice index ${v.sliceIndex} is not a whole number >= 0.`);
    if (seen.has(v.sliceIndex)) throw new AppError('invalid_input', `slice index ${v.sliceIndex} appears twice in the thickness table: give one value per slice.`);
    seen.add(v.sliceIndex);
  }
  const finite = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : x);
  const insertTable = db.prepare('INSERT INTO thickness_table (volume_id, source, description, created_at, run_id) VALUES (?, ?, ?, ?, ?)');
  const insertValue = db.prepare('INSERT INTO thickness_value (table_id, slice_index, thickness_nm, uncertainty_nm, flag) VALUES (?, ?, ?, ?, ?)');
  return db.transaction(() => {
    const id = Number(insertTable.run(t.volumeId ?? null, t.source, t.description, new Date().toISOString(), t.runId ?? null).lastInsertRowid);
    for (const v of t.values) insertValue.run(id, v.sliceIndex, finite(v.thicknessNm), finite(v.uncertaintyNm), v.flag ?? null);
    return id;
  })();
}

interface TableRow {
  id: number;
  volume_id: number | null;
  source: StoredThicknessSource;
  description: string;
  created_at: string;
  run_id: number | null;
  value_count: number;
}

const SUMMARY_SQL = `SELECT t.*, (SELECT COUNT(*) FROM thickness_value v WHERE v.table_id = t.id) AS value_count FROM thickness_table t`;

function summary(r: TableRow): ThicknessTableSummary {
  return { id: r.id, volumeId: r.volume_id, source: r.source, description: r.description, createdAt: r.created_at, runId: r.run_id, valueCount: r.value_count };
}

/** All thickness tables, oldest first; only those of one volume when volumeId is given. */
export function listThicknessTables(db: Database, opts: { volumeId?: number } = {}): ThicknessTableSummary[] {
  const rows = (opts.volumeId === undefined ? db.prepare(`${SUMMARY_SQL} ORDER BY t.id`).all() : db.prepare(`${SUMMARY_SQL} WHERE t.volume_id = ? ORDER BY t.id`).all(opts.volumeId)) as TableRow[];
  return rows.map(summary);
}

export function getThicknessTable(db: Database, id: number): ThicknessTableRecord {
  const row = db.prepare(`${SUMMARY_SQL} WHERE t.id = ?`).get(id) as TableRow | undefined;
  if (!row) throw new AppError('not_found', `thickness table ${id} does not exist in this project: it may have been deleted; reload the list.`);
  const values = db
    .prepare('SELECT slice_index, thickness_nm, uncertainty_nm, flag FROM thickness_value WHERE table_id = ? ORDER BY slice_index')
    .all(id) as { slice_index: number; thickness_nm: number | null; uncertainty_nm: number | null; flag: string | null }[];
  return { ...summary(row), values: values.map((v) => ({ sliceIndex: v.slice_index, thicknessNm: v.thickness_nm, uncertaintyNm: v.uncertainty_nm, flag: v.flag })) };
}

export function deleteThicknessTable(db: Database, id: number): void {
  const info = db.prepare('DELETE FROM thickness_table WHERE id = ?').run(id);
  if (info.changes === 0) throw new AppError('not_found', `thickness table ${id} does not exist in this project: reload the list.`);
}
