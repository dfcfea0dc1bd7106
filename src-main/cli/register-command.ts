// `fibrecon register`: aligns the slices of each channel to each other (every
// slice to its predecessor, drift accumulated) and, for several channels, every
// channel onto a reference channel; applies the translations with one common
// crop and stores the results as new volumes. The translations are kept in each
// new volume's metadata and in the run's log.
import { AppError } from '../../src-shared/errors';
import { applyTranslations, commonValidCrop, composeTranslations, registerAcrossChannels, registerWithinStack, type Translation } from '../geometry/register';
import { appendRunLog } from '../project/runs';
import { loadVolume, saveDerivedVolume } from '../project/save-volume';
import { getVolume, volumeNameExists } from '../project/volume-store';
import { EXIT, UsageError } from './cli-io';
import { type Command, help, num, one, parse } from './command-helpers';
import { withProjectStep } from './project-step';

function defaultReference(names: string[]): string {
  return names.find((n) => /(^|[^0-9])2\s*kV/i.test(n)) ?? names.find((n) => /TLD/i.test(n)) ?? names[0];
}

function parseRegion(text: string | undefined) {
  if (text === undefined) return undefined;
  const [x, y, width, height] = text.split(',').map((t) => Number(t.trim()));
  if (![x, y, width, height].every((v) => Number.isInteger(v) && v >= 0) || width === 0 || height === 0) {
    throw new AppError('invalid_input', `--region takes X,Y,WIDTH,HEIGHT in whole pixels (e.g. a fiducial), got "${text}".`);
  }
  return { x, y, width, height };
}

export const register: Command = {
  summary: 'align slices within each channel and channels onto a reference (phase correlation, sub-pixel); crop to the common valid area',
  usage:
    'fibrecon register PROJECT.fibrecon --volume NAME[,NAME...] [--reference NAME (default: 2 kV or TLD)] [--region X,Y,W,H]\n' +
    '       [--max-shift-px N] [--suffix -reg] [--json]',
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      { volume: { type: 'string' }, reference: { type: 'string' }, region: { type: 'string' }, 'max-shift-px': { type: 'string' }, suffix: { type: 'string' }, json: { type: 'boolean' } },
      this.usage,
    );
    if (values.help) return help(this, io);
    const projectPath = one(positionals, 'project file', this.usage);
    if (!values.volume) throw new UsageError(`--volume is required.\nUsage: ${this.usage}`);
    const names = (values.volume as string).split(',').map((s) => s.trim()).filter(Boolean);
    const reference = (values.reference as string | undefined) ?? defaultReference(names);
    if (!names.includes(reference)) throw new AppError('invalid_input', `The reference "${reference}" is not among the volumes to register (${names.join(', ')}): add it to --volume.`);
    const suffix = (values.suffix as string | undefined) ?? '-reg';
    const opts = { region: parseRegion(values.region as string | undefined), maxShiftPx: num(values['max-shift-px'] as string | undefined, '--max-shift-px') };
    return withProjectStep(projectPath, 'register', io, async ({ project, signal, show, start }) => {
      for (const n of names) if (volumeNameExists(project.db, n + suffix)) throw new AppError('invalid_input', `The project already has "${n + suffix}": choose another --suffix.`);
      const infos = names.map((n) => getVolume(project.db, n));
      const runId = start({ volumes: names, reference, ...opts, suffix });
      const stacks = new Map<string, Awaited<ReturnType<typeof loadVolume>>>();
      for (const n of names) stacks.set(n, await loadVolume(project.db, n, signal));
      const [, height, width] = infos[0].shape;
      const ref = stacks.get(reference)!;
      const within = new Map<string, ReturnType<typeof registerWithinStack>>();
      names.forEach((n, i) => {
        show({ fraction: i / (2 * names.length), message: `Registering the slices of "${n}"` });
        within.set(n, registerWithinStack(stacks.get(n)!.slices, width, height, { ...opts, signal: signal }));
      });
      // Other channels: slice i onto the reference's slice i, then with the reference's own drift.
      const totals = new Map<string, Translation[]>();
      const report: Record<string, unknown> = {};
      for (const n of names) {
        const w = within.get(n)!;
        if (n === reference) {
          totals.set(n, w.shifts);
          report[n] = { failedSlices: w.failedSlices };
          continue;
        }
        const across = registerAcrossChannels(ref.slices, stacks.get(n)!.slices, width, height, { ...opts, signal: signal });
        totals.set(n, composeTranslations(across.perSlice, within.get(reference)!.shifts));
        report[n] = { failedSlices: w.failedSlices, acrossFailedSlices: across.failedSlices, perStack: across.perStack, spreadPx: across.spreadPx };
      }
      const crop = commonValidCrop([...totals.values()].flat(), width, height);
      for (const [i, n] of names.entries()) {
        show({ fraction: 0.5 + i / (2 * names.length), message: `Applying the translations to "${n}"` });
        const info = infos[i];
        const src = stacks.get(n)!;
        const moved = applyTranslations(src.slices, width, height, totals.get(n)!, { interpolation: info.kind === 'labels' ? 'nearest' : 'linear', crop, signal: signal });
        await saveDerivedVolume(
          project.db,
          { ...src, shape: [src.shape[0], crop.height, crop.width], slices: moved.slices },
          {
            name: n + suffix,
            kind: info.kind,
            voxelSizeSource: info.voxelSizeSource,
            metadata: { registeredFrom: n, reference, crop, translationsPx: totals.get(n), ...(report[n] as object) },
            runId,
            signal: signal,
          },
        );
        appendRunLog(project.db, runId, `${n}: translations (dy, dx px) ${JSON.stringify(totals.get(n)!.map((t) => [+t.dy.toFixed(3), +t.dx.toFixed(3)]))}`);
      }
      const result = { reference, crop, channels: Object.fromEntries(names.map((n) => [n, { out: n + suffix, translationsPx: totals.get(n), ...(report[n] as object) }])) };
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        io.out(`Registered ${names.map((n) => `"${n}"`).join(', ')} onto "${reference}"; common valid area x ${crop.x}, y ${crop.y}, ${crop.width} x ${crop.height} px.`);
        for (const n of names) {
          const t = totals.get(n)!;
          const maxShift = Math.max(...t.map((s) => Math.hypot(s.dx, s.dy)));
          const failed = (report[n] as { failedSlices: number[] }).failedSlices;
          io.out(`  ${n} -> "${n + suffix}": largest translation ${maxShift.toFixed(2)} px${failed.length ? `; matches failed at slices ${failed.join(', ')} (kept the previous translation)` : ''}`);
        }
      }
      return EXIT.ok;
    });
  },
};
