// `fibrecon reconstruct`: repositions the slices of a volume at their z
// positions on a fine grid and fills the gaps (Article II), or runs one of the
// seeds' baselines; the result is a new volume in the project with its run record.
import { AppError } from '../../src-shared/errors';
import type { Volume } from '../../src-shared/volume';
import { BINARY_INTERPOLANTS, type BinaryInterpolant, directNearestNeighbour, repositionAndFill, standardRepositionCubic } from '../geometry/reposition';
import { loadVolume, saveDerivedVolume } from '../project/save-volume';
import { getVolume, volumeNameExists } from '../project/volume-store';
import { EXIT, UsageError } from './cli-io';
import { type Command, help, num, one, parse } from './command-helpers';
import { withProjectStep } from './project-step';

const METHODS = ['nearest', 'linear', 'cubic', 'dnn', 'srcs'] as const;
type Method = (typeof METHODS)[number];

export const reconstruct: Command = {
  summary: 'reposition slices at their z on a fine grid and fill the gaps (nearest, linear, cubic; baselines dnn, srcs)',
  usage:
    'fibrecon reconstruct PROJECT.fibrecon --volume NAME --method nearest|linear|cubic|dnn|srcs [--grid-nm G (default: pixel size)]\n' +
    '       [--target-nm T (dnn/srcs; default: the volume\'s nominal z)] [--binary] [--binary-interpolant distance|labels] [--out NAME]\n' +
    'Binary (0/1 label) volumes, linear and cubic: "distance" (default) interpolates the signed distance to the solid/pore boundary\n' +
    'of each measured slice (shape-based interpolation); "labels" interpolates the 0/1 values and thresholds at 0.5, which is\n' +
    'nearly the same as nearest. srcs always uses labels (the standard practice it stands for) and loses the slices that round\n' +
    'to the same target-grid cell as a later slice.',
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      { volume: { type: 'string' }, method: { type: 'string' }, 'grid-nm': { type: 'string' }, 'target-nm': { type: 'string' }, binary: { type: 'boolean' }, 'binary-interpolant': { type: 'string' }, out: { type: 'string' } },
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
    const out = (values.out as string | undefined) ?? `${values.volume}-${method}`;
    return withProjectStep(projectPath, 'reconstruct', io, async ({ project, signal, show, start }) => {
      if (volumeNameExists(project.db, out)) throw new AppError('invalid_input', `The project already has a volume named "${out}": choose another with --out.`);
      const source = getVolume(project.db, values.volume as string);
      const gridNm = num(values['grid-nm'] as string | undefined, '--grid-nm');
      const targetNm = num(values['target-nm'] as string | undefined, '--target-nm') ?? source.voxelSizeNm.z;
      const runId = start({ volume: source.name, method, gridNm: gridNm ?? 'pixel size', targetNm, binary: values.binary === true, binaryInterpolant: method === 'srcs' ? 'labels' : (interpolant ?? 'distance'), out });
      const volume: Volume = await loadVolume(project.db, source.name, signal);
      const opts = { fineSpacingNm: gridNm, binary: values.binary ? true : undefined, binaryInterpolant: method === 'srcs' ? undefined : interpolant, signal, onProgress: show };
      const r =
        method === 'dnn' ? directNearestNeighbour(volume, targetNm, opts) : method === 'srcs' ? standardRepositionCubic(volume, targetNm, opts) : repositionAndFill(volume, method, opts);
      const spacing = r.placement.gridSpacingNm;
      await saveDerivedVolume(project.db, r.volume, {
        name: out,
        kind: r.binary ? 'labels' : source.kind,
        voxelSizeSource: { x: source.voxelSizeSource.x, y: source.voxelSizeSource.y, z: `reconstruction grid (${method}) from "${source.name}"` },
        metadata: {
          method,
          binaryInterpolant: r.binaryInterpolant ?? null,
          moved: r.placement.moved,
          lostSlices: r.lostSlices ?? [],
          maxShiftNm: r.placement.maxShiftNm,
          meanShiftNm: r.placement.meanShiftNm,
          holeVoxelsFilled: r.holeVoxelsFilled,
        },
        runId,
        signal,
      });
      io.out(
        `Wrote "${out}": ${r.volume.shape[0]} planes of ${spacing} nm from ${source.shape[0]} slices (${method}); ` +
          `${r.placement.moved} slice(s) moved to a free grid position (largest shift ${r.placement.maxShiftNm.toFixed(2)} nm, mean ${r.placement.meanShiftNm.toFixed(2)} nm)` +
          (r.lostSlices ? `; ${r.lostSlices.length} slice(s) lost to a later slice on the same ${targetNm} nm cell` : '') +
          (r.binaryInterpolant ? `; binary data interpolated through ${r.binaryInterpolant === 'distance' ? 'the signed distance to the boundary' : 'the 0/1 labels'}` : '') +
          (r.binary ? `; ${r.holeVoxelsFilled} hole voxel(s) filled` : '') +
          '.',
      );
      return EXIT.ok;
    });
  },
};
