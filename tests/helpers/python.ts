// Runs Debian's python3 (numpy, tifffile) as the independent reference in tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's interpreter: its packages (python3-numpy, python3-tifffile) are what CI installs. */
export const PYTHON = process.env.FIBRECON_PYTHON ?? '/usr/bin/python3';

/** Runs a python script (source text) with arguments; returns stdout. Throws with stderr on failure. */
export function runPython(script: string, args: string[] = [], input?: string): string {
  try {
    return execFileSync(PYTHON, ['-c', script, ...args], {
      encoding: 'utf8',
      input,
      maxBuffer: 1 << 30,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`python failed: ${err.stderr ?? err.message}`);
  }
}

/** A fresh temporary folder and a function that removes it. */
export function tempDir(prefix = 'fibrecon-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
