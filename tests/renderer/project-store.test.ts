// The renderer's model against a scripted fake API: project lifecycle, errors
// as values, job progress from events (also when they outrun startImport), the
// volume list, segmentation and reconstruction jobs, planes decoded.
import { describe, expect, it } from 'vitest';
import type { FibreconApi, JobEvent, ProjectSummary, ThicknessSeries, VolumeSummary } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { decodeBase64, ProjectStore } from '../../src-renderer/state/project-store';
import type { StoredMetrics } from '../../src-shared/metric-definitions';

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
  let volumes: VolumeSummary[] = [];
  const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
  // Cast: methods this store never calls (e.g. the 3D viewer's) are left out.
  const api = {
    appInfo: () => ok({ version: '0.1.0', platform: 'linux', bridge: 'http' as const }),
    createProject: (req) => (calls.push(`create ${req.path}`), ok(summary(channels))),
    openProject: () => Promise.resolve({ ok: false, error: { tag: 'not_a_project', message: 'Not a fibrecon project: choose a .fibrecon file.' } }),
    closeProject: () => (calls.push('close'), ok(null)),
    listRecentProjects: () => (calls.push('recent'), ok([{ path: '/data/old.fibrecon', name: 'Old', openedAt: '2025-06-01T09:00:00.000Z', exists: false }])),
    projectSummary: () => (calls.push('summary'), ok(summary(channels))),
    inspectStack: () => Promise.reject(new Error('unused')),
    startImport: (req) => (calls.push(`import ${JSON.stringify(req)}`), ok({ jobId: 'job-1' })),
    cancelJob: (req) => (calls.push(`cancel ${req.jobId}`), ok(null)),
    getSlice: () => Promise.reject(new Error('unused')),
    listVolumes: () => (calls.push('volumes'), ok(volumes)),
    getPlane: (req) =>
      ok({ volume: req.volume, axis: req.axis, index: req.index, width: 2, height: 1, grey8Base64: 'AP8=', min: 60, max: 180, pixelNm: { u: 5, v: 20 } }),
    listModels: () => (calls.push('models'), ok([{ name: 'window7', kind: 'segmentation-2.5d', inputSlices: 7, tile: 16 }])),
    startSegment: (req) => (calls.push(`segment ${JSON.stringify(req)}`), ok({ jobId: 'seg-1' })),
    startReconstruct: (req) => (calls.push(`reconstruct ${JSON.stringify(req)}`), ok({ jobId: 'rec-1' })),
    onJobEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    ...overrides,
  } as FibreconApi;
  return {
    api,
    calls,
    listeners,
    emit: (e: JobEvent) => listeners.forEach((l) => l(e)),
    setChannels: (n: number) => (channels = n),
    setVolumes: (v: VolumeSummary[]) => (volumes = v),
  };
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
    expect(fake.calls).toEqual(['create /data/p.fibrecon', 'volumes', 'models', 'close', 'recent']);
    expect(notified).toBeGreaterThanOrEqual(4);
  });

  it('keeps errors as values with their message', async () => {
    const store = new ProjectStore(fakeApi().api);
    await store.openProject('/tmp/x.txt');
    expect(store.getState().error).toEqual({ tag: 'not_a_project', message: 'Not a fibrecon project: choose a .fibrecon file.' });
    store.dismissError();
    expect(store.getState().error).toBeNull();
  });

  it('on init, ignores no_project and reads the recent projects, but shows an open project', async () => {
    const none = new ProjectStore(
      fakeApi({ projectSummary: () => Promise.resolve({ ok: false, error: { tag: 'no_project', message: 'No project is open.' } }) }).api,
    );
    await none.init();
    expect(none.getState()).toMatchObject({ app: { bridge: 'http' }, project: null, error: null });
    expect(none.getState().recent).toEqual([{ path: '/data/old.fibrecon', name: 'Old', openedAt: '2025-06-01T09:00:00.000Z', exists: false }]);
    const fake = fakeApi();
    const open = new ProjectStore(fake.api);
    await open.init();
    expect(open.getState().project?.path).toBe('/data/p.fibrecon');
    expect(fake.calls).not.toContain('recent');
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

  it('lists volumes and models on open, keeps the selection while it exists, clears all on close', async () => {
    const fake = fakeApi();
    fake.setVolumes([vol('grey', 'grey'), vol('labels', 'labels')]);
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    expect(store.getState()).toMatchObject({ selectedVolume: 'grey', step: 'import', models: [{ name: 'window7', inputSlices: 7 }] });
    expect(store.getState().volumes.map((v) => v.name)).toEqual(['grey', 'labels']);
    store.selectVolume('labels');
    store.setStep('segment');
    await store.refreshVolumes();
    expect(store.getState()).toMatchObject({ selectedVolume: 'labels', step: 'segment' });
    fake.setVolumes([vol('grey', 'grey')]);
    await store.refreshVolumes();
    expect(store.getState().selectedVolume).toBe('grey');
    await store.closeProject();
    expect(store.getState()).toMatchObject({ project: null, volumes: [], selectedVolume: null, step: 'import' });
  });

  it('runs a segmentation as a job: progress, done → volumes refreshed, the output selected and remembered', async () => {
    const fake = fakeApi();
    fake.setVolumes([vol('grey', 'grey')]);
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    await store.startSegment({ volume: 'grey', method: 'model', model: 'window7', ep: 'auto', out: 'grey-window7' });
    expect(fake.calls.at(-1)).toBe('segment {"volume":"grey","method":"model","model":"window7","ep":"auto","out":"grey-window7"}');
    expect(store.getState().job).toMatchObject({ jobId: 'seg-1', kind: 'segment', status: 'running', out: 'grey-window7', title: 'Segmenting grey (model window7) → grey-window7' });
    fake.emit({ jobId: 'seg-1', kind: 'segment', type: 'progress', fraction: 0.25, message: 'slice 2 of 8', etaS: 3 });
    expect(store.getState().job).toMatchObject({ fraction: 0.25, etaS: 3 });
    // A second job is refused while this one runs, saying which one runs.
    await store.startReconstruct({ volume: 'grey', method: 'cubic', out: 'r' });
    expect(store.getState().error?.message).toMatch(/A segmentation is already running/);
    store.dismissError();
    fake.setVolumes([vol('grey', 'grey'), vol('grey-window7', 'labels')]);
    const before = fake.calls.filter((c) => c === 'volumes').length;
    fake.emit({ jobId: 'seg-1', kind: 'segment', type: 'done', message: 'Wrote "grey-window7".' });
    await flush();
    expect(fake.calls.filter((c) => c === 'volumes').length).toBe(before + 1);
    expect(store.getState()).toMatchObject({
      job: { status: 'done' },
      selectedVolume: 'grey-window7',
      lastOutput: { segment: { volume: 'grey-window7', source: 'grey' } },
    });
    expect(store.getState().volumes.map((v) => v.name)).toEqual(['grey', 'grey-window7']);
  });

  it('runs a reconstruction; a cancelled one leaves the volumes and the last output as they were', async () => {
    const fake = fakeApi();
    fake.setVolumes([vol('labels', 'labels')]);
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    await store.startReconstruct({ volume: 'labels', method: 'cubic', binaryInterpolant: 'distance', out: 'labels-cubic' });
    expect(fake.calls.at(-1)).toBe('reconstruct {"volume":"labels","method":"cubic","binaryInterpolant":"distance","out":"labels-cubic"}');
    expect(store.getState().job).toMatchObject({ kind: 'reconstruct', jobId: 'rec-1' });
    await store.cancelJob();
    expect(fake.calls.at(-1)).toBe('cancel rec-1');
    const calls = fake.calls.length;
    fake.emit({ jobId: 'rec-1', kind: 'reconstruct', type: 'cancelled', message: 'Cancelled; nothing was changed.' });
    await flush();
    expect(fake.calls.length).toBe(calls);
    expect(store.getState()).toMatchObject({ job: { status: 'cancelled' }, lastOutput: {}, selectedVolume: 'labels' });
  });

  it('decodes a plane (base64 → bytes) and passes maxSize only when given', async () => {
    const seen: unknown[] = [];
    const fake = fakeApi();
    const getPlane = fake.api.getPlane;
    fake.api.getPlane = (req) => (seen.push(req), getPlane(req));
    const store = new ProjectStore(fake.api);
    const res = await store.loadPlane({ volume: 'grey', axis: 'xz', index: 3 });
    expect(res.ok && Array.from(res.value.pixels)).toEqual([0, 255]);
    expect(res.ok && res.value).toMatchObject({ width: 2, height: 1, pixelNm: { u: 5, v: 20 }, axis: 'xz', index: 3 });
    await store.loadPlane({ volume: 'grey', axis: 'xy', index: 0, maxSize: 256 });
    expect(seen).toEqual([
      { volume: 'grey', axis: 'xz', index: 3 },
      { volume: 'grey', axis: 'xy', index: 0, maxSize: 256 },
    ]);
    expect(Array.from(decodeBase64(Buffer.from([1, 2, 250]).toString('base64')))).toEqual([1, 2, 250]);
  });

  it('loads a whole volume for the 3D view, decoded, with the size limit it was given', async () => {
    const seen: unknown[] = [];
    const fake = fakeApi({
      getVolumeData: (req) => (
        seen.push(req),
        Promise.resolve({
          ok: true as const,
          value: { volume: req.volume, kind: 'labels' as const, shape: [2, 1, 2] as [number, number, number], factors: [1, 1, 1] as [number, number, number], voxelSizeNm: { x: 5, y: 5, z: 5 }, dataBase64: Buffer.from([0, 1, 1, 0]).toString('base64'), min: 0, max: 1 },
        })
      ),
    });
    const store = new ProjectStore(fake.api);
    const res = await store.loadVolumeData('rcs', 1 << 20);
    expect(res.ok && Array.from(res.value.data)).toEqual([0, 1, 1, 0]);
    expect(res.ok && res.value).toMatchObject({ volume: 'rcs', kind: 'labels', shape: [2, 1, 2] });
    expect(seen).toEqual([{ volume: 'rcs', maxBytes: 1 << 20 }]);
  });
});

