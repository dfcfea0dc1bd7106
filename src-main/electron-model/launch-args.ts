// Which project file a launch asks for, and whether it is the one already
// open. Pure: main.ts gives it process.argv (first launch) or the argv and
// working directory of a second launch (app 'second-instance').
import { isAbsolute, resolve, win32 } from 'node:path';

export const PROJECT_EXTENSION = '.fibrecon';

/**
 * The project file named on a command line, resolved against `cwd`; undefined when none.
 * Skips the executable, the app folder or script Electron gets in development,
 * and switches (Chromium's and ours, "--x" or "--x=y"). When several project
 * files are named, the last one wins.
 */
export function projectPathFromArgv(argv: readonly string[], cwd: string, platform: NodeJS.Platform = process.platform): string | undefined {
  let found: string | undefined;
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || !arg.toLowerCase().endsWith(PROJECT_EXTENSION)) continue;
    found = arg;
  }
  if (found === undefined) return undefined;
  if (platform === 'win32') return win32.isAbsolute(found) ? win32.normalize(found) : win32.resolve(cwd, found);
  return isAbsolute(found) ? resolve(found) : resolve(cwd, found);
}

/** Same file, as far as paths tell: normalised, and case-insensitive where the usual file systems are (Windows, macOS). */
export function sameProjectPath(a: string, b: string, platform: NodeJS.Platform = process.platform): boolean {
  const norm = (p: string) => {
    const n = platform === 'win32' ? win32.resolve(p) : resolve(p);
    return platform === 'win32' || platform === 'darwin' ? n.toLowerCase() : n;
  };
  return norm(a) === norm(b);
}

/** What a request to open `requested` should do given the project open now: bring the window forward, or open it there. */
export function launchDecision(requested: string, openPath: string | null, platform: NodeJS.Platform = process.platform): 'focus' | 'open' {
  return openPath !== null && sameProjectPath(requested, openPath, platform) ? 'focus' : 'open';
}
