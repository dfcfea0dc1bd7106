// Ctrl-C during fibrecon import: SIGINT once progress shows, exit 130, the
// project unchanged and the run recorded as cancelled.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';
import { BIN, CLI_ENV, cli, cliOk, infoJson, REPO, runsJson } from './run-cli';

let root: string;
let cleanup: () => void;
let stack: string;
// 200 slices of 512 x 512 uint16 (105 MB): an import of several seconds on two cores.
const [nz, ny, nx] = [200, 512, 512];

beforeAll(() => {
  ({ dir: root, cleanup } = tempDir('fibrecon-cli-cancel-'));
  stack = join(root, 'big.tif');
  writeStackWithTifffile(stack, makeSlices(nz, ny, nx, 'uint16', 51), ny, nx, { layout: 'multipage' });
}, 120_000);
afterAll(() => cleanup());

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stderr up to the moment SIGINT was sent. */
  stderrAtSigint: string;
  /** Milliseconds from SIGINT to exit. */
  exitAfterMs: number;
}

/** Runs the CLI and sends it SIGINT once stderr shows a progress line. */
function runAndInterrupt(args: string[]): Promise<Interrupted> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: CLI_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stderrAtSigint = '';
    let sentAt = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!sentAt && /^ *\d+% Importing/m.test(stderr)) {
        sentAt = Date.now();
        stderrAtSigint = stderr;
        child.kill('SIGINT');
      }
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr, stderrAtSigint, exitAfterMs: sentAt ? Date.now() - sentAt : -1 }));
  });
}

describe('Ctrl-C during fibrecon import', () => {
  it('exits 130 after one SIGINT, says it cancelled, and leaves the project unchanged with the run marked cancelled', async () => {
    const project = join(root, 'p.fibrecon');
    await cliOk(['create', project, '--name', 'cancel me']);
    const before = await infoJson(project);

    const r = await runAndInterrupt(['import', project, stack, '--name', 'big', '--pixel-size-nm', '5']);
    expect(r.exitAfterMs, `no progress line on stderr:\n${r.stderr}`).toBeGreaterThanOrEqual(0);
    // The import had not finished when SIGINT went out (else this test proves nothing).
    expect(r.stderrAtSigint).not.toMatch(/^100%/m);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Cancelling');
    expect(r.stderr).toContain('[cancelled]');
    expect(r.stderr).toContain('the project is unchanged');
    expect(r.stderr).not.toMatch(/^Imported /m);

    const after = await infoJson(project);
    expect(after).toEqual(before);
    expect(after.channels).toEqual([]);
    expect(after.interruptedRuns).toBe(0);
    const runs = await runsJson(project);
    expect(runs.map((x) => [x.step, x.status])).toEqual([['import', 'cancelled']]);
    expect(runs[0].error).toBeNull();
    const check = await cli(['check', project]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(': ok');

    // The project is not left locked: the same import, not interrupted, now succeeds.
    const again = await cli(['import', project, stack, '--name', 'big', '--pixel-size-nm', '5']);
    expect(again.code, again.stderr).toBe(0);
    const s = await infoJson(project);
    expect(s.channels.map((c) => [c.name, c.shape])).toEqual([['big', [nz, ny, nx]]]);
    expect((await runsJson(project)).map((x) => x.status)).toEqual(['cancelled', 'done']);
  });
});
