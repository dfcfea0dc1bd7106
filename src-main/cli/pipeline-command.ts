// `fibrecon run PIPELINE.yaml|json`: runs the steps of a pipeline file in order
// by driving the same subcommands a user would type, so every step validates
// and records its run exactly as it does on the command line. Paths are taken
// relative to the pipeline file. The first failing step stops the pipeline.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../../src-shared/errors';
import { type CliIO, EXIT, UsageError } from './cli-io';
import { type Command, help, one, parse } from './command-helpers';

type StepArgs = Record<string, unknown>;

/** Options whose values are file paths (resolved against the pipeline file); elsewhere `out` is a volume name. */
const PATH_OPTIONS: Record<string, readonly string[]> = { export: ['out'], thickness: ['asv', 'table'] };

export function stepToArgs(command: string, step: StepArgs, project: string, base: string): string[] {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const args: string[] = [];
  const projectCommands = ['create', 'import', 'info', 'check', 'thickness', 'register', 'segment', 'reconstruct', 'export'];
  if (projectCommands.includes(command)) args.push(project);
  if (command === 'metrics') {
    const v = step.volume;
    if (typeof v !== 'string') throw new AppError('invalid_input', 'A metrics step needs "volume": the name of a volume in the project, or a file.');
    args.push(existsSync(abs(v)) ? abs(v) : `${project}:${v}`);
  }
  if (command === 'synth') {
    if (typeof step.out !== 'string') throw new AppError('invalid_input', 'A synth step needs "out": the folder to write.');
    args.push(abs(step.out));
  }
  for (const [key, value] of Object.entries(step)) {
    if ((command === 'metrics' && key === 'volume') || (command === 'synth' && key === 'out')) continue;
    if (command === 'import' && key === 'channels') {
      if (typeof value !== 'object' || value === null) throw new AppError('invalid_input', 'An import step\'s "channels" maps channel names to paths, e.g. { 2kV: stacks/2kV.tif }.');
      for (const [name, path] of Object.entries(value)) for (const p of [path].flat()) args.push(`--channel=${name}=${abs(String(p))}`);
      continue;
    }
    const flag = `--${key}`;
    if (value === true) args.push(flag);
    else if (value === false || value === null || value === undefined) continue;
    else if (Array.isArray(value)) args.push(`${flag}=${value.join(',')}`);
    else {
      const text = String(value);
      const isPath = PATH_OPTIONS[command]?.includes(key) || (command === 'metrics' && key === 'truth' && existsSync(abs(text)));
      args.push(`${flag}=${isPath ? abs(text) : command === 'metrics' && key === 'truth' ? `${project}:${text}` : text}`);
    }
  }
  return args;
}

export function pipelineCommand(commands: () => Record<string, Command>): Command {
  return {
    summary: 'run a pipeline file (YAML or JSON): a project and a list of steps, each a subcommand with its options',
    usage:
      'fibrecon run PIPELINE.yaml   e.g.\n' +
      '  project: sample.fibrecon        # created when missing\n' +
      '  steps:\n' +
      '    - import: { channels: { 2kV: stacks/2kV.tif }, crop: [0, 24, 256, 192] }\n' +
      '    - thickness: { volume: 2kV, asv: ProjectData.dat, apply: true }\n' +
      '    - register: { volume: [2kV] }\n' +
      '    - segment: { volume: 2kV-reg, method: model, model: unet25d-w7-2kv, out: labels }\n' +
      '    - reconstruct: { volume: labels, method: cubic, out: rcs }\n' +
      '    - metrics: { volume: rcs }\n' +
      '    - export: { volume: rcs, out: rcs.am }',
    async run(args, io: CliIO) {
      const { values, positionals } = parse(args, {}, this.usage);
      if (values.help) return help(this, io);
      const file = one(positionals, 'pipeline file', this.usage);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new AppError('file_not_found', `${file} cannot be read: check the path.`, file);
      }
      let doc: unknown;
      try {
        doc = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
      } catch (e) {
        throw new AppError('invalid_input', `${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message}`, file);
      }
      const spec = doc as { project?: unknown; steps?: unknown };
      if (typeof spec?.project !== 'string' || !Array.isArray(spec.steps)) {
        throw new AppError('invalid_input', `${file} needs "project" (the project file) and "steps" (a list): run fibrecon run --help for an example.`, file);
      }
      const base = dirname(resolve(file));
      const project = resolve(base, spec.project);
      const all = commands();
      if (!existsSync(project)) {
        io.err(`Step 0: create ${project}`);
        const code = await all.create.run([project], io);
        if (code !== EXIT.ok) return code;
      }
      for (const [i, raw] of spec.steps.entries()) {
        const entries = raw && typeof raw === 'object' ? Object.entries(raw as object) : [];
        if (entries.length !== 1) throw new AppError('invalid_input', `Step ${i + 1} of ${file} must be one command with its options, e.g. "- reconstruct: { volume: 2kV, method: cubic }".`, file);
        const [name, options] = entries[0] as [string, StepArgs | null];
        const cmd = all[name];
        if (!cmd || name === 'run' || name === 'bridge' || name === 'demo') {
          throw new UsageError(`step ${i + 1}: "${name}" is not a pipeline step (steps: ${Object.keys(all).filter((k) => !['run', 'bridge', 'demo'].includes(k)).join(', ')}).`);
        }
        const stepArgs = stepToArgs(name, options ?? {}, project, base);
        io.err(`Step ${i + 1}: fibrecon ${name} ${stepArgs.join(' ')}`);
        const failed = () => io.err(`Step ${i + 1} (${name}) failed; the steps after it did not run. Steps before it are kept in the project.`);
        let code: number;
        try {
          code = await cmd.run(stepArgs, io);
        } catch (e) {
          failed();
          throw e;
        }
        if (code !== EXIT.ok) {
          failed();
          return code;
        }
      }
      io.err(`Pipeline done: ${spec.steps.length} step(s).`);
      return EXIT.ok;
    },
  };
}
