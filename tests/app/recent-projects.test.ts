// The recent-projects file (real files in a temporary folder) and the backend's
// listRecentProjects after creating and opening real projects.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiBackend } from '../../src-main/app/api-backend';
import { listRecentProjects, RECENT_LIMIT, rememberRecentProject } from '../../src-main/app/recent-projects';
import type { RecentProject } from '../../src-shared/contract';
import { tempDir } from '../helpers/python';

describe('recent projects', () => {
  const tmp = tempDir('fibrecon-recent-');
  afterAll(() => tmp.cleanup());

  it('keeps the newest first, each path once, at most 10; marks files that are gone', () => {
    const file = join(tmp.dir, 'config', 'recent-projects.json');
    expect(listRecentProjects(file)).toEqual([]);
    const t0 = Date.parse('2025-06-01T09:00:00Z');
    for (let i = 0; i < 12; i++) rememberRecentProject(file, { path: join(tmp.dir, `p${i}.fibrecon`), name: `P${i}` }, new Date(t0 + i * 1000));
    rememberRecentProject(file, { path: join(tmp.dir, 'sub', '..', 'p5.fibrecon'), name: 'P5 again' }, new Date(t0 + 60_000));
    writeFileSync(join(tmp.dir, 'p5.fibrecon'), '');
    const list = listRecentProjects(file);
    expect(list).toHaveLength(RECENT_LIMIT);
    expect(list.map((r) => r.name)).toEqual(['P5 again', 'P11', 'P10', 'P9', 'P8', 'P7', 'P6', 'P4', 'P3', 'P2']);
    expect(list[0]).toEqual({ path: join(tmp.dir, 'p5.fibrecon'), name: 'P5 again', openedAt: '2025-06-01T09:01:00.000Z', exists: true });
    expect(list.slice(1).every((r) => !r.exists)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });

  it('reads a broken file as an empty list and rewrites it on the next open', () => {
    const file = join(tmp.dir, 'broken.json');
    writeFileSync(file, '{"version": 1, "projects": [{"path": 3}]}');
    expect(listRecentProjects(file)).toEqual([]);
    writeFileSync(file, 'not json');
    expect(listRecentProjects(file)).toEqual([]);
    rememberRecentProject(file, { path: '/data/a.fibrecon', name: null });
    expect(listRecentProjects(file).map((r) => r.path)).toEqual(['/data/a.fibrecon']);
  });

  it('the backend lists the projects created and opened through it, newest first', async () => {
    const file = join(tmp.dir, 'backend', 'recent.json');
    const backend = createApiBackend({ appVersion: '0.0.0-recent', bridge: 'http', recentFile: file });
    const list = async () => {
      const r = await backend.call('listRecentProjects', undefined);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as RecentProject[];
    };
    try {
      const a = join(tmp.dir, 'a.fibrecon');
      const b = join(tmp.dir, 'b.fibrecon');
      expect(await list()).toEqual([]);
      expect((await backend.call('createProject', { path: a, name: 'Sample A' })).ok).toBe(true);
      expect((await backend.call('createProject', { path: b })).ok).toBe(true);
      expect((await backend.call('openProject', { path: a })).ok).toBe(true);
      const failed = await backend.call('openProject', { path: join(tmp.dir, 'nope.fibrecon') });
      expect(failed.ok).toBe(false);
      expect((await list()).map((r) => [r.path, r.name, r.exists])).toEqual([
        [a, 'Sample A', true],
        [b, 'b', true],
      ]);
      await backend.call('closeProject', undefined);
      rmSync(b);
      expect((await list()).map((r) => r.exists)).toEqual([true, false]);
    } finally {
      await backend.dispose();
    }
    // Without a file, the list is empty and nothing is written.
    const plain = createApiBackend({ appVersion: '0.0.0-recent', bridge: 'http' });
    await plain.call('createProject', { path: join(tmp.dir, 'c.fibrecon') });
    await expect(plain.call('listRecentProjects', undefined)).resolves.toEqual({ ok: true, value: [] });
    await plain.dispose();
    expect(existsSync(join(tmp.dir, 'recent-projects.json'))).toBe(false);
  });
});
