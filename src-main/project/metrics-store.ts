// Quality results in the project's metric table (schema v2): one row per number
// (name, value, unit), grouped by the run that computed them. The curves of
// e_TPCF and e_LPF and patch statistics travel in detail_json of their rows.
import type { Database } from 'better-sqlite3';
import { type AxisCurves, METRIC_NAMES, type MetricName, type StoredMetrics, type StoredMetricValue } from '../../src-shared/metric-definitions';
import { getVolume } from './volume-store';

export interface MetricsToSave {
  runId: number;
  volume: string;
  truth?: string;
  values: StoredMetricValue[];
  curves?: { tpcf: AxisCurves; lpf: AxisCurves } | null;
}

/** Writes one result (every value as a row) in one transaction; finishRun (the run marked done) inside it. */
export function saveMetrics(db: Database, m: MetricsToSave, finishRun?: () => void): void {
  const volumeId = getVolume(db, m.volume).id;
  const truthId = m.truth === undefined ? null : getVolume(db, m.truth).id;
  const insert = db.prepare('INSERT INTO metric (volume_id, reference_volume_id, run_id, name, value, unit, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const v of m.values) {
      const detail: Record<string, unknown> = {};
      if (v.sd !== undefined) detail.sd = v.sd;
      if (m.curves && v.name === 'e_tpcf') detail.curves = m.curves.tpcf;
      if (m.curves && v.name === 'e_lpf') detail.curves = m.curves.lpf;
      const ref = v.name === 'mp' || v.name === 'mgp' || v.name === 'mds' ? truthId : null;
      insert.run(volumeId, ref, m.runId, v.name, v.value, v.unit, Object.keys(detail).length > 0 ? JSON.stringify(detail) : null);
    }
    finishRun?.();
  })();
}

interface Row {
  run_id: number;
  name: string;
  value: number | null;
  unit: string;
  detail_json: string | null;
  volume: string;
  truth: string | null;
  started_at: string;
  params_json: string;
}

/** Every stored result, oldest first; values in METRIC_NAMES order. */
export function listMetrics(db: Database): StoredMetrics[] {
  const rows = db
    .prepare(
      `SELECT m.run_id, m.name, m.value, m.unit, m.detail_json, v.name AS volume, t.name AS truth, r.started_at, r.params_json
       FROM metric m JOIN volume v ON v.id = m.volume_id JOIN run r ON r.id = m.run_id LEFT JOIN volume t ON t.id = m.reference_volume_id
       ORDER BY m.run_id, m.id`,
    )
    .all() as Row[];
  const byRun = new Map<number, StoredMetrics & { tpcf?: AxisCurves; lpf?: AxisCurves }>();
  for (const r of rows) {
    let rec = byRun.get(r.run_id);
    if (!rec) {
      rec = { runId: r.run_id, volume: r.volume, truth: null, when: r.started_at, params: JSON.parse(r.params_json) as Record<string, unknown>, values: [], curves: null };
      byRun.set(r.run_id, rec);
    }
    if (r.truth !== null) rec.truth = r.truth;
    const detail = r.detail_json ? (JSON.parse(r.detail_json) as { sd?: number; curves?: AxisCurves }) : {};
    const v: StoredMetricValue = { name: r.name as MetricName, value: r.value, unit: r.unit };
    if (detail.sd !== undefined) v.sd = detail.sd;
    rec.values.push(v);
    if (detail.curves && r.name === 'e_tpcf') rec.tpcf = detail.curves;
    if (detail.curves && r.name === 'e_lpf') rec.lpf = detail.curves;
  }
  const order = (n: string) => METRIC_NAMES.indexOf(n as MetricName);
  return [...byRun.values()].map(({ tpcf, lpf, ...rec }) => ({
    ...rec,
    values: rec.values.sort((a, b) => order(a.name) - order(b.name)),
    curves: tpcf && lpf ? { tpcf, lpf } : null,
  }));
}
