// The recent-projects list: a small JSON file in the user's config folder (the
// Electron shell passes app.getPath('userData')/recent-projects.json), newest
// first, at most RECENT_LIMIT. A file that is missing or does not parse is an
// empty list (and is rewritten on the next open); whether each project file
// still exists is checked when the list is read.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { RecentProject } from '../../src-shared/contract';

export const RECENT_LIMIT = 10;

const recentFileSchema = z.object({
  version: z.literal(1),
  projects: z.array(z.object({ path: z.string().min(1), name: z.string().nullable(), openedAt: z.string() }).strict()),
});
type Stored = z.infer<typeof recentFileSchema>['projects'];

function readStored(file: string): Stored {
  if (!existsSync(file)) return [];
  try {
    const parsed = recentFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.projects : [];
  } catch {
    return [];
  }
}

/** The list, newest first, each marked with whether its file is still there. */
export function listRecentProjects(file: string): RecentProject[] {
  return readStored(file).map((p) => ({ ...p, exists: existsSync(p.path) }));
}

/** Puts `path` at the top (once), keeps the newest RECENT_LIMIT, writes the file atomically. */
export function rememberRecentProject(file: string, entry: { path: string; name: string | null }, now = new Date()): void {
  const path = resolve(entry.path);
  const rest = readStored(file).filter((p) => resolve(p.path) !== path);
  const projects = [{ path, name: entry.name, openedAt: now.toISOString() }, ...rest].slice(0, RECENT_LIMIT);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, projects }, null, 2)}\n`);
  renameSync(tmp, file);
}
