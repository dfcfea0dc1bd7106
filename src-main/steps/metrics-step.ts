// The Quality step: isotropy metrics (e_TPCF, e_LPF, e_D, ligament diameters) of a
// label volume, whole or patch by patch, and MP / MGP / MDS against a ground truth
// (docs/metrics.md). One implementation for `fibrecon metrics` (computeQualityMetrics
// on any binary volume) and for the app's job (measureStoredVolume: project volumes
// in, a stored result out).
import type { Database } from 'better-sqlite3';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { type AxisCurves, METRIC_DEFINITIONS, type StoredMetrics, type StoredMetricValue } from '../../src-shared/metric-definitions';
import type { ProgressCallback } from '../../src-shared/progress';
import type { Volume } from '../../src-shared/volume';
import { asBinaryLabels } from '../import/read-tiff-volume';
import {
  type AnisotropyMetrics,
  anisotropyMetrics,
  compareToTruth,
  descriptors,
  type DirectionalCurve,
  patchAnisotropyMetrics,
  type PatchAnisotropySummary,
  type TruthComparison,
} from '../metrics';
import { listMetrics, saveMetrics } from '../project/metrics-store';
import { loadVolume } from '../project/save-volume';
import { getVolume } from '../project/volume-store';

export interface QualityOptions {
  truth?: Volume;
  /** Largest r of the curves, nm (rounded to whole voxels, at least 1). */
  rMaxNm?: number;
  /** Patch side in voxels: patches of nz x patch x patch. */
  patch?: number;
  /** Also the microstructure descriptors (docs/descriptors.md; slower). */
  descriptors?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface QualityResult {
  shape: Volume['shape'];
  voxelSizeNm: Volume['voxelSizeNm'];
  isotropy: AnisotropyMetrics | PatchAnisotropySummary;
  truth?: TruthComparison;
  descriptors?: Record<string, unknown>;
}

/** The metrics of a binary label volume (1 = solid), as `fibrecon metrics --json` prints them. */
export function computeQualityMetrics(volume: Volume, opts: QualityOptions = {}): QualityResult {
  const rMaxVoxels = opts.rMaxNm === undefined ? undefined : Math.max(1, Math.round(opts.rMaxNm / volume.voxelSizeNm.x));
  const onProgress = (fraction: number) => opts.onProgress?.({ fraction, message: 'Computing isotropy metrics' });
  const result: QualityResult = {
    shape: volume.shape,
    voxelSizeNm: volume.voxelSizeNm,
    isotropy:
      opts.patch === undefined
        ? anisotropyMetrics(volume, { rMaxVoxels, signal: opts.signal, onProgress })
        : patchAnisotropyMetrics(volume, { rMaxVoxels, patchShape: [volume.shape[0], Math.round(opts.patch), Math.round(opts.patch)], signal: opts.signal, onProgress }),
  };
  if (opts.truth) result.truth = compareToTruth(volume, opts.truth);
  if (opts.descriptors) {
    throwIfAborted(opts.signal);
    // docs/descriptors.md; these take longer (tortuosity: Dijkstra from each face).
    opts.onProgress?.({ fraction: 0, message: 'Computing microstructure descriptors' });
    result.descriptors = {
      surface: descriptors.specificSurfaceArea(volume),
      localThickness: descriptors.localThickness(volume),
      tortuosity: descriptors.geodesicTortuosity(volume),
      components: descriptors.connectedComponents(volume),
      glcm: descriptors.glcmAnisotropy(volume, { levels: 2 }),
    };
  }
  return result;
}

const value = (name: keyof typeof METRIC_DEFINITIONS, v: number | null, sd?: number): StoredMetricValue =>
  sd === undefined ? { name, value: v, unit: METRIC_DEFINITIONS[name].unit } : { name, value: v, unit: METRIC_DEFINITIONS[name].unit, sd };

const curves = (c: Record<'x' | 'y' | 'z', DirectionalCurve>): AxisCurves => ({
  x: { rNm: c.x.rNm, values: c.x.values },
  y: { rNm: c.y.rNm, values: c.y.values },
  z: { rNm: c.z.rNm, values: c.z.values },
});

/** The numbers of a result as stored (names and units of METRIC_DEFINITIONS) and the curves of a whole-volume result. */
export function metricValues(r: QualityResult): { values: StoredMetricValue[]; curves: { tpcf: AxisCurves; lpf: AxisCurves } | null } {
  const values: StoredMetricValue[] = [];
  let c: { tpcf: AxisCurves; lpf: AxisCurves } | null = null;
  if ('twoPointCorrelation' in r.isotropy) {
    const iso = r.isotropy;
    values.push(
      value('solid_fraction', iso.solidFraction),
      value('e_tpcf', iso.eTpcf),
      value('e_lpf', iso.eLpf),
      value('e_d', iso.eD),
      value('d_xy', iso.ligamentDiameterNm.xy),
      value('d_xz', iso.ligamentDiameterNm.xz),
      value('d_yz', iso.ligamentDiameterNm.yz),
    );
    c = { tpcf: curves(iso.twoPointCorrelation), lpf: curves(iso.linealPath) };
  } else {
    const p = r.isotropy;
    const solid = p.patches.length === 0 ? null : p.patches.reduce((a, q) => a + q.solidFraction, 0) / p.patches.length;
    values.push(value('solid_fraction', solid), value('e_tpcf', p.eTpcf.mean, p.eTpcf.sd), value('e_lpf', p.eLpf.mean, p.eLpf.sd), value('e_d', p.eD.mean, p.eD.sd));
  }
  if (r.truth) values.push(value('mp', r.truth.misplacedPercent), value('mgp', r.truth.misplacedSolidPercent), value('mds', r.truth.meanDice));
  return { values, curves: c };
}

export interface MetricsRequest {
  volume: string;
  truth?: string;
  rMaxNm?: number;
  patch?: number;
}

/** A stored volume as 0/1 labels (solid stored as 255 is read as 1); grey volumes are refused. */
export async function loadLabelVolume(db: Database, name: string, signal?: AbortSignal): Promise<{ volume: Volume; notice?: string }> {
  const v = getVolume(db, name);
  if (v.kind === 'probability') throw new AppError('invalid_input', `"${name}" is a probability volume: choose a label volume (segment it first).`);
  return asBinaryLabels(await loadVolume(db, name, signal), `"${name}"`);
}

/** Measures a project volume (and its truth), stores the result under the run; returns it as listMetrics does. */
export async function measureStoredVolume(
  db: Database,
  req: MetricsRequest,
  ctx: { signal?: AbortSignal; onProgress?: ProgressCallback; onNotice?: (m: string) => void; startRun: (params: Record<string, unknown>) => number; finishRun?: () => void },
): Promise<StoredMetrics> {
  const source = getVolume(db, req.volume);
  const truthInfo = req.truth === undefined ? undefined : getVolume(db, req.truth);
  if (truthInfo && truthInfo.shape.some((n, i) => n !== source.shape[i])) {
    throw new AppError(
      'size_mismatch',
      `"${source.name}" is ${source.shape.join(' x ')} voxels but the truth "${truthInfo.name}" is ${truthInfo.shape.join(' x ')}: choose a truth of the same shape.`,
    );
  }
  const runId = ctx.startRun({ volume: source.name, truth: truthInfo?.name ?? null, rMaxNm: req.rMaxNm ?? 'quarter of the shortest side', patch: req.patch ?? 'whole volume' });
  ctx.onProgress?.({ fraction: 0, message: `Reading "${source.name}"` });
  const { volume, notice } = await loadLabelVolume(db, source.name, ctx.signal);
  if (notice) ctx.onNotice?.(notice);
  let truth: Volume | undefined;
  if (truthInfo) {
    const t = await loadLabelVolume(db, truthInfo.name, ctx.signal);
    if (t.notice) ctx.onNotice?.(t.notice);
    truth = t.volume;
  }
  const result = computeQualityMetrics(volume, { truth, rMaxNm: req.rMaxNm, patch: req.patch, signal: ctx.signal, onProgress: ctx.onProgress });
  throwIfAborted(ctx.signal);
  const { values, curves: c } = metricValues(result);
  saveMetrics(db, { runId, volume: source.name, truth: truthInfo?.name, values, curves: c }, ctx.finishRun);
  const stored = listMetrics(db).find((m) => m.runId === runId);
  if (!stored) throw new AppError('internal', 'The metrics were computed but could not be read back from the project.');
  return stored;
}

/** One line for the user. */
export function describeMetrics(m: StoredMetrics): string {
  const get = (n: string) => m.values.find((v) => v.name === n)?.value;
  const f = (v: number | null | undefined, d = 4) => (typeof v === 'number' ? v.toFixed(d) : '—');
  let line = `Quality of "${m.volume}": e_TPCF ${f(get('e_tpcf'))}, e_LPF ${f(get('e_lpf'))}, e_D ${f(get('e_d'))}`;
  if (get('d_xy') !== undefined) line += `, D_xy ${f(get('d_xy'), 1)} nm`;
  if (m.truth) line += `; against "${m.truth}": MP ${f(get('mp'), 3)} %, MGP ${f(get('mgp'), 3)} %, MDS ${f(get('mds'))}`;
  return `${line}.`;
}
