// `fibrecon reconstruct`: repositions the slices of a volume at their z
// positions on a fine grid and fills the gaps ([Sardhara2023]), or runs one of the
// papers' baselines; the result is a new volume in the project with its run record.
import { BINARY_INTERPOLANTS, type BinaryInterpolant } from '../geometry/reposition';
import { DEFAULT_INPAINT_MODEL, EP_CHOICES, type EpChoice } from '../../src-shared/pipeline-methods';
import { describeReconstruction, RECONSTRUCT_METHODS, type ReconstructMethod, reconstructStoredVolume } from '../steps/reconstruct-step';
import { EXIT, UsageError } from './cli-io';
import { type Command, help, num, one, parse } from './command-helpers';
import { withProjectStep } from './project-step';

const METHODS = RECONSTRUCT_METHODS;
type Method = ReconstructMethod;

export const reconstruct: Command = {
  summary: 'reposition slices at their z on a fine grid and fill the gaps (nearest, linear, cubic, ml; baselines dnn, srcs)',
  usage:
    'fibrecon reconstruct PROJECT.fibrecon --volume NAME --method nearest|linear|cubic|ml|dnn|srcs [--grid-nm G (default: pixel size)]\n' +
    '       [--target-nm T (dnn/srcs; default: the volume\'s nominal z)] [--binary] [--binary-interpolant distance|labels] [--out NAME]\n' +
    `       [--model NAME|PATH (ml; default ${DEFAULT_INPAINT_MODEL})] [--ep auto|cuda|cpu] [--tile PX] [--batch N]\n` +
    'ml (label volumes): a trained inpainting network fills the gaps from the zx and zy planes (RML); measured slices are kept.\n' +
    'Binary (0/1 label) volumes, linear and cubic: "distance" (default) interpolates the signed distance to the solid/pore boundary\n' +
    'of each measured slice (shape-based interpolation); "labels" interpolates the 0/1 values and thresholds at 0.5, which is\n' +
    'nearly the same as nearest. srcs always uses labels (the standard practice it stands for) and loses the slices that round\n' +
    'to the same target-grid cell as a later slice.',
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      { volume: { type: 'string' }, method: { type: 'string' }, 'grid-nm': { type: 'string' }, 'target-nm': { type: 'string' }, binary: { type: 'boolean' }, 'binary-interpolant': { type: 'string' }, model: { type: 'string' }, ep: { type: 'string' }, tile: { type: 'string' }, batch: { type: 'string' }, out: { type: 'string' } },
      this.usage,
    );
    if (values.help) return help(this, io);
    const projectPath = one(positionals, 'project file', this.usage);
    const method = values.method as Method | undefined;
    if (!values.volume || !method) throw new UsageError(`--volume and --method are required.\nUsage: ${this.usage}`);
    if (!METHODS.includes(method)) throw new UsageError(`--method takes ${METHODS.join(', ')}; got "${method}".`);
    const interpolant = values['binary-interpolant'] as BinaryInterpolant | undefined;
    if (interpolant !== undefined && !BINARY_INTERPOLANTS.includes(interpolant)) {
      throw new UsageError(`--binary-interpolant takes ${BINARY_INTERPOLANTS.join(' or ')}; got "${interpolant}".`);
    }
    const ep = values.ep as EpChoice | undefined;
    if (ep !== undefined && !EP_CHOICES.includes(ep)) throw new UsageError(`--ep takes ${EP_CHOICES.join(', ')}; got "${ep}".`);
    if (method !== 'ml' && (values.model || ep || values.tile || values.batch)) throw new UsageError('--model, --ep, --tile and --batch are for --method ml.');
    const out = (values.out as string | undefined) ?? `${values.volume}-${method}`;
    return withProjectStep(projectPath, 'reconstruct', io, async ({ project, signal, show, start, finish }) => {
      const r = await reconstructStoredVolume(
        project.db,
        {
          volume: values.volume as string,
          method,
          gridNm: num(values['grid-nm'] as string | undefined, '--grid-nm'),
          targetNm: num(values['target-nm'] as string | undefined, '--target-nm'),
          binary: values.binary ? true : undefined,
          binaryInterpolant: interpolant,
          model: values.model as string | undefined,
          ep,
          tile: num(values.tile as string | undefined, '--tile'),
          batchSize: num(values.batch as string | undefined, '--batch'),
          out,
        },
        { signal, onProgress: show, startRun: (params) => start(params), finishRun: finish },
      );
      io.out(describeReconstruction(r));
      return EXIT.ok;
    });
  },
};
