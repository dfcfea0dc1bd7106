// The Thickness step: a measured thickness series for a volume's slices (Auto
// Slice & View ProjectData.dat, a CSV/TSV table, or the ruler markers in the
// volume's own images), checked against the stack, flagged (NaN / tiny /
// outliers), resolved as asked, stored as a thickness table with its run and,
// when applied, the slices moved to the measured z. One implementation for
// `fibrecon thickness` and the app's thickness job; storedThicknessSeries reads
// the latest series of a volume back for the Thickness panel.
import type { Database } from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ThicknessComparison, ThicknessSeries } from '../../src-shared/contract';
import { compareThicknessSeries } from '../thickness/thickness-compare';
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { listRuns } from '../project/runs';
import { loadVolume } from '../project/save-volume';
import { getVolume } from '../project/volume-store';
import { measureRulerThickness, rulerParsedThickness } from '../thickness/ruler-thickness';
import {
  DEFAULT_OUTLIER_Z,
  fitGamma,
  tryFitGamma,
  flagThickness,
  type GammaFit,
  getThicknessTable,
  listThicknessTables,
  matchSliceCount,
  parseAsvProjectData,
  parseThicknessTable,
  type ParsedThickness,
  type ResolutionAction,
  resolveFlaggedThickness,
  saveThicknessTable,
  summarizeThickness,
  type ThicknessResolution,
  type ThicknessSummary,
  zPositionsNmFromThickness,
} from '../thickness';

export const THICKNESS_RESOLUTIONS = ['keep', 'target', 'median', 'interpolate'] as const;

export type ThicknessSourceRequest =
  | { asv: string }
  | { table: string; unit?: string; column?: 'thickness' | 'z' }
  | { ruler: { x: number; y: number; width: number; height: number; angleDeg: number; markerPolarity?: 'bright' | 'dark' } };

export interface ThicknessRequest {
  volume: string;
  /** Other volumes of the same milling (the same slices): each gets the same series as a table of its own, in the same transaction. */
  alsoVolumes?: string[];
  source: ThicknessSourceRequest;
  resolve?: { nan?: ThicknessResolution; tiny?: ThicknessResolution; outliers?: ThicknessResolution };
  /** |z| beyond which a value is an outlier (default 1.5). */
  zLimit?: number;
  /** Target thickness for 'target' and the plot, nm (default: the file's, else the volume's z voxel size). */
  targetNm?: number;
  apply: boolean;
}

export interface ThicknessReport {
  tableId: number;
  /** Every volume the series was stored for (the first is `volume`), with its table. */
  tables: { volume: string; tableId: number }[];
  notes: string[];
  flags: { nan: number; tiny: number; outlier: number };
  statistics: ThicknessSummary;
  /** Null when the series cannot be fitted (e.g. every slice the same thickness); the reason is in `notes`. */
  gamma: GammaFit | null;
  applied: boolean;
  actions: ResolutionAction[];
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new AppError('file_not_found', `${file} cannot be read: check the path.`, file);
  }
}

function sourceFile(s: ThicknessSourceRequest): string {
  return 'asv' in s ? s.asv : 'table' in s ? s.table : 'ruler';
}

