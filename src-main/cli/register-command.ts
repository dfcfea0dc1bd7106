// `fibrecon register`: the drift within the reference channel (every slice matched
// with slices 1, 2, 3, 5 and 8 before it, a robust least-squares path) and, for several
// channels, each channel's offset onto the reference; each applied only when it is
// significant, with a crop of exactly the range of the shifts applied (none when
// nothing moves); sub-pixel (bilinear) or --whole-pixels (raw grey values). The
// results are new volumes; the translations, the drift with its standard error and
// confidence per slice, the verdict and the warnings are kept in each new volume's
// metadata and in the run's log (steps/register-step.ts, shared with the app).
import { AppError } from '../../src-shared/errors';
import { defaultReference, describeRegistration, registerStoredVolumes } from '../steps/register-step';
import { EXIT, UsageError } from './cli-io';
import { type Command, help, num, one, parse } from './command-helpers';
import { withProjectStep } from './project-step';

function parseRegion(text: string | undefined) {
  if (text === undefined) return undefined;
  const [x, y, width, height] = text.split(',').map((t) => Number(t.trim()));
  if (![x, y, width, height].every((v) => Number.isInteger(v) && v >= 0) || width === 0 || height === 0) {
    throw new AppError('invalid_input', `--region takes X,Y,WIDTH,HEIGHT in whole pixels (e.g. a fiducial), got "${text}".`);
  }
  return { x, y, width, height };
}

export const register: Command = {
  summary: 'align the slices (drift) and the channels onto a reference, only where the shift is significant; crop to the common valid area',
  usage:
    'fibrecon register PROJECT.fibrecon --volume NAME[,NAME...] [--reference NAME (default: 2 kV or TLD)] [--region X,Y,W,H]\n' +
    '       [--max-shift-px N] [--whole-pixels] [--suffix -reg] [--json]\n' +
    '  --whole-pixels  round the translations to whole pixels: no resampling, grey values kept as they are (default: sub-pixel, bilinear)',
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      { volume: { type: 'string' }, reference: { type: 'string' }, region: { type: 'string' }, 'max-shift-px': { type: 'string' }, 'whole-pixels': { type: 'boolean' }, suffix: { type: 'string' }, json: { type: 'boolean' } },
      this.usage,
    );
    if (values.help) return help(this, io);
    const projectPath = one(positionals, 'project file', this.usage);
    if (!values.volume) throw new UsageError(`--volume is required.\nUsage: ${this.usage}`);
    const names = (values.volume as string).split(',').map((s) => s.trim()).filter(Boolean);
    const reference = (values.reference as string | undefined) ?? defaultReference(names);
    if (!names.includes(reference)) throw new AppError('invalid_input', `The reference "${reference}" is not among the volumes to register (${names.join(', ')}): add it to --volume.`);
    const suffix = (values.suffix as string | undefined) ?? '-reg';
    const opts = {
      region: parseRegion(values.region as string | undefined),
      maxShiftPx: num(values['max-shift-px'] as string | undefined, '--max-shift-px'),
      wholePixels: values['whole-pixels'] === true,
    };
    return withProjectStep(projectPath, 'register', io, async ({ project, signal, show, start, finish }) => {
      const result = await registerStoredVolumes(project.db, { volumes: names, reference, ...opts, suffix }, { signal, onProgress: show, startRun: (params) => start(params), finishRun: finish });
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else for (const line of describeRegistration(result)) io.out(line);
      return EXIT.ok;
    });
  },
};
