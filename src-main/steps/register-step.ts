// The Registration step: the slices of each volume aligned to each other (every
// slice to its predecessor, drift accumulated) and, for several volumes, every
// volume onto a reference; the translations applied with one common crop and
// the results stored as new volumes whose metadata keep the translations
// (translationsPx, dy/dx px per slice). One implementation for `fibrecon
// register` and the app's register job.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';
import { maxOf } from '../../src-shared/min-max';
import type { ProgressCallback } from '../../src-shared/progress';
import { applyTranslations, commonValidCrop, composeTranslations, registerAcrossChannels, registerWithinStack, type Translation } from '../geometry/register';
import { appendRunLog } from '../project/runs';
import { loadVolume, saveDerivedVolume } from '../project/save-volume';
import { getVolume, volumeNameExists } from '../project/volume-store';

export interface RegisterRequest {
  volumes: string[];
  /** Default: the 2 kV or TLD volume, else the first. */
  reference?: string;
  region?: { x: number; y: number; width: number; height: number };
  maxShiftPx?: number;
  /** Appended to each name for the results (default "-reg"). */
  suffix?: string;
}

export interface RegisterReport {
  reference: string;
  crop: { x: number; y: number; width: number; height: number };
  channels: Record<string, { out: string; translationsPx: Translation[]; failedSlices: number[]; acrossFailedSlices?: number[]; perStack?: unknown; spreadPx?: unknown }>;
}

export function defaultReference(names: string[]): string {
  return names.find((n) => /(^|[^0-9])2\s*kV/i.test(n)) ?? names.find((n) => /TLD/i.test(n)) ?? names[0];
}

export async function registerStoredVolumes(
  db: Database,
  req: RegisterRequest,
  ctx: { signal?: AbortSignal; onProgress?: ProgressCallback; startRun: (params: Record<string, unknown>) => number },
): Promise<RegisterReport> {
  const names = req.volumes;
  if (names.length === 0) throw new AppError('invalid_input', 'Choose at least one volume to register.');
  if (new Set(names).size !== names.length) throw new AppError('invalid_input', `A volume is listed twice (${names.join(', ')}): list each once.`);
  const reference = req.reference ?? defaultReference(names);
  if (!names.includes(reference)) throw new AppError('invalid_input', `The reference "${reference}" is not among the volumes to register (${names.join(', ')}): add it to the volumes.`);
  const suffix = req.suffix ?? '-reg';
  const signal = ctx.signal ?? new AbortController().signal;
  const show: ProgressCallback = ctx.onProgress ?? (() => {});
  const opts = { region: req.region, maxShiftPx: req.maxShiftPx };
  for (const n of names) if (volumeNameExists(db, n + suffix)) throw new AppError('invalid_input', `The project already has "${n + suffix}": choose another suffix.`);
  const infos = names.map((n) => getVolume(db, n));
  const shape = infos[0].shape;
  for (const i of infos) {
    if (i.shape[0] !== shape[0] || i.shape[1] !== shape[1] || i.shape[2] !== shape[2]) {
      throw new AppError('size_mismatch', `"${infos[0].name}" is ${shape.join(' x ')} voxels but "${i.name}" is ${i.shape.join(' x ')}: register volumes of the same shape.`);
    }
  }
  const runId = ctx.startRun({ volumes: names, reference, ...opts, suffix });
  const stacks = new Map<string, Awaited<ReturnType<typeof loadVolume>>>();
  for (const n of names) stacks.set(n, await loadVolume(db, n, signal));
  const [, height, width] = shape;
  const ref = stacks.get(reference)!;
  const within = new Map<string, ReturnType<typeof registerWithinStack>>();
  names.forEach((n, i) => {
    show({ fraction: i / (2 * names.length), message: `Registering the slices of "${n}"` });
    within.set(n, registerWithinStack(stacks.get(n)!.slices, width, height, { ...opts, signal }));
  });
  // Other volumes: slice i onto the reference's slice i, then with the reference's own drift.
  const totals = new Map<string, Translation[]>();
  const report: Record<string, { failedSlices: number[]; acrossFailedSlices?: number[]; perStack?: unknown; spreadPx?: unknown }> = {};
  for (const n of names) {
    const w = within.get(n)!;
    if (n === reference) {
      totals.set(n, w.shifts);
      report[n] = { failedSlices: w.failedSlices };
      continue;
    }
    const across = registerAcrossChannels(ref.slices, stacks.get(n)!.slices, width, height, { ...opts, signal });
    totals.set(n, composeTranslations(across.perSlice, within.get(reference)!.shifts));
    report[n] = { failedSlices: w.failedSlices, acrossFailedSlices: across.failedSlices, perStack: across.perStack, spreadPx: across.spreadPx };
  }
  const crop = commonValidCrop([...totals.values()].flat(), width, height);
  for (const [i, n] of names.entries()) {
    show({ fraction: 0.5 + i / (2 * names.length), message: `Applying the translations to "${n}"` });
    const info = infos[i];
    const src = stacks.get(n)!;
    const moved = applyTranslations(src.slices, width, height, totals.get(n)!, { interpolation: info.kind === 'labels' ? 'nearest' : 'linear', crop, signal });
    await saveDerivedVolume(
      db,
      { ...src, shape: [src.shape[0], crop.height, crop.width], slices: moved.slices },
      {
        name: n + suffix,
        kind: info.kind,
        voxelSizeSource: info.voxelSizeSource,
        metadata: { registeredFrom: n, reference, crop, translationsPx: totals.get(n), ...report[n] },
        runId,
        signal,
      },
    );
    appendRunLog(db, runId, `${n}: translations (dy, dx px) ${JSON.stringify(totals.get(n)!.map((t) => [+t.dy.toFixed(3), +t.dx.toFixed(3)]))}`);
  }
  return { reference, crop, channels: Object.fromEntries(names.map((n) => [n, { out: n + suffix, translationsPx: totals.get(n)!, ...report[n] }])) };
}

/** Lines for the user: the common area, then the largest translation per volume. */
export function describeRegistration(r: RegisterReport): string[] {
  const names = Object.keys(r.channels);
  const lines = [`Registered ${names.map((n) => `"${n}"`).join(', ')} onto "${r.reference}"; common valid area x ${r.crop.x}, y ${r.crop.y}, ${r.crop.width} x ${r.crop.height} px.`];
  for (const n of names) {
    const c = r.channels[n];
    const maxShift = maxOf(c.translationsPx.map((s) => Math.hypot(s.dx, s.dy)));
    lines.push(`  ${n} -> "${c.out}": largest translation ${maxShift.toFixed(2)} px${c.failedSlices.length ? `; matches failed at slices ${c.failedSlices.join(', ')} (kept the previous translation)` : ''}`);
  }
  return lines;
}