/** Imports a thickness series for a stored volume (and applies it when asked); the run is started via ctx.startRun and marked done with the table. */
export async function importStoredThickness(
  db: Database,
  req: ThicknessRequest,
  ctx: { signal?: AbortSignal; onProgress?: ProgressCallback; startRun: (params: Record<string, unknown>) => number; finishRun?: () => void },
): Promise<ThicknessReport> {
  const v = getVolume(db, req.volume);
  const others = [...new Set(req.alsoVolumes ?? [])].filter((n) => n !== v.name).map((n) => getVolume(db, n));
  for (const o of others) {
    if (o.shape[0] !== v.shape[0]) {
      throw new AppError(
        'invalid_input',
        `"${o.name}" has ${o.shape[0]} slices and "${v.name}" ${v.shape[0]}: one thickness series is for volumes of the same milling (the same slices). Apply it to each separately.`,
      );
    }
  }
  const file = sourceFile(req.source);
  const ruler = 'ruler' in req.source ? req.source.ruler : undefined;
  const r = req.resolve ?? {};
  const params = {
    volume: v.name,
    alsoVolumes: others.length > 0 ? others.map((o) => o.name) : undefined,
    file,
    rulerRegion: ruler ? `${ruler.x},${ruler.y},${ruler.width},${ruler.height}` : undefined,
    angleDeg: ruler ? String(ruler.angleDeg) : undefined,
    nan: r.nan,
    tiny: r.tiny,
    outliers: r.outliers,
    apply: req.apply,
  };
  // A table is read and checked before the run is recorded, so a refused file leaves the project as it
  // was; a ruler measurement is long work and runs under its record.
  let runId = ruler ? ctx.startRun(params) : undefined;
  let parsed: ParsedThickness & { uncertaintyNm?: number[] };
  if (ruler) {
    ctx.onProgress?.({ fraction: 0, message: `Measuring the ruler markers of "${v.name}"` });
    const stack = await loadVolume(db, v.name, ctx.signal);
    const m = measureRulerThickness(stack.slices, v.shape[2], v.shape[1], {
      region: { x: ruler.x, y: ruler.y, width: ruler.width, height: ruler.height },
      angleDeg: ruler.angleDeg,
      pixelSizeNm: v.voxelSizeNm.x,
      markerPolarity: ruler.markerPolarity ?? 'bright',
      signal: ctx.signal,
    });
    parsed = rulerParsedThickness(m);
  } else if ('asv' in req.source) {
    parsed = parseAsvProjectData(readText(file), basename(file));
  } else {
    const t = req.source as { table: string; unit?: string; column?: 'thickness' | 'z' };
    parsed = parseThicknessTable(readText(file), { source: 'ruler', unit: t.unit, column: t.column, fileName: basename(file) });
  }
  const matched = matchSliceCount(parsed, v.shape[0]);
  const flagged = flagThickness(matched.thicknessNm, { outlierZ: req.zLimit });
  // One milling, one target: the file's, else the z of a channel whose spacing was not assumed (a stack without
  // a slice spacing in its metadata must not pull the other channels' target to its guess).
  const nominal = [v, ...others].find((x) => !x.voxelSizeSource.z.startsWith('assumed')) ?? v;
  const target = req.targetNm ?? matched.targetNm ?? nominal.voxelSizeNm.z;
  const resolved = resolveFlaggedThickness(
    matched.thicknessNm,
    flagged.flags,
    { nan: r.nan ?? 'interpolate', tiny: r.tiny ?? 'interpolate', outlier: r.outliers ?? 'keep' },
    { targetNm: target },
  );
  const stats = summarizeThickness(resolved.thicknessNm);
  const gammaTry = tryFitGamma(resolved.thicknessNm);
  const gamma = gammaTry.fit;
  const gammaNote = gammaTry.fit ? [] : [`${gammaTry.skipped}; the table is used as it is.`];
  runId ??= ctx.startRun(params);
  db.exec('BEGIN IMMEDIATE');
  const tables: { volume: string; tableId: number }[] = [];
  try {
    for (const vol of [v, ...others]) {
      const tableId = saveThicknessTable(db, {
        volumeId: vol.id,
        source: parsed.source,
        description: `${basename(file)} for "${vol.name}"${vol === v ? '' : ` (as for "${v.name}": same milling)`} (${flagged.counts.nan} NaN, ${flagged.counts.tiny} <= 1 nm, ${flagged.counts.outlier} outliers; resolved: nan ${params.nan ?? 'interpolate'}, tiny ${params.tiny ?? 'interpolate'}, outliers ${params.outliers ?? 'keep'})`,
        values: resolved.thicknessNm.map((t, i) => ({ sliceIndex: i, thicknessNm: t, uncertaintyNm: parsed.uncertaintyNm?.[i], flag: flagged.flags[i] ?? undefined })),
        runId,
      });
      tables.push({ volume: vol.name, tableId });
      if (req.apply) {
        const z = zPositionsNmFromThickness(resolved.thicknessNm);
        const update = db.prepare('UPDATE slice SET z_nm = ? WHERE volume_id = ? AND z_index = ?');
        z.forEach((zNm, i) => update.run(zNm, vol.id, i));
        db.prepare("UPDATE volume SET voxel_z_nm = ?, voxel_source_json = json_set(voxel_source_json, '$.z', ?) WHERE id = ?").run(
          stats.meanNm,
          `mean of the measured thicknesses (${basename(file)}, table ${tableId})`,
          vol.id,
        );
      }
    }
    // The target is known only once the file is read: kept with the run's parameters for the plot (one for every volume of the run).
    db.prepare("UPDATE run SET params_json = json_set(params_json, '$.targetNm', json(?)) WHERE id = ?").run(JSON.stringify(target), runId);
    ctx.finishRun?.(); // in the transaction: every volume's table and the run land together
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
  const tableId = tables[0].tableId;
  return { tableId, tables, notes: [...parsed.notes, ...matched.notes, ...gammaNote], flags: flagged.counts, statistics: stats, gamma, applied: req.apply, actions: resolved.actions };
}

/** The CLI's text for a report. */
export function describeThicknessLines(r: ThicknessReport, volume: string, file: string, zLimit: number | undefined): string[] {
  const s = r.statistics;
  return [
    `Thickness table ${r.tableId} for "${volume}" from ${basename(file)}: ${s.count} values`,
    `Flags: ${r.flags.nan} not measured, ${r.flags.tiny} <= 1 nm, ${r.flags.outlier} beyond |z| ${zLimit ?? DEFAULT_OUTLIER_Z}`,
    `After correction: mean ${s.meanNm.toFixed(2)} nm, sd ${s.sdNm.toFixed(2)} nm, min ${s.minNm.toFixed(2)} nm, max ${s.maxNm.toFixed(2)} nm; ${r.gamma ? `gamma fit shape ${r.gamma.shape.toFixed(2)}, scale ${r.gamma.scaleNm.toFixed(2)} nm` : 'gamma fit skipped (see the notes)'}`,
  ];
}

/** One line for the user (job message). */
export function describeThickness(r: ThicknessReport, volume: string): string {
  const s = r.statistics;
  return (
    `Thickness table ${r.tableId} for "${volume}": ${s.count} values, mean ${s.meanNm.toFixed(2)} nm, sd ${s.sdNm.toFixed(2)} nm ` +
    `(${r.flags.nan} not measured, ${r.flags.tiny} <= 1 nm, ${r.flags.outlier} outliers)` +
    (r.applied ? '; applied as the z positions of the slices' : '; not applied') +
    (r.tables.length > 1 ? ` (also for ${r.tables.slice(1).map((t) => `"${t.volume}" as table ${t.tableId}`).join(', ')}: the same milling).` : '.')
  );
}

/** The latest stored thickness series of a volume (null when it has none), with its flags, target and statistics. */
export function storedThicknessSeries(db: Database, volume: string): ThicknessSeries | null {
  const v = getVolume(db, volume);
  const tables = listThicknessTables(db, { volumeId: v.id });
  const last = tables.at(-1);
  if (!last) return null;
  const t = getThicknessTable(db, last.id);
  const run = last.runId === null ? undefined : listRuns(db).find((x) => x.id === last.runId);
  const p = (run?.params ?? {}) as { targetNm?: number | (number | null)[]; apply?: boolean };
  const thicknessNm = t.values.map((x) => x.thicknessNm);
  let gamma: GammaFit | null = null;
  try {
    gamma = fitGamma(thicknessNm);
  } catch {
    gamma = null;
  }
  const target = p.targetNm;
  return {
    tableId: t.id,
    volume: v.name,
    source: t.source,
    description: t.description,
    createdAt: t.createdAt,
    thicknessNm,
    flags: t.values.map((x) => x.flag),
    targetNm: target === undefined ? null : Array.isArray(target) ? target : thicknessNm.map(() => target),
    applied: p.apply === true,
    statistics: summarizeThickness(thicknessNm),
    gamma,
    zPositionsNm: [...v.zPositionsNm],
    comparison: thicknessComparison(db, tables),
  };
}

/** The latest ASV and the latest ruler series of a volume compared, when it has both. */
function thicknessComparison(db: Database, tables: { id: number; source: string }[]): ThicknessComparison | null {
  const asv = tables.filter((t) => t.source === 'asv').at(-1);
  const ruler = tables.filter((t) => t.source === 'ruler').at(-1);
  if (!asv || !ruler) return null;
  const read = (id: number) => {
    const t = getThicknessTable(db, id);
    return { tableId: t.id, description: t.description, thicknessNm: t.values.map((x) => x.thicknessNm) };
  };
  const a = read(asv.id);
  const r = read(ruler.id);
  return { asv: a, ruler: r, ...compareThicknessSeries(a.thicknessNm, r.thicknessNm) };
}
