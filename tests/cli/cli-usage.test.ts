// The command line itself: usage, per-command help, and what a wrong command
// line gets (exit 2, a message on stderr that points to --help).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from './run-cli';

const COMMANDS = ['create', 'import', 'import-volume', 'info', 'inspect', 'export', 'check', 'thickness', 'register', 'reconstruct', 'metrics', 'synth', 'run', 'demo', 'bridge'];

function expectUsage(stdout: string) {
  expect(stdout).toMatch(/^fibrecon \d+\.\d+\.\d+/);
  expect(stdout).toContain('Usage: fibrecon COMMAND');
  // Every command is listed on a line of its own, with its summary.
  for (const c of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
  expect(stdout).toMatch(/Exit codes: 0 ok, 1 .*, 2 wrong command line, 3 internal error, 130 cancelled/);
}

describe('fibrecon usage', () => {
  it('--help, -h, help and no arguments print the usage on stdout and exit 0', async () => {
    const forms = [['--help'], ['-h'], ['help'], []];
    const results = await Promise.all(forms.map((args) => cli(args)));
    for (const r of results) {
      expect(r.code).toBe(0);
      expectUsage(r.stdout);
      expect(r.stderr).toBe('');
    }
  });

  it('--version prints the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('COMMAND --help and COMMAND -h print that command\'s usage and exit 0, for every command', async () => {
    const results = await Promise.all(COMMANDS.map((c) => cli([c, '--help'])));
    for (const [i, c] of COMMANDS.entries()) {
      const r = results[i];
      expect(r.code, `${c} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(`Usage: fibrecon ${c}`);
      expect(r.stderr).toBe('');
    }
    // Options named in the usage of import (the command with the most).
    const importUsage = results[COMMANDS.indexOf('import')].stdout;
    for (const flag of ['--name', '--channel NAME=PATH', '--pixel-size-nm', '--slice-spacing-nm', '--beam-kv', '--detector', '--crop X,Y,W,H', '--json']) {
      expect(importUsage).toContain(flag);
    }
    expect(results[COMMANDS.indexOf('export')].stdout).toMatch(/\(--channel\|--volume\) NAME --out FILE/);
    const short = await cli(['info', '-h']);
    expect(short.code).toBe(0);
    expect(short.stdout).toContain('Usage: fibrecon info');
  });

  it('an unknown command exits 2 with a message on stderr that names it and says to run --help', async () => {
    const r = await cli(['frobnicate', 'x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('Run with --help');
  });

  it('an unknown option exits 2 with a message on stderr that names it and says to run --help', async () => {
    const [a, b] = await Promise.all([cli(['info', 'p.fibrecon', '--bogus']), cli(['import', 'p.fibrecon', 'stack.tif', '--pixel-size', '3'])]);
    for (const [r, flag] of [
      [a, '--bogus'],
      [b, '--pixel-size'],
    ] as const) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(flag);
      expect(r.stderr).toContain('Run with --help');
    }
  });

  it('a missing argument is a wrong command line too (exit 2, the command\'s usage)', async () => {
    const [info, exp, imp] = await Promise.all([cli(['info']), cli(['export', 'p.fibrecon', '--channel', 'a']), cli(['import', 'p.fibrecon'])]);
    for (const r of [info, exp, imp]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Run with --help');
    }
    expect(info.stderr).toContain('Usage: fibrecon info');
    expect(exp.stderr).toContain('--channel (or --volume) and --out are required');
    expect(imp.stderr).toContain('give the stack to import');
  });
});
