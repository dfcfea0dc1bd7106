// The renderer's model against a scripted fake API: project lifecycle, errors
// as values, job progress from events (also when they outrun startImport).
import { describe, expect, it } from 'vitest';
import type { FibreconApi, JobEvent, ProjectSummary } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { ProjectStore } from '../../src-renderer/state/project-store';

const summary = (channels = 0): ProjectSummary => ({
  path: '/data/p.fibrecon',
  name: 'P',
  schemaVersion: 2,
  createdAt: '2025-01-01T00:00:00.000Z',
  appVersion: '0.1.0',
  interruptedRuns: 0,
  channels: Array.from({ length: channels }, (_, i) => ({
    name: `C${i}`,
    shape: [10, 20, 30] as const,
    dtype: 'uint16' as const,
    voxelSizeNm: { x: 5, y: 5, z: 10 },
    voxelSizeSource: { x: 'a', y: 'b', z: 'c' },
    depthNm: 90,
    sourceFileCount: 1,
    rawBytes: 12000,
    storedBytes: 6000,
    importedAt: '2025-01-01T00:00:00.000Z',
  })),
});

function fakeApi(overrides: Partial<FibreconApi> = {}) {
  const listeners = new Set<(e: JobEvent) => void>();
  const calls: string[] = [];
  let channels = 0;
  const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
  const api: FibreconApi = {
    appInfo: () => ok({ version: '0.1.0', platform: 'linux', bridge: 'http' as const }),
    createProject: (req) => (calls.push(`create ${req.path}`), ok(summary(channels))),
    openProject: () => Promise.resolve({ ok: false, error: { tag: 'not_a_project', message: 'Not a fibrecon project: choose a .fibrecon file.' } }),
    closeProject: () => (calls.push('close'), ok(null)),
    projectSummary: () => (calls.push('summary'), ok(summary(channels))),
    inspectStack: () => Promise.reject(new Error('unused')),
    startImport: (req) => (calls.push(`import ${JSON.stringify(req)}`), ok({ jobId: 'job-1' })),
    cancelJob: (req) => (calls.push(`cancel ${req.jobId}`), ok(null)),
    getSlice: () => Promise.reject(new Error('unused')),
    listVolumes: () => Promise.reject(new Error('unused')),
    getPlane: () => Promise.reject(new Error('unused')),
    listModels: () => Promise.reject(new Error('unused')),
    startSegment: () => Promise.reject(new Error('unused')),
    startReconstruct: () => Promise.reject(new Error('unused')),
    onJobEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    ...overrides,
  };
  return { api, calls, listeners, emit: (e: JobEvent) => listeners.forEach((l) => l(e)), setChannels: (n: number) => (channels = n) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ProjectStore', () => {
  it('creates, shows and closes a project, notifying subscribers', async () => {
    const fake = fakeApi();
    const store = new ProjectStore(fake.api);
    let notified = 0;
    store.subscribe(() => notified++);
    const creating = store.createProject('/data/p.fibrecon', 'P');
    expect(store.getState().pending).toBe('Creating project…');
    await creating;
    expect(store.getState()).toMatchObject({ pending: null, error: null, project: { name: 'P', schemaVersion: 2 } });
    await store.closeProject();
    expect(store.getState().project).toBeNull();
    expect(fake.calls).toEqual(['create /data/p.fibrecon', 'close']);
    expect(notified).toBeGreaterThanOrEqual(4);
  });

  it('keeps errors as values with their message', async () => {
    const store = new ProjectStore(fakeApi().api);
    await store.openProject('/tmp/x.txt');
    expect(store.getState().error).toEqual({ tag: 'not_a_project', message: 'Not a fibrecon project: choose a .fibrecon file.' });
    store.dismissError();
    expect(store.getState().error).toBeNull();
  });

  it('on init, ignores no_project but shows an open project', async () => {
    const none = new ProjectStore(
      fakeApi({ projectSummary: () => Promise.resolve({ ok: false, error: { tag: 'no_project', message: 'No project is open.' } }) }).api,
    );
    await none.init();
    expect(none.getState()).toMatchObject({ app: { bridge: 'http' }, project: null, error: null });
    const open = new ProjectStore(fakeApi().api);
    await open.init();
    expect(open.getState().project?.path).toBe('/data/p.fibrecon');
  });

  it('follows an import through progress and log events to done, then refreshes the summary', async () => {
    const fake = fakeApi();
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    await store.startImport({ channelName: 'SE2', paths: ['/data/stack.tif'], pixelSizeNm: 4 });
    expect(fake.calls.at(-1)).toBe(
      'import {"channels":[{"name":"SE2","paths":["/data/stack.tif"]}],"overrides":{"pixelSizeXNm":4,"pixelSizeYNm":4}}',
    );
    expect(store.getState().job).toMatchObject({ jobId: 'job-1', status: 'running', title: 'Importing channel SE2' });

    fake.emit({ jobId: 'other', kind: 'import', type: 'progress', fraction: 0.9, message: 'not ours' });
    fake.emit({ jobId: 'job-1', kind: 'import', type: 'progress', fraction: 0.4, message: 'slice 4 of 10', etaS: 6 });
    fake.emit({ jobId: 'job-1', kind: 'import', type: 'log', message: 'pixel size from override' });
    expect(store.getState().job).toMatchObject({ fraction: 0.4, message: 'slice 4 of 10', etaS: 6, log: ['pixel size from override'] });

    fake.setChannels(1);
    fake.emit({ jobId: 'job-1', kind: 'import', type: 'done', message: 'Imported 10 slices.' });
    expect(store.getState().job).toMatchObject({ status: 'done', fraction: 1 });
    await flush();
    expect(store.getState().project?.channels.map((c) => c.name)).toEqual(['C0']);
  });

  it('applies events that arrive before startImport answers', async () => {
    let answer!: (r: Result<{ jobId: string }>) => void;
    const fake = fakeApi({ startImport: () => new Promise((r) => (answer = r)) });
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    const starting = store.startImport({ channelName: 'A', paths: ['/x.tif'] });
    expect(store.getState().job?.status).toBe('starting');
    fake.emit({ jobId: 'fast', kind: 'import', type: 'progress', fraction: 0.5, message: 'half' });
    fake.emit({ jobId: 'fast', kind: 'import', type: 'done', message: 'Imported.' });
    answer({ ok: true, value: { jobId: 'fast' } });
    await starting;
    expect(store.getState().job).toMatchObject({ jobId: 'fast', status: 'done', message: 'Imported.' });
  });

  it('shows a failed job with its error, cancels a running one', async () => {
    const fake = fakeApi();
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    await store.startImport({ channelName: 'A', paths: ['/x.tif'] });
    await store.cancelJob();
    expect(fake.calls.at(-1)).toBe('cancel job-1');
    fake.emit({ jobId: 'job-1', kind: 'import', type: 'cancelled', message: 'Cancelled; nothing was changed.' });
    expect(store.getState().job?.status).toBe('cancelled');

    await store.startImport({ channelName: 'B', paths: ['/y.tif'] });
    fake.emit({ jobId: 'job-1', kind: 'import', type: 'failed', error: { tag: 'size_mismatch', message: 'b.tif is 10 x 10 but the stack is 20 x 20.', file: 'b.tif' } });
    expect(store.getState().job?.status).toBe('failed');
    expect(store.getState().error).toEqual({ tag: 'size_mismatch', message: 'b.tif is 10 x 10 but the stack is 20 x 20.', file: 'b.tif' });
  });

  it('refuses a second import while one runs, and reports a refused start', async () => {
    const fake = fakeApi();
    const store = new ProjectStore(fake.api);
    await store.startImport({ channelName: 'A', paths: ['/x.tif'] });
    await store.startImport({ channelName: 'B', paths: ['/y.tif'] });
    expect(store.getState().error?.message).toMatch(/already running/);

    const refusing = new ProjectStore(
      fakeApi({ startImport: () => Promise.resolve({ ok: false, error: { tag: 'no_project', message: 'No project is open.' } }) }).api,
    );
    await refusing.startImport({ channelName: 'A', paths: ['/x.tif'] });
    expect(refusing.getState()).toMatchObject({ job: null, error: { tag: 'no_project' } });
  });

  it('unsubscribes from job events on dispose', () => {
    const fake = fakeApi();
    const store = new ProjectStore(fake.api);
    expect(fake.listeners.size).toBe(1);
    store.dispose();
    expect(fake.listeners.size).toBe(0);
  });
});