function vol(name: string, kind: VolumeSummary['kind']): VolumeSummary {
  return {
    name,
    role: kind === 'grey' ? 'channel' : 'derived',
    kind,
    shape: [8, 40, 48],
    dtype: 'uint8',
    voxelSizeNm: { x: 5, y: 5, z: 20 },
    zRangeNm: [0, 140],
    metadata: {},
  };
}

describe('ProjectStore: Quality and Export steps', () => {
  const stored = (runId: number, volume: string, mp?: number): StoredMetrics => ({
    runId,
    volume,
    truth: mp === undefined ? null : 'truth',
    when: '2026-01-01T00:00:00.000Z',
    params: {},
    values: [{ name: 'e_tpcf', value: 0.05, unit: '-' }, ...(mp === undefined ? [] : [{ name: 'mp' as const, value: mp, unit: '%' }])],
    curves: null,
  });

  it('runs a metrics job: the stored results are read on request and again when it is done; volumes are not re-read', async () => {
    let results = [stored(3, 'labels')];
    const fake = fakeApi({
      startMetrics: (req) => (fake.calls.push(`metrics ${JSON.stringify(req)}`), Promise.resolve({ ok: true as const, value: { jobId: 'met-1' } })),
      listMetrics: () => (fake.calls.push('list metrics'), Promise.resolve({ ok: true as const, value: results })),
    });
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    expect(store.getState().metrics).toBeNull();
    await store.loadMetrics();
    expect(store.getState().metrics).toEqual(results);
    await store.startMetrics({ volume: 'labels', truth: 'truth', rMaxNm: 20 });
    expect(fake.calls.at(-1)).toBe('metrics {"volume":"labels","truth":"truth","rMaxNm":20}');
    expect(store.getState().job).toMatchObject({ kind: 'metrics', status: 'running', title: 'Quality of labels against truth' });
    results = [...results, stored(4, 'labels', 12.5)];
    fake.calls.length = 0;
    fake.emit({ jobId: 'met-1', kind: 'metrics', type: 'done', message: 'Quality of "labels": …' });
    await flush();
    expect(fake.calls).toEqual(['list metrics']);
    expect(store.getState().metrics?.map((m) => m.runId)).toEqual([3, 4]);
    expect(store.getState().lastOutput).toEqual({});
    // A second job while one runs is refused with the running job's name.
    await store.startMetrics({ volume: 'labels' });
    fake.emit({ jobId: 'met-1', kind: 'metrics', type: 'progress', fraction: 0.5, message: 'x' });
    await store.startExport({ volume: 'labels', format: 'nrrd', path: '/x.nrrd' });
    expect(store.getState().error?.message).toBe('A quality measurement is already running: wait for it to finish or cancel it.');
    await store.closeProject();
    expect(store.getState().metrics).toBeNull();
  });

  it('runs an export job: lists the formats once, keeps the request and the final message (done or failed)', async () => {
    let formatCalls = 0;
    const fake = fakeApi({
      startExport: (req) => (fake.calls.push(`export ${JSON.stringify(req)}`), Promise.resolve({ ok: true as const, value: { jobId: `exp-${fake.calls.length}` } })),
      listExportFormats: () => (
        formatCalls++,
        Promise.resolve({
          ok: true as const,
          value: [{ id: 'amira-mesh', name: 'AmiraMesh', extensions: ['.am'], readBy: ['Avizo', 'Amira'], supportsLabels: true, supportsNonUniformZ: false, notes: '' }],
        })
      ),
    });
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    await store.loadExportFormats();
    await store.loadExportFormats();
    expect(formatCalls).toBe(1);
    expect(store.getState().exportFormats?.[0].readBy).toEqual(['Avizo', 'Amira']);
    const req = { volume: 'labels', format: 'amira-mesh', path: '/data/labels.am' };
    await store.startExport(req);
    const id = store.getState().job!.jobId!;
    expect(store.getState().job).toMatchObject({ kind: 'export', title: 'Exporting labels → /data/labels.am' });
    fake.calls.length = 0;
    fake.emit({ jobId: id, kind: 'export', type: 'done', message: 'Wrote /data/labels.am: 8 slices' });
    await flush();
    expect(store.getState().lastExport).toEqual({ request: req, status: 'done', message: 'Wrote /data/labels.am: 8 slices' });
    expect(fake.calls).toEqual([]);
    await store.startExport({ ...req, path: '/nope/x.am' });
    const id2 = store.getState().job!.jobId!;
    fake.emit({ jobId: id2, kind: 'export', type: 'failed', error: { tag: 'invalid_input', message: 'The folder /nope does not exist.' } });
    expect(store.getState().lastExport).toMatchObject({ status: 'failed', message: 'The folder /nope does not exist.', request: { path: '/nope/x.am' } });
    expect(store.getState().error?.message).toBe('The folder /nope does not exist.');
  });
  const series = (tableId: number, volume: string, applied: boolean): ThicknessSeries => ({
    tableId,
    volume,
    source: 'asv',
    description: 'ProjectData.dat',
    createdAt: '2025-01-01T00:00:00.000Z',
    thicknessNm: [9, 11, null],
    flags: [null, 'outlier', 'nan'],
    targetNm: [10, 10, 10],
    applied,
    statistics: { count: 3, validCount: 2, meanNm: 10, sdNm: 1.41, minNm: 9, maxNm: 11, medianNm: 10 },
    gamma: { shape: 100, scaleNm: 0.1, meanNm: 10, sdNm: 1, n: 2, excluded: 1 },
    zPositionsNm: [0, 9, 20, 30],
  });

  it('runs a thickness job: the latest series is read for the volume, and again (with the volumes and summary) when it is done', async () => {
    let current: ThicknessSeries | null = null;
    const fake = fakeApi({
      startThickness: (req) => (fake.calls.push(`thickness ${JSON.stringify(req)}`), Promise.resolve({ ok: true as const, value: { jobId: 'thk-1' } })),
      getThickness: (req) => (fake.calls.push(`get thickness ${req.volume}`), Promise.resolve({ ok: true as const, value: current })),
    });
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    await store.loadThickness('C0');
    expect(store.getState().thickness).toBeNull();
    const req = { volume: 'C0', source: { asv: '/data/ProjectData.dat' }, resolve: { outliers: 'median' as const }, apply: true };
    await store.startThickness(req);
    expect(fake.calls.at(-1)).toBe(`thickness ${JSON.stringify(req)}`);
    expect(store.getState().job).toMatchObject({ kind: 'thickness', status: 'running', title: 'Thickness of C0 from /data/ProjectData.dat (applied)', source: 'C0' });
    current = series(5, 'C0', true);
    fake.calls.length = 0;
    fake.emit({ jobId: 'thk-1', kind: 'thickness', type: 'done', message: 'Thickness table 5 …' });
    await flush();
    expect(fake.calls.sort()).toEqual(['get thickness C0', 'summary', 'volumes']);
    expect(store.getState().thickness).toEqual(current);
    // A second job while one runs is refused with the running job's name.
    await store.startThickness({ ...req, source: { table: '/t.csv' }, apply: false });
    fake.emit({ jobId: 'thk-2', kind: 'thickness', type: 'progress', fraction: 0.5, message: 'x' });
    await store.startRegister({ volumes: ['C0'] });
    expect(store.getState().error?.message).toBe('A thickness import is already running: wait for it to finish or cancel it.');
    await store.closeProject();
    expect(store.getState().thickness).toBeNull();
  });

  it('shows a failed thickness read as an error and forgets the series', async () => {
    const fake = fakeApi({
      getThickness: () => Promise.resolve({ ok: false as const, error: { tag: 'not_found' as const, message: 'No volume "x".' } }),
    });
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    await store.loadThickness('x');
    expect(store.getState().thickness).toBeNull();
    expect(store.getState().error?.message).toBe('No volume "x".');
  });

  it('runs a registration job: the output is the reference\'s "-reg" volume, selected and re-listed when done', async () => {
    const fake = fakeApi({
      startRegister: (req) => (fake.calls.push(`register ${JSON.stringify(req)}`), Promise.resolve({ ok: true as const, value: { jobId: 'reg-1' } })),
    });
    const store = new ProjectStore(fake.api);
    await store.createProject('/data/p.fibrecon');
    await store.startRegister({ volumes: ['4kV', '2kV'], reference: '2kV', region: { x: 1, y: 2, width: 30, height: 20 } });
    expect(fake.calls.at(-1)).toBe('register {"volumes":["4kV","2kV"],"reference":"2kV","region":{"x":1,"y":2,"width":30,"height":20}}');
    expect(store.getState().job).toMatchObject({ kind: 'register', title: 'Registering 4kV, 2kV onto 2kV', out: '2kV-reg' });
    fake.calls.length = 0;
    fake.emit({ jobId: 'reg-1', kind: 'register', type: 'done', message: 'Registered …' });
    await flush();
    expect(fake.calls.sort()).toEqual(['summary', 'volumes']);
    expect(store.getState().lastOutput.register).toEqual({ volume: '2kV-reg', source: '2kV' });
  });
});
