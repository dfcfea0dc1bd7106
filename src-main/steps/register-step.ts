// The Registration step: the drift within the reference volume (matches of every
// slice with slices 1, 2, 3, 5 and 8 before it, a robust least-squares drift path,
// applied only when significant) and, for several volumes, each other volume's
// offset onto the reference (applied only when significant); the translations
// applied with one common crop (exactly their range: none when nothing moves) and
// the results stored as new volumes. Their metadata keep the translations applied
// (translationsPx), the drift as fitted with its standard error and confidence per
// slice, the verdict and the warnings; so does the run's log. Sub-pixel shifts
// resample (bilinear); wholePixels rounds them so that grey values stay raw. One
// implementation for `fibrecon register` and the app's register job.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors';
import { maxOf } from '../../src-shared/min-max';
import type { ProgressCallback } from '../../src-shared/progress';
import { applyTranslations, commonValidCrop, registerAcrossChannels, registerWithinStack } from '../geometry/register';
import { otherChannelDrift, referenceDrift, type ChannelDrift } from '../geometry/register-report';
import { appendRunLog } from '../project/runs';
import { loadVolume, saveDerivedVolume } from '../project/save-volume';
import { getVolume, volumeNameExists } from '../project/volume-store';

export interface RegisterRequest {
  volumes: string[];
  /** Default: the 2 kV or TLD volume, else the first. */
  reference?: string;
  region?: { x: number; y: number; width: number; height: number };
  maxShiftPx?: number;
  /** Round the translations to whole pixels: no resampling, grey values kept as they are. */
  wholePixels?: boolean;
  /** Appended to each name for the results (default "-reg"). */
  suffix?: string;
}

export interface RegisteredChannel extends ChannelDrift {
  out: string;
  /** Other volumes: the offset onto the reference as measured, and what was applied. */
  offset?: { measuredPx: { dy: number; dx: number }; sigmaPx: { dy: number; dx: number }; appliedPx: { dy: number; dx: number }; perSlice: boolean; message: string };
}

export interface RegisterReport {
  reference: string;
  wholePixels: boolean;
  crop: { x: number; y: number; width: number; height: number };
  channels: Record<string, RegisteredChannel>;
  /** Every channel's warnings, prefixed with its name. */
  warnings: string[];
}

export function defaultReference(names: string[]): string {
  return names.find((n) => /(^|[^0-9])2\s*kV/i.test(n)) ?? names.find((n) => /TLD/i.test(n)) ?? names[0];
}

const round3 = (v: number) => +v.toFixed(3);
const pairs3 = (t: { dy: number; dx: number }[]) => JSON.stringify(t.map((s) => [round3(s.dy), round3(s.dx)]));

