// The parent's side of tests/reliability/cli-on-cue.ts: start a CLI command in
// a child, say when it is to be killed, and read what it reported; and place a
// kill moment of a reference run at the same stage of the work in another run.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { CLI_ENV, REPO } from '../cli/run-cli';

export interface CueRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The command's own duration, ms, and how many SQLite statements it ran (only when it ran to its end). */
  ranMs: number | undefined;
  statements: number | undefined;
  stderr: string;
}

/** When cli-on-cue.ts kills the command (see there); {} never. */
export interface Cue {
  delayMs?: number;
  afterText?: string;
  statement?: number;
  afterCommit?: boolean;
}

/** Runs the CLI in a child through cli-on-cue.ts, killed with SIGKILL at the moment `cue` names. */
export function onCue(args: string[], cue: Cue, env: NodeJS.ProcessEnv = {}): Promise<CueRun> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'tests/reliability/cli-on-cue.ts'), ...args], {
      cwd: REPO,
      env: { ...CLI_ENV, ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    let started = false;
    // A child that hangs is ended by the test (its own child, by its pid) rather than left behind.
    const guard = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      stderr += d;
      if (!started && stderr.includes('@@ready\n')) {
        started = true;
        child.stdin!.end(`go ${JSON.stringify(cue)}\n`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      const ran = /@@ran (\d+(?:\.\d+)?)/.exec(stderr);
      const statements = /@@statements (\d+)/.exec(stderr);
      resolve({ code, signal, ranMs: ran ? Number(ran[1]) : undefined, statements: statements ? Number(statements[1]) : undefined, stderr });
    });
  });
}

/** The progress lines of a run (from cli-on-cue's timeline), each by its first time, as text that does not change between runs. */
export function progressAnchors(stderr: string): { ms: number; text: string }[] {
  const timeline = JSON.parse(/^@@timeline (.*)$/m.exec(stderr)?.[1] ?? '[]') as [number, string][];
  const anchors: { ms: number; text: string }[] = [];
  for (const [ms, line] of timeline) {
    // "  4% Importing "grey": slice 1 of 24 (12 MB/s), 1 s left" -> 'Importing "grey": slice 1 of 24' (rate and time left vary)
    const text = /^\d+% (.+)$/.exec(line)?.[1].split(/ \(|,/)[0].trim();
    if (text && !anchors.some((a) => a.text === text)) anchors.push({ ms, text });
  }
  return anchors;
}

/**
 * The moment `ms` of the reference run as a kill: a delay after the last progress line before it (or
 * after the start), the delay scaled by `speed` (a child's duration over the reference's).
 */
export function killMoment(ms: number, anchors: { ms: number; text: string }[], speed: number): Cue {
  const last = anchors.filter((a) => a.ms <= ms).at(-1);
  return last ? { delayMs: (ms - last.ms) * speed, afterText: last.text } : { delayMs: ms * speed };
}
