// Runs the real CLI (node bin/fibrecon.mjs, tsx loads the sources) as a child
// process and captures what it says and how it exits.
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ProjectSummary } from '../../src-shared/contract';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(REPO, 'bin/fibrecon.mjs');

export interface CliResult {
  /** Exit code; null when the process died of a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of the child: no colours, no inherited debugger or test runner flags. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  return env;
}

export const CLI_ENV = childEnv();

export function cli(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: REPO, env: CLI_ENV, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      const code = e === null ? 0 : typeof e.code === 'number' ? e.code : null;
      done({ code, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed; returns its stdout. */
export async function cliOk(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.code, `fibrecon ${args.join(' ')}\nstderr: ${r.stderr}`).toBe(0);
  return r.stdout;
}

export type RunStatusRecord = { id: number; step: string; status: string; error: { tag: string; message: string } | null };

export async function infoJson(project: string): Promise<ProjectSummary> {
  return JSON.parse(await cliOk(['info', project, '--json'])) as ProjectSummary;
}

export async function runsJson(project: string): Promise<RunStatusRecord[]> {
  return (JSON.parse(await cliOk(['info', project, '--runs', '--json'])) as { runs: RunStatusRecord[] }).runs;
}

/** FEI/Thermo Fisher INI text for tag 34682, as the instruments write it (CRLF). */
export function feiIni(opts: { pixelWidthM?: string; hv?: number; detector?: string; rows: number }): string {
  const pw = opts.pixelWidthM ?? '2.5e-009';
  return (
    ['[Scan]', `PixelWidth=${pw}`, `PixelHeight=${pw}`, '[Beam]', `HV=${opts.hv ?? 2000}`, '[Detectors]', `Name=${opts.detector ?? 'TLD'}`, '[Image]', `ResolutionY=${opts.rows}`, ''].join(
      '\r\n',
    )
  );
}