export async function registerStoredVolumes(
  db: Database,
  req: RegisterRequest,
  ctx: { signal?: AbortSignal; onProgress?: ProgressCallback; startRun: (params: Record<string, unknown>) => number; finishRun?: () => void },
): Promise<RegisterReport> {
  const names = req.volumes;
  if (names.length === 0) throw new AppError('invalid_input', 'Choose at least one volume to register.');
  if (new Set(names).size !== names.length) throw new AppError('invalid_input', `A volume is listed twice (${names.join(', ')}): list each once.`);
  const reference = req.reference ?? defaultReference(names);
  if (!names.includes(reference)) throw new AppError('invalid_input', `The reference "${reference}" is not among the volumes to register (${names.join(', ')}): add it to the volumes.`);
  const suffix = req.suffix ?? '-reg';
  const wholePixels = req.wholePixels ?? false;
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
  const runId = ctx.startRun({ volumes: names, reference, ...opts, wholePixels, suffix });
  const stacks = new Map<string, Awaited<ReturnType<typeof loadVolume>>>();
  for (const n of names) stacks.set(n, await loadVolume(db, n, signal));
  const [, height, width] = shape;
  const ref = stacks.get(reference)!;
  // Progress: the reference's drift 0 .. 0.4, the other channels' offsets up to 0.5, applying and saving the rest.
  const part = (from: number, span: number, what: string): ProgressCallback => (p) => show({ fraction: from + span * p.fraction, message: `${what}: ${p.message}` });
  const within = registerWithinStack(ref.slices, width, height, { ...opts, signal, onProgress: part(0, 0.4, `Drift of "${reference}"`) });
  const channels = new Map<string, ChannelDrift & { offset?: RegisteredChannel['offset'] }>();
  const others = names.filter((n) => n !== reference);
  for (const [k, n] of names.entries()) {
    if (n === reference) {
      channels.set(n, referenceDrift(within, wholePixels));
      continue;
    }
    const across = registerAcrossChannels(ref.slices, stacks.get(n)!.slices, width, height, {
      ...opts, signal, onProgress: part(0.4 + (0.1 * k) / names.length, 0.1 / Math.max(1, others.length), `Offset of "${n}" onto "${reference}"`),
    });
    channels.set(n, {
      ...otherChannelDrift(within, across, wholePixels),
      offset: { measuredPx: across.measuredOffset, sigmaPx: across.offsetSigmaPx, appliedPx: across.perStack, perSlice: across.perSliceUsed, message: across.message },
    });
  }
  const crop = commonValidCrop([...channels.values()].flatMap((c) => c.translationsPx), width, height);
  // The registered volumes are one result: stored in one transaction (each volume a savepoint
  // of it) with the run marked done, so a kill, cancel or error keeps all of them or none.
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const [i, n] of names.entries()) {
      show({ fraction: 0.5 + i / (2 * names.length), message: `Applying the translations to "${n}"` });
      const info = infos[i];
      const src = stacks.get(n)!;
      const c = channels.get(n)!;
      const moved = applyTranslations(src.slices, width, height, c.translationsPx, { interpolation: info.kind === 'labels' ? 'nearest' : 'linear', crop, signal });
      await saveDerivedVolume(
        db,
        { ...src, shape: [src.shape[0], crop.height, crop.width], slices: moved.slices },
        {
          name: n + suffix,
          kind: info.kind,
          voxelSizeSource: info.voxelSizeSource,
          metadata: {
            registeredFrom: n, reference, crop, wholePixels,
            translationsPx: c.translationsPx,
            driftFittedPx: c.fittedPx, driftSigmaPx: c.sigmaPx, driftConfidence: c.confidence,
            driftSignificant: c.significant, driftMessage: c.message,
            failedSlices: c.failedSlices, lowConfidenceSlices: c.lowConfidenceSlices, warnings: c.warnings,
            ...(c.offset ? { offset: c.offset } : {}),
          },
          runId,
          signal,
        },
      );
      appendRunLog(db, runId, `${n}: ${c.message}`);
      appendRunLog(db, runId, `${n}: translations applied (dy, dx px${wholePixels ? ', whole pixels' : ''}) ${pairs3(c.translationsPx)}`);
      appendRunLog(db, runId, `${n}: drift as fitted (dy, dx px) ${pairs3(c.fittedPx)}; standard error (dy, dx px) ${pairs3(c.sigmaPx)}`);
      appendRunLog(db, runId, `${n}: confidence per slice (high: error < 0.25 px, medium: < 0.5 px, low) ${c.confidence.join(' ')}`);
      for (const w of c.warnings) appendRunLog(db, runId, `${n}: warning: ${w}`);
    }
    ctx.finishRun?.();
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
  const out: Record<string, RegisteredChannel> = Object.fromEntries(names.map((n) => [n, { out: n + suffix, ...channels.get(n)! }]));
  return { reference, wholePixels, crop, channels: out, warnings: names.flatMap((n) => channels.get(n)!.warnings.map((w) => `"${n}": ${w}`)) };
}

/** Lines for the user: the common area, then per volume the largest translation and the verdict, then the warnings. */
export function describeRegistration(r: RegisterReport): string[] {
  const names = Object.keys(r.channels);
  const still = Object.values(r.channels).every((c) => c.translationsPx.every((t) => t.dy === 0 && t.dx === 0));
  const lines = [
    `Registered ${names.map((n) => `"${n}"`).join(', ')} onto "${r.reference}"; common valid area x ${r.crop.x}, y ${r.crop.y}, ${r.crop.width} x ${r.crop.height} px` +
      `${still ? ' (no shift applied, nothing cropped)' : ''}; ${r.wholePixels ? 'whole-pixel shifts (grey values kept)' : 'sub-pixel shifts (bilinear)'}.`,
  ];
  for (const n of names) {
    const c = r.channels[n];
    const maxShift = maxOf(c.translationsPx.map((s) => Math.hypot(s.dx, s.dy)));
    lines.push(`  ${n} -> "${c.out}": largest translation ${maxShift.toFixed(2)} px; ${c.message}`);
  }
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines;
}
