// Which project a launch names (first launch, or a second one handed over by
// the single-instance lock), and whether it is the project open already; and
// the backend keeping an open project as it is when asked to open it again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiBackend } from '../../src-main/app/api-backend';
import { launchDecision, projectPathFromArgv, sameProjectPath } from '../../src-main/electron-model/launch-args';
import { lockPathFor } from '../../src-main/project/project-lock';
import type { ProjectSummary } from '../../src-shared/contract';
import { value } from '../app/backend-helpers';
import { tempDir } from '../helpers/python';

describe('projectPathFromArgv', () => {
  it('packaged app: the file after the executable, relative paths against the launch folder', () => {
    expect(projectPathFromArgv(['/opt/fibrecon/fibrecon', 'samples/a.fibrecon'], '/home/u', 'linux')).toBe('/home/u/samples/a.fibrecon');
    expect(projectPathFromArgv(['/opt/fibrecon/fibrecon', '/data/b.fibrecon'], '/home/u', 'linux')).toBe('/data/b.fibrecon');
  });

  it('development (electron . FILE) and Chromium switches: the app folder and the switches are skipped', () => {
    const argv = ['/x/electron', '--inspect=5858', '.', '--allow-file-access-from-files', '--user-data-dir=/tmp/p.fibrecon', '../c.fibrecon'];
    expect(projectPathFromArgv(argv, '/home/u/work', 'linux')).toBe('/home/u/c.fibrecon');
  });

  it('no project file named: undefined (also for other files); several: the last one', () => {
    expect(projectPathFromArgv(['/opt/fibrecon/fibrecon'], '/home/u', 'linux')).toBeUndefined();
    expect(projectPathFromArgv(['/opt/fibrecon/fibrecon', 'stack.tif', 'notes.txt'], '/home/u', 'linux')).toBeUndefined();
    // The executable itself is never taken, whatever its name.
    expect(projectPathFromArgv(['/odd/name.fibrecon'], '/home/u', 'linux')).toBeUndefined();
    expect(projectPathFromArgv(['fibrecon', 'a.fibrecon', 'B.FIBRECON'], '/d', 'linux')).toBe('/d/B.FIBRECON');
  });

  it('Windows: drive paths and backslashes', () => {
    expect(projectPathFromArgv(['C:\\Program Files\\fibrecon\\fibrecon.exe', 'D:\\data\\s.fibrecon'], 'C:\\Users\\u', 'win32')).toBe('D:\\data\\s.fibrecon');
    expect(projectPathFromArgv(['C:\\Program Files\\fibrecon\\fibrecon.exe', 'runs\\s.fibrecon'], 'C:\\Users\\u', 'win32')).toBe('C:\\Users\\u\\runs\\s.fibrecon');
  });
});

describe('sameProjectPath and launchDecision', () => {
  it('normalises paths; case-insensitive on Windows and macOS only', () => {
    expect(sameProjectPath('/data/x/../a.fibrecon', '/data/./a.fibrecon', 'linux')).toBe(true);
    expect(sameProjectPath('/data/A.fibrecon', '/data/a.fibrecon', 'linux')).toBe(false);
    expect(sameProjectPath('/data/A.fibrecon', '/data/a.fibrecon', 'darwin')).toBe(true);
    expect(sameProjectPath('C:\\Data\\A.fibrecon', 'c:\\data\\a.FIBRECON', 'win32')).toBe(true);
    expect(sameProjectPath('/data/a.fibrecon', '/data/b.fibrecon', 'darwin')).toBe(false);
  });

  it('the open project: focus; another one, or none open: open', () => {
    expect(launchDecision('/d/a.fibrecon', '/d/a.fibrecon', 'linux')).toBe('focus');
    expect(launchDecision('/d/a.fibrecon', '/d/b.fibrecon', 'linux')).toBe('open');
    expect(launchDecision('/d/a.fibrecon', null, 'linux')).toBe('open');
  });
});

describe('opening the project that is open already', () => {
  const tmp = tempDir('fibrecon-reopen-');
  const backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('keeps it open as it is (same lock, not closed and reopened); another file replaces it', async () => {
    const a = join(tmp.dir, 'a.fibrecon');
    const created = value<ProjectSummary>(await backend.call('createProject', { path: a, name: 'A' }));
    const lockBefore = readFileSync(lockPathFor(a), 'utf8');
    await new Promise((r) => setTimeout(r, 20));
    const again = value<ProjectSummary>(await backend.call('openProject', { path: join(tmp.dir, '.', 'a.fibrecon') }));
    expect(again.path).toBe(created.path);
    expect(again.name).toBe('A');
    // A close and reopen would have written a new lock (a new "since").
    expect(readFileSync(lockPathFor(a), 'utf8')).toBe(lockBefore);

    const b = join(tmp.dir, 'b.fibrecon');
    value(await backend.call('createProject', { path: b }));
    value(await backend.call('openProject', { path: a }));
    expect(readFileSync(lockPathFor(a), 'utf8')).not.toBe(lockBefore);
  });
});
