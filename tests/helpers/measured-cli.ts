// Runs the real CLI (node bin/fibrecon.mjs) as a child process and measures its
// peak memory: with GNU time (`/usr/bin/time -v`, Debian package "time") where
// it is installed, which reports the child's maxRSS from the kernel; otherwise
// through tests/tiff/cli-peak-memory.ts, which runs the same main() and prints
// process.resourceUsage().maxRSS as it exits (worker threads included either way).
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, CLI_ENV, REPO } from '../cli/run-cli';

export const GNU_TIME = '/usr/bin/time';

function hasGnuTime(): boolean {
  try {
    accessSync(GNU_TIME, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** How peak memory is measured on this machine (said in the test's output). */
export const PEAK_MEMORY_BY = hasGnuTime() ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS (tests/tiff/cli-peak-memory.ts)';

export interface MeasuredCliResult {
  /** Exit code; null when the process died of a signal. */
  code: number | null;
  /** The signal that ended it ("SIGKILL", or "signal 9" from GNU time's report), if any. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the CLI process, MB (NaN when it could not be measured). */
  maxRssMB: number;
  seconds: number;
}

export function measuredCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<MeasuredCliResult> {
  return hasGnuTime() ? withGnuTime(args, env) : withWrapper(args, env);
}

function run(file: string, argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; seconds: number }> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile(file, argv, { cwd: REPO, env: { ...CLI_ENV, ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      const code = e === null ? 0 : typeof e.code === 'number' ? e.code : null;
      done({ code, signal: e?.signal ?? null, stdout, stderr, seconds: (performance.now() - t0) / 1000 });
    });
  });
}

async function withGnuTime(args: string[], env: NodeJS.ProcessEnv): Promise<MeasuredCliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fibrecon-time-'));
  const report = join(dir, 'time.txt');
  try {
    const r = await run(GNU_TIME, ['-v', '-o', report, process.execPath, BIN, ...args], env);
    const text = readFileSync(report, 'utf8');
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
    const sig = /Command terminated by signal (\d+)/.exec(text);
    return {
      ...r,
      code: sig ? null : r.code,
      signal: sig ? `signal ${sig[1]}` : r.signal,
      maxRssMB: rss ? Number(rss[1]) / 1024 : Number.NaN,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withWrapper(args: string[], env: NodeJS.ProcessEnv): Promise<MeasuredCliResult> {
  const r = await run(process.execPath, ['--import', 'tsx', join(REPO, 'tests/tiff/cli-peak-memory.ts'), ...args], env);
  const lines = r.stderr.trimEnd().split('\n');
  const last = lines.at(-1) ?? '';
  const measured = last.startsWith('{"maxRssMB"');
  return {
    ...r,
    stderr: measured ? lines.slice(0, -1).join('\n') : r.stderr,
    maxRssMB: measured ? (JSON.parse(last) as { maxRssMB: number }).maxRssMB : Number.NaN,
  };
}
