// Jobs run in worker threads and report on one event channel; cancel stops them
// and leaves the project unchanged.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobEvent } from '../../src-shared/contract';
import { JobRunner } from '../../src-main/jobs/job-runner';
import { createProject, openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { getVolume, readSlice } from '../../src-main/project/volume-store';
import { tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

function runUntilEnd(runner: JobRunner, jobId: string, onEvent?: (e: JobEvent) => void): Promise<JobEvent[]> {
  return new Promise((resolve) => {
    const events: JobEvent[] = [];
    const off = runner.onEvent((e) => {
      if (e.jobId !== jobId) return;
      events.push(e);
      onEvent?.(e);
      if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') {
        off();
        resolve(events);
      }
    });
  });
}

it('imports in a worker thread with progress, then the project holds the channel', async () => {
  const stack = join(root, 'a.tif');
  const slices = makeSlices(30, 64, 80, 'uint16', 4);
  writeStackWithTifffile(stack, slices, 64, 80, { layout: 'multipage' });
  const path = join(root, 'a.fibrecon');
  createProject(path, { appVersion: 'test' }).close();
  const runner = new JobRunner();
  const jobId = runner.start({ kind: 'import', projectPath: path, appVersion: 'test', request: { channels: [{ name: 'SE', paths: [stack] }], overrides: { pixelSizeXNm: 2 } } });
  const events = await runUntilEnd(runner, jobId);
  const last = events[events.length - 1];
  expect(last).toMatchObject({ type: 'done', kind: 'import', message: expect.stringContaining('30 slices') });
  const fractions = events.filter((e) => e.type === 'progress').map((e) => (e as { fraction: number }).fraction);
  expect(fractions.length).toBeGreaterThan(0);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(events.some((e) => e.type === 'log' && /slice spacing/i.test(e.message))).toBe(true);
  expect(runner.running).toBe(0);
  const p = openProject(path, { write: false });
  const v = getVolume(p.db, 'SE');
  expect(await readSlice(p.db, v, 29)).toEqual(slices[29]);
  p.close();
});

it('cancels a running import: cancelled event, nothing kept', async () => {
  const stack = join(root, 'b.tif');
  writeStackWithTifffile(stack, makeSlices(120, 256, 256, 'uint16', 5), 256, 256, { layout: 'multipage' });
  const path = join(root, 'b.fibrecon');
  createProject(path, { appVersion: 'test' }).close();
  const runner = new JobRunner();
  const jobId = runner.start({ kind: 'import', projectPath: path, appVersion: 'test', request: { channels: [{ name: 'SE', paths: [stack] }], overrides: { pixelSizeXNm: 2 } } });
  let asked = false;
  const events = await runUntilEnd(runner, jobId, (e) => {
    if (e.type === 'progress' && !asked) {
      asked = true;
      runner.cancel(jobId);
    }
  });
  expect(events[events.length - 1]).toMatchObject({ type: 'cancelled' });
  const p = openProject(path, { write: false });
  expect(p.db.prepare('SELECT COUNT(*) FROM slice').pluck().get()).toBe(0);
  expect(listRuns(p.db).map((r) => r.status)).toEqual(['cancelled']);
  p.close();
  expect(() => runner.cancel(jobId)).toThrow(expect.objectContaining({ tag: 'not_found' }));
});

it('reports a failing job as a failed event with the error value', async () => {
  const path = join(root, 'c.fibrecon');
  createProject(path, { appVersion: 'test' }).close();
  const runner = new JobRunner();
  const jobId = runner.start({ kind: 'import', projectPath: path, appVersion: 'test', request: { channels: [{ name: 'x', paths: [join(root, 'missing-folder')] }] } });
  const events = await runUntilEnd(runner, jobId);
  expect(events[events.length - 1]).toMatchObject({ type: 'failed', error: { tag: 'file_not_found', message: expect.stringContaining('missing-folder') } });
});
