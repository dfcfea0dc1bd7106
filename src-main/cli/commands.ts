// The CLI's subcommands. Each parses its own options, drives the same modules
// the app uses, prints results on stdout and returns an exit code.
import { basename, extname } from 'node:path';
import { ChannelImportSchema, CreateProjectSchema, CropRectSchema, ImportRequestSchema, OverridesSchema } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { inspectStack } from '../import/inspect-stack';
import { runJob } from '../jobs/run-job';
import { createProject, openProject } from '../project/open-project';
import { projectSummary } from '../project/project-summary';
import { listRuns } from '../project/runs';
import { EXPORT_FORMATS, exportFormat } from '../export';
import { describeExport, exportStoredVolume } from '../steps/export-step';
import { APP_VERSION } from './app-version';
import { EXIT, interruptSignal, progressPrinter, UsageError } from './cli-io';
import { type Command, help, num, one, parse } from './command-helpers';
import { formatInspection, formatSummary } from './format-summary';

export const create: Command = {
  summary: 'create a new project file for one sample',
  usage: 'fibrecon create PROJECT.fibrecon [--name NAME] [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, { name: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    if (values.help) return help(this, io);
    const req = CreateProjectSchema.parse({ path: one(positionals, 'project file', this.usage), name: values.name });
    const p = createProject(req.path, { name: req.name, appVersion: APP_VERSION });
    const s = projectSummary(p, APP_VERSION);
    p.close();
    io.out(values.json ? JSON.stringify(s, null, 2) : `Created ${s.path} (project "${s.name}").`);
    return EXIT.ok;
  },
};

export const importCmd: Command = {
  summary: 'import TIFF stacks (multipage file, folder or files) as channels',
  usage:
    'fibrecon import PROJECT.fibrecon (PATH... [--name CHANNEL] | --channel NAME=PATH ...) [--pixel-size-nm X] [--pixel-size-y-nm Y]\n' +
    '       [--slice-spacing-nm Z] [--beam-kv KV] [--detector NAME] [--crop X,Y,W,H] [--keep-data-bar] [--json]',
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        name: { type: 'string' },
        channel: { type: 'string', multiple: true },
        'pixel-size-nm': { type: 'string' },
        'pixel-size-y-nm': { type: 'string' },
        'slice-spacing-nm': { type: 'string' },
        'beam-kv': { type: 'string' },
        detector: { type: 'string' },
        crop: { type: 'string' },
        'keep-data-bar': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      this.usage,
    );
    if (values.help) return help(this, io);
    const [projectPath, ...paths] = positionals;
    if (!projectPath) throw new UsageError(`give the project file.\nUsage: ${this.usage}`);
    const channels = new Map<string, string[]>();
    for (const spec of (values.channel as string[] | undefined) ?? []) {
      const eq = spec.indexOf('=');
      if (eq <= 0) throw new UsageError(`--channel takes NAME=PATH, got "${spec}".`);
      const name = spec.slice(0, eq);
      channels.set(name, [...(channels.get(name) ?? []), spec.slice(eq + 1)]);
    }
    if (paths.length) {
      const name = (values.name as string | undefined) ?? basename(paths[0]).replace(/\.(tiff?)$/i, '');
      channels.set(name, [...(channels.get(name) ?? []), ...paths]);
    }
    if (channels.size === 0) throw new UsageError(`give the stack to import.\nUsage: ${this.usage}`);
    const crop = values.crop === undefined ? undefined : parseCrop(values.crop as string);
    const kv = num(values['beam-kv'] as string | undefined, '--beam-kv');
    const overrides = OverridesSchema.parse({
      pixelSizeXNm: num(values['pixel-size-nm'] as string | undefined, '--pixel-size-nm'),
      pixelSizeYNm: num(values['pixel-size-y-nm'] as string | undefined, '--pixel-size-y-nm'),
      sliceSpacingNm: num(values['slice-spacing-nm'] as string | undefined, '--slice-spacing-nm'),
      beamVoltageV: kv === undefined ? undefined : kv * 1000,
      detector: values.detector as string | undefined,
    });
    const request = ImportRequestSchema.parse({
      channels: [...channels].map(([name, p]) => ChannelImportSchema.parse({ name, paths: p })),
      overrides,
      crop,
      cropDataBar: values['keep-data-bar'] ? false : undefined,
    });
    const interrupt = interruptSignal(io);
    try {
      const outcome = await runJob(
        { kind: 'import', projectPath, appVersion: APP_VERSION, request },
        { signal: interrupt.signal, onProgress: progressPrinter(io), onNotice: (m) => io.err(`notice: ${m}`) },
      );
      io.out(values.json ? JSON.stringify(outcome.result, null, 2) : outcome.message);
      return EXIT.ok;
    } finally {
      interrupt.dispose();
    }
  },
};

