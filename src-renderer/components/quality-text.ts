// What the Quality and Export steps say (no DOM): every metric with its unit and
// precision, its definition for the hover text, two results side by side with
// their differences, and one line per export format. Pure, for Node tests.
import type { ExportFormatInfo } from '../../src-shared/contract';
import { METRIC_DEFINITIONS, METRIC_NAMES, type MetricName, type StoredMetricValue, type StoredMetrics } from '../../src-shared/metric-definitions';
import { formatDateTime } from '../format';

const DIGITS: Record<MetricName, number> = { solid_fraction: 1, e_tpcf: 4, e_lpf: 4, e_d: 4, d_xy: 1, d_xz: 1, d_yz: 1, mp: 3, mgp: 3, mds: 4 };

/** Fractions stored as 0..1 and shown in per cent (0.2191 -> 21.9 %). */
const PERCENT_OF_FRACTION: ReadonlySet<MetricName> = new Set(['solid_fraction']);

export function formatNumber(name: MetricName, v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  return (PERCENT_OF_FRACTION.has(name) ? 100 * v : v).toFixed(DIGITS[name]);
}

const percentSuffix = (name: MetricName, text: string) => (PERCENT_OF_FRACTION.has(name) && text !== '—' ? `${text} %` : text);

/** "0.0123", "0.0123 ± 0.0040" (patches), "21.9 %" (solid fraction), "—" for undefined. */
export function formatMetricValue(v: StoredMetricValue): string {
  const main = formatNumber(v.name, v.value);
  return percentSuffix(v.name, v.sd === undefined ? main : `${main} ± ${formatNumber(v.name, v.sd)}`);
}

export function unitText(unit: string): string {
  return unit === '-' ? '' : unit;
}

/** Hover text of a number: label, definition and unit. */
export function metricTitle(name: MetricName, sd?: boolean): string {
  const d = METRIC_DEFINITIONS[name];
  const unit = d.unit === '-' ? 'no unit' : `unit ${d.unit}`;
  return `${d.label}: ${d.definition} (${unit}${sd ? '; mean ± sd over the patches' : ''})`;
}

/** "labels · 21 Nov 2026 17:30 · against truth" for pickers. */
export function resultLabel(m: StoredMetrics): string {
  const when = new Date(m.when);
  const t = Number.isNaN(when.getTime()) ? m.when : formatDateTime(when);
  const patch = typeof m.params.patch === 'number' ? ` · patches of ${m.params.patch} px` : '';
  return `#${m.runId} ${m.volume}${m.truth ? ` vs truth ${m.truth}` : ''}${patch} · ${t}`;
}

export interface ComparedRow {
  name: MetricName;
  a: StoredMetricValue | undefined;
  b: StoredMetricValue | undefined;
  /** b - a where both exist. */
  diff: number | null;
}

/** Every metric either result has, in the usual order, with b - a. */
export function compareResults(a: StoredMetrics, b: StoredMetrics): ComparedRow[] {
  const get = (m: StoredMetrics, n: MetricName) => m.values.find((v) => v.name === n);
  return METRIC_NAMES.filter((n) => get(a, n) !== undefined || get(b, n) !== undefined).map((name) => {
    const va = get(a, name);
    const vb = get(b, name);
    const diff = typeof va?.value === 'number' && typeof vb?.value === 'number' ? vb.value - va.value : null;
    return { name, a: va, b: vb, diff };
  });
}

export function formatDiff(name: MetricName, diff: number | null): string {
  if (diff === null) return '—';
  const t = formatNumber(name, Math.abs(diff));
  if (Number(t) === 0) return percentSuffix(name, `±${t}`);
  return percentSuffix(name, `${diff > 0 ? '+' : '−'}${t}`);
}

/** "AmiraMesh (.am) — read by Avizo, Amira, Fiji (Bio-Formats)" */
export function formatLine(f: ExportFormatInfo): string {
  return `${f.name} (${f.extensions.join(' + ')}) — read by ${f.readBy.join(', ')}`;
}

/** The destination with the format's extension: keeps the folder and base name, swaps a known extension. */
export function pathWithExtension(path: string, f: ExportFormatInfo, known: readonly ExportFormatInfo[]): string {
  const ext = f.extensions[0];
  if (path.trim() === '') return path;
  const all = [...new Set(known.flatMap((k) => k.extensions))].sort((x, y) => y.length - x.length);
  const current = all.find((e) => path.toLowerCase().endsWith(e));
  return current === undefined ? `${path}${ext}` : `${path.slice(0, path.length - current.length)}${ext}`;
}
