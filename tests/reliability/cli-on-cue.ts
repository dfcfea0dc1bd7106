// Runs one fibrecon CLI command when told to, and can be killed at an exact
// moment of its work. Started by tests/reliability/kill-writers.test.ts as
//   node --import tsx tests/reliability/cli-on-cue.ts COMMAND ARGS...
// It loads the command (its module of the CLI, named in command-modules.ts:
// loading all of the CLI takes twice the CPU; the seconds node spends on that
// are no part of any step), writes "@@ready" on stderr and waits for a line
// "go {JSON}" on stdin, then runs the command as main() does and sends SIGKILL
// to itself (the same signal as kill -9 from outside) at the moment the JSON
// names:
//   {"delayMs": D}                    D ms after the start,
//   {"delayMs": D, "afterText": T}    D ms after the command first prints T on stderr (a progress line),
//   {"statement": K}                  just before its K-th SQLite statement (the CLI's project
//                                     writes and reads all run on the main thread),
//   {"afterCommit": true}             just after its first transaction is committed (a
//                                     COMMIT, or the RELEASE of an outermost savepoint),
//   {}                                never.
// Timed kills come from a worker thread (its own event loop, so a step's
// synchronous work cannot hold it up); a statement kill is synchronous, exact
// however busy the machine. When the command ends by itself it writes "@@ran MS"
// (its duration), "@@statements N" and "@@timeline JSON" (when, in ms from the
// start, it printed each stderr line) and exits with the command's code.
import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { processIO, reportError } from '../../src-main/cli/cli-io';
import type { Command } from '../../src-main/cli/command-helpers';
import { COMMAND_MODULES } from './command-modules';

interface Cue {
  delayMs?: number;
  afterText?: string;
  statement?: number;
  afterCommit?: boolean;
}

const [name, ...args] = process.argv.slice(2);
const where = COMMAND_MODULES[name];
if (!where) throw new Error(`cli-on-cue.ts runs ${Object.keys(COMMAND_MODULES).join(', ')}; got "${name}"`);
const command = ((await import(where[0])) as Record<string, Command>)[where[1]];

const killer = new Worker(
  `const { parentPort } = require('node:worker_threads');
   parentPort.once('message', (ms) => { setTimeout(() => process.kill(process.pid, 'SIGKILL'), ms); });`,
  { eval: true },
);
killer.unref();

const line = await new Promise<string>((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d: string) => {
    text += d;
    if (text.includes('\n')) resolve(text.split('\n')[0]);
  });
  process.stderr.write('@@ready\n');
});
process.stdin.destroy();
if (!line.startsWith('go ')) throw new Error(`expected "go {JSON}", got "${line}"`);
const cue = JSON.parse(line.slice(3)) as Cue;

// Every statement fibrecon runs goes through these (db.pragma prepares one too).
let statements = 0;
const countStatement = () => {
  statements++;
  if (statements === cue.statement) process.kill(process.pid, 'SIGKILL');
};
const probe = new Database(':memory:');
const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
probe.close();
for (const method of ['run', 'get', 'all', 'iterate']) {
  const original = statementProto[method];
  statementProto[method] = function (this: unknown, ...a: unknown[]) {
    countStatement();
    return original.apply(this, a);
  };
}
const dbProto = Database.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const exec = dbProto.exec;
dbProto.exec = function (this: { inTransaction: boolean }, ...a: unknown[]) {
  countStatement();
  const open = this.inTransaction;
  const result = exec.apply(this, a);
  if (cue.afterCommit && open && !this.inTransaction) process.kill(process.pid, 'SIGKILL');
  return result;
};

const t0 = performance.now();
const timeline: [number, string][] = [];
const write = process.stderr.write.bind(process.stderr);
let armed = false;
process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = String(chunk);
  timeline.push([performance.now() - t0, text.trim()]);
  if (!armed && cue.afterText !== undefined && cue.delayMs !== undefined && text.includes(cue.afterText)) {
    armed = true;
    killer.postMessage(cue.delayMs);
  }
  return write(chunk, ...rest);
}) as typeof process.stderr.write;
if (cue.delayMs !== undefined && cue.afterText === undefined) killer.postMessage(cue.delayMs);

// As main() runs a command: its exit code, or the one its error maps to.
let code: number;
try {
  code = await command.run(args, processIO);
} catch (e) {
  code = reportError(processIO, e);
}
const ranMs = performance.now() - t0;
write(`\n@@ran ${ranMs.toFixed(1)}\n@@statements ${statements}\n@@timeline ${JSON.stringify(timeline)}\n`);
process.exitCode = code;