function parseCrop(text: string) {
  const parts = text.split(',').map((t) => Number(t.trim()));
  const parsed = CropRectSchema.safeParse({ x: parts[0], y: parts[1], width: parts[2], height: parts[3] });
  if (parts.length !== 4 || !parsed.success) throw new AppError('invalid_input', `--crop takes X,Y,WIDTH,HEIGHT in pixels (whole numbers, width and height > 0), got "${text}".`);
  return parsed.data;
}

export const info: Command = {
  summary: 'show what a project holds (--json for machines)',
  usage: 'fibrecon info PROJECT.fibrecon [--json] [--runs]',
  async run(args, io) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' }, runs: { type: 'boolean' } }, this.usage);
    if (values.help) return help(this, io);
    const p = openProject(one(positionals, 'project file', this.usage), { write: false });
    try {
      const s = projectSummary(p, APP_VERSION);
      const runs = values.runs ? listRuns(p.db) : undefined;
      if (values.json) io.out(JSON.stringify(runs ? { ...s, runs } : s, null, 2));
      else {
        io.out(formatSummary(s));
        for (const r of runs ?? []) io.out(`run ${r.id}: ${r.step} ${r.status} ${r.startedAt}${r.durationS !== null ? ` (${r.durationS.toFixed(1)} s)` : ''}${r.error ? ` - ${r.error.message}` : ''}`);
      }
      return EXIT.ok;
    } finally {
      p.close();
    }
  },
};

export const inspect: Command = {
  summary: 'show what an import would find in a stack, without writing anything',
  usage: 'fibrecon inspect PATH... [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } }, this.usage);
    if (values.help) return help(this, io);
    if (positionals.length === 0) throw new UsageError(`give a multipage TIFF, a folder or files.\nUsage: ${this.usage}`);
    const s = await inspectStack(positionals);
    io.out(values.json ? JSON.stringify(s, null, 2) : formatInspection(s));
    return EXIT.ok;
  },
};

const FORMAT_BY_EXTENSION: Record<string, string> = {
  '.tif': 'imagej-tiff',
  '.tiff': 'imagej-tiff',
  '.am': 'amira-mesh',
  '.dat': 'dragonfly-raw',
  '.mhd': 'metaimage',
  '.nrrd': 'nrrd',
  '.mrc': 'mrc',
  '.asi': 'avizo-stacked-slices',
  '.zarr': 'ome-zarr',
};

export const exportCmd: Command = {
  summary: 'export a channel or volume for Fiji, Avizo/Amira, Dragonfly, ITK, ... with its voxel size',
  usage:
    'fibrecon export PROJECT.fibrecon (--channel|--volume) NAME --out FILE [--format ' +
    EXPORT_FORMATS.map((f) => f.id).join('|') +
    '] [--labels] [--overwrite]\n       (an existing file is replaced only with --overwrite; a project file never)\n       (format from the extension when not given: ' +
    Object.entries(FORMAT_BY_EXTENSION).map(([e, f]) => `${e} ${f}`).join(', ') +
    ')',
  async run(args, io) {
    const { values, positionals } = parse(args, { channel: { type: 'string' }, volume: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, labels: { type: 'boolean' }, overwrite: { type: 'boolean' } }, this.usage);
    if (values.help) return help(this, io);
    const name = (values.channel ?? values.volume) as string | undefined;
    const out = values.out as string | undefined;
    if (!name || !out) throw new UsageError(`--channel (or --volume) and --out are required.\nUsage: ${this.usage}`);
    const format = (values.format as string | undefined) ?? FORMAT_BY_EXTENSION[extname(out).toLowerCase()];
    if (!format || !exportFormat(format)) {
      throw new UsageError(`cannot tell the format of ${out}: give --format (${EXPORT_FORMATS.map((f) => f.id).join(', ')}).`);
    }
    const p = openProject(one(positionals, 'project file', this.usage), { write: false });
    const interrupt = interruptSignal(io);
    try {
      // A label volume is marked as labels where the format can say so (AmiraMesh); elsewhere it goes out as plain uint8 0/1.
      const r = await exportStoredVolume(p.db, { volume: name, format, path: out, labels: values.labels === true ? true : undefined, overwrite: values.overwrite === true }, { signal: interrupt.signal, onProgress: progressPrinter(io) });
      io.out(describeExport(r));
      return EXIT.ok;
    } finally {
      interrupt.dispose();
      p.close();
    }
  },
};

// fibrecon check (--deep: every slice's checksum and a full decode) lives in its own file.
export { check } from './check-command';
