// How the CLI talks: results on stdout, progress and notices on stderr, exit
// codes that mean something.
import { ZodError } from 'zod';
import { AppError, type AppErrorValue, cutLongText, toErrorValue } from '../../src-shared/errors';
import type { Progress } from '../../src-shared/progress';

export const EXIT = {
  ok: 0,
  /** The input or the project is not right; the message says what to do. */
  userError: 1,
  /** The command line is wrong. */
  usage: 2,
  /** A bug: please report. */
  internal: 3,
  /** Cancelled with Ctrl-C; nothing was changed. */
  cancelled: 130,
} as const;

export class UsageError extends Error {}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress redraws one line). */
  tty: boolean;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  tty: process.stderr.isTTY === true,
};

export function progressPrinter(io: CliIO): (p: Progress) => void {
  let lastLine = '';
  return (p) => {
    const pct = `${(p.fraction * 100).toFixed(0).padStart(3)}%`;
    const eta = p.etaS !== undefined ? `, ${Math.ceil(p.etaS)} s left` : '';
    const line = `${pct} ${p.message}${eta}`;
    if (line === lastLine) return;
    lastLine = line;
    if (io.tty) process.stderr.write(`\r\x1b[K${line}${p.fraction >= 1 ? '\n' : ''}`);
    else io.err(line);
  };
}

/** A value the command line gave that the contract's schemas refuse. */
function zodToValue(e: ZodError): AppErrorValue {
  const detail = e.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');
  return { tag: 'invalid_input', message: `Invalid value (${detail}). Check the options (--help).` };
}

export function exitCodeFor(e: AppErrorValue): number {
  if (e.tag === 'cancelled') return EXIT.cancelled;
  if (e.tag === 'internal') return EXIT.internal;
  return EXIT.userError;
}

export function reportError(io: CliIO, e: unknown): number {
  if (e instanceof UsageError) {
    io.err(`fibrecon: ${cutLongText(e.message, 2000)}\nRun with --help for usage.`);
    return EXIT.usage;
  }
  // Values carry messages cut to a sane length (src-shared/errors.ts); so does the stack, which repeats the message.
  const v = e instanceof AppError ? e.toValue() : e instanceof ZodError ? zodToValue(e) : toErrorValue(e);
  io.err(`fibrecon: error [${v.tag}]: ${cutLongText(v.message)}`);
  if (v.tag === 'internal' && e instanceof Error && e.stack) io.err(cutLongText(e.stack, 4000));
  return exitCodeFor(v);
}

/** An AbortSignal that fires on Ctrl-C (the first one; a second one kills). */
export function interruptSignal(io: CliIO): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const onInt = () => {
    if (ac.signal.aborted) process.exit(EXIT.cancelled);
    io.err('\nCancelling... (Ctrl-C again to stop at once)');
    ac.abort();
  };
  process.on('SIGINT', onInt);
  return { signal: ac.signal, dispose: () => process.off('SIGINT', onInt) };
}
