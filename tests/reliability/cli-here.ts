// The CLI's main() in the test's own process, its output captured: the same
// argument parsing, exit codes and messages as the command line, without
// starting node (and loading the CLI) again for each check.
import { expect } from 'vitest';
import type { CliIO } from '../../src-main/cli/cli-io';
import { main } from '../../src-main/cli/main';

export interface Here {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI's main() in this process, its output captured. */
export async function here(args: string[]): Promise<Here> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { out: (t) => (stdout += t.endsWith('\n') ? t : `${t}\n`), err: (t) => (stderr += t.endsWith('\n') ? t : `${t}\n`), tty: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

export async function hereOk(args: string[]): Promise<string> {
  const r = await here(args);
  expect(r.code, `fibrecon ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}
