// fibrecon: the headless CLI. Drives the same modules as the desktop app, for
// batch work and for tests.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApiBackend } from '../app/api-backend';
import { startBridge } from '../bridge/http-bridge';
import { AppError } from '../../src-shared/errors';
import { createProject, openProject } from '../project/open-project';
import { getProjectMeta } from '../project/volume-store';
import { projectSummary } from '../project/project-summary';
import { APP_VERSION } from './app-version';
import { type CliIO, EXIT, processIO, reportError, UsageError } from './cli-io';
import { type Command, help } from './command-helpers';
import { check, create, exportCmd, importCmd, info, inspect } from './commands';
import { metrics } from './metrics-command';
import { reconstruct } from './reconstruct-command';
import { segment } from './segment-command';
import { importVolume } from './import-volume-command';
import { pipelineCommand } from './pipeline-command';
import { register } from './register-command';
import { synth } from './synth-command';
import { thickness } from './thickness-command';
import { annotate } from './annotate-command';
import { compare } from './compare-command';
import { volume } from './volume-command';
import { formatSummary } from './format-summary';
import { runJob } from '../jobs/run-job';
import type { JobSpec } from '../jobs/job-spec';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUNDLED_SAMPLE = join(REPO_ROOT, 'resources/sample/npg-demo-fei.tif');
const DEMO_NAME = 'Demo: synthetic nanoporous gold, FEI-style TIFF';

const demo: Command = {
  summary: 'the whole pipeline on the bundled sample: import, segment (method auto: the shipped 2.5D model where it passes its check), reconstruct, metrics; prints the summary',
  usage: 'fibrecon demo [--project PATH] (default demo-output/sample.fibrecon; an earlier demo project there is replaced)',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { project: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) return help(this, io);
    const path = resolve(values.project ?? 'demo-output/sample.fibrecon');
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) {
      // Replace only what an earlier demo made: never someone's own project.
      const earlier = openProject(path, { write: false });
      const name = getProjectMeta(earlier.db).name;
      earlier.close();
      if (name !== DEMO_NAME) {
        throw new AppError('invalid_input', `${path} is not a demo project ("${name}"): it was left alone. Give another path with --project.`, path);
      }
      io.err(`Replacing the earlier demo project ${path}`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    }
    createProject(path, { name: DEMO_NAME, appVersion: APP_VERSION }).close();
    io.err(`Created ${path}\nImporting the bundled sample ${BUNDLED_SAMPLE}`);
    const outcome = await runJob(
      { kind: 'import', projectPath: path, appVersion: APP_VERSION, request: { channels: [{ name: 'TLD 2kV', paths: [BUNDLED_SAMPLE] }] } },
      { onNotice: (m) => io.err(`notice: ${m}`) },
    );
    io.err(outcome.message);
    // The rest of the pipeline, as the wizard runs it: segmentation by method auto (the shipped 2.5D model
    // where its out-of-distribution check passes, else Otsu or k-means; it says which and why),
    // repositioning + cubic gap filling onto the pixel grid, quality metrics.
    const steps: JobSpec[] = [
      { kind: 'segment', projectPath: path, appVersion: APP_VERSION, request: { volume: 'TLD 2kV', method: 'auto', out: 'labels' } },
      { kind: 'reconstruct', projectPath: path, appVersion: APP_VERSION, request: { volume: 'labels', method: 'cubic', out: 'labels-cubic' } },
      { kind: 'metrics', projectPath: path, appVersion: APP_VERSION, request: { volume: 'labels-cubic' } },
    ];
    const messages: string[] = [];
    for (const spec of steps) {
      const r = await runJob(spec, { onNotice: (m) => io.err(`notice: ${m}`) });
      io.err(r.message);
      messages.push(r.message);
    }
    const p = openProject(path, { write: false });
    io.out(formatSummary(projectSummary(p, APP_VERSION)));
    p.close();
    io.out(['', 'Pipeline:', ...messages.map((m) => `  ${m}`)].join('\n'));
    return EXIT.ok;
  },
};

const bridge: Command = {
  summary: 'serve the app to a browser on 127.0.0.1 (for tests and development)',
  usage: 'fibrecon bridge [--port N] (needs the renderer built: npm run build:renderer)',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) return help(this, io);
    const rendererDir = join(REPO_ROOT, 'out/renderer');
    if (!existsSync(join(rendererDir, 'index.html'))) {
      io.err(`The renderer is not built (${rendererDir}/index.html is missing): run npm run build:renderer first.`);
      return EXIT.userError;
    }
    // The recent-projects list where desktop apps keep settings on Linux (XDG); FIBRECON_CONFIG_DIR overrides.
    const configDir = process.env.FIBRECON_CONFIG_DIR ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'fibrecon');
    const backend = createApiBackend({ appVersion: APP_VERSION, bridge: 'http', recentFile: join(configDir, 'recent-projects.json') });
    const server = await startBridge({ backend, rendererDir, port: values.port ? Number(values.port) : undefined });
    io.out(`fibrecon bridge: open ${server.url}`);
    io.err('Listening on 127.0.0.1 only. Ctrl-C to stop.');
    await new Promise<void>((done) => process.once('SIGINT', () => done()));
    await server.close();
    await backend.dispose();
    return EXIT.ok;
  },
};

export const COMMANDS: Record<string, Command> = {
  create,
  import: importCmd,
  'import-volume': importVolume,
  info,
  inspect,
  export: exportCmd,
  check,
  thickness,
  register,
  segment,
  annotate,
  compare,
  volume,
  reconstruct,
  metrics,
  synth,
  run: pipelineCommand(() => COMMANDS),
  demo,
  bridge,
};

function usage(io: CliIO): number {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  io.out(
    [
      `fibrecon ${APP_VERSION}: FIB-SEM tomography reconstruction (headless)`,
      '',
      'Usage: fibrecon COMMAND [options]   (fibrecon COMMAND --help for its options)',
      '',
      ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`),
      '',
      'Exit codes: 0 ok, 1 input or project problem (the message says what to do), 2 wrong command line, 3 internal error, 130 cancelled.',
    ].join('\n'),
  );
  return EXIT.ok;
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return usage(io);
  if (name === '--version') {
    io.out(APP_VERSION);
    return EXIT.ok;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}).`);
    return await cmd.run(rest, io);
  } catch (e) {
    return reportError(io, e);
  }
}
