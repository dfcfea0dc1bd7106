// The renderer in Chromium against a scripted backend, to see what a real
// import is too quick to show: the progress bar with message and ETA, Cancel,
// and a channel row with every metadata column filled in.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import type { ApiMethod, ChannelSummary, JobEvent, ProjectSummary, VolumeSummary } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { rendererBuilt, saveScreenshot } from './chromium';
import { createProjectInUi, startWizardSession, type WizardSession } from './wizard-session';

const CHANNEL: ChannelSummary = {
  name: 'TLD',
  shape: [412, 1536, 2048],
  dtype: 'uint8',
  voxelSizeNm: { x: 3.72, y: 3.72, z: 10 },
  voxelSizeSource: { x: 'FEI tag 34682 [Scan] PixelWidth', y: 'FEI tag 34682 [Scan] PixelHeight', z: 'user override' },
  depthNm: 4110,
  beamVoltageV: { value: 2000, source: 'FEI tag 34682 [Beam] HV' },
  detector: { value: 'TLD', source: 'FEI tag 34682 [Detectors] Name' },
  sourceFileCount: 412,
  rawBytes: 412 * 1536 * 2048,
  storedBytes: 803_000_000,
  importedAt: '2025-06-01T10:00:00.000Z',
};

function scriptedBackend() {
  const listeners = new Set<(e: JobEvent) => void>();
  const calls: { method: ApiMethod; input: unknown }[] = [];
  let project: ProjectSummary | null = null;
  let jobs = 0;
  let volumes: VolumeSummary[] = [];
  const backend: ApiBackend = {
    async call(method, input): Promise<Result<unknown>> {
      calls.push({ method, input });
      switch (method) {
        case 'appInfo':
          return { ok: true, value: { version: '0.1.0', platform: 'linux', bridge: 'http' } };
        case 'projectSummary':
          return project ? { ok: true, value: project } : { ok: false, error: { tag: 'no_project', message: 'No project is open.' } };
        case 'createProject': {
          const req = input as { path: string; name?: string };
          project = { path: req.path, name: req.name ?? 'p', schemaVersion: 2, createdAt: '2025-06-01T09:00:00.000Z', appVersion: '0.1.0', channels: [], interruptedRuns: 1 };
          return { ok: true, value: project };
        }
        case 'startImport':
        case 'startSegment':
          return { ok: true, value: { jobId: `job-${++jobs}` } };
        case 'cancelJob':
          return { ok: true, value: null };
        case 'listVolumes':
          return { ok: true, value: volumes };
        case 'listModels':
          return { ok: true, value: [] };
        case 'listRecentProjects':
          return { ok: true, value: [] };
        default:
          return { ok: false, error: { tag: 'internal', message: `not scripted: ${method}` } };
      }
    },
    onJobEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {},
  };
  return {
    backend,
    calls,
    emit: (e: JobEvent) => listeners.forEach((l) => l(e)),
    addChannel: (c: ChannelSummary) => project?.channels.push(c),
    setVolumes: (v: VolumeSummary[]) => (volumes = v),
  };
}

describe.skipIf(!rendererBuilt('browser UI test'))('renderer in Chromium with a scripted backend', () => {
  const fake = scriptedBackend();
  // Panels also read (volume lists, annotation summaries) when state changes, and
  // such a read may land after a start request: look for the request by name.
  const lastCall = (method: ApiMethod) => fake.calls.filter((c) => c.method === method).at(-1);
  let session: WizardSession;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    session = await startWizardSession({ name: 'browser-ui', backend: fake.backend });
    ({ page, pageErrors } = session);
    await createProjectInUi(page, '/data/sample-42.fibrecon', 'Sample 42');
    await page.locator('.project-name').waitFor();
  });

  afterAll(async () => {
    await session?.close();
  });

  const startImport = async (channel: string) => {
    await page.locator('input[name="channel-name"]').fill(channel);
    await page.locator('textarea[name="stack-paths"]').fill('/data/run-7/\n');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('.job-progress[data-status="running"]').waitFor();
  };

  it('shows the project facts and interrupted runs', async () => {
    await expect(page.locator('.project-name').textContent()).resolves.toBe('Sample 42');
    await expect(page.locator('.schema-version').textContent()).resolves.toBe('2');
    await expect(page.locator('.notice').textContent()).resolves.toMatch(/One job was interrupted/);
    await expect(page.locator('.empty', { hasText: 'No channel yet' }).count()).resolves.toBe(1);
  });

  it('shows progress with message and ETA, and cancels', async () => {
    await startImport('TLD');
    expect(lastCall('startImport')).toEqual({ method: 'startImport', input: { channels: [{ name: 'TLD', paths: ['/data/run-7/'] }], cropDataBar: true } });
    fake.emit({ jobId: 'job-1', kind: 'import', type: 'progress', fraction: 0.35, message: 'Reading slice 145 of 412', etaS: 42 });
    fake.emit({ jobId: 'job-1', kind: 'import', type: 'log', message: 'Slice spacing not in the files: using the override.' });
    await page.getByText('Reading slice 145 of 412').waitFor();
    await expect(page.locator('.job-eta').textContent()).resolves.toBe('35 % · about 42 s left');
    await expect(page.locator('.job-progress progress').evaluate((p) => (p as HTMLProgressElement).value)).resolves.toBeCloseTo(0.35);
    await expect(page.locator('.job-log li').textContent()).resolves.toMatch(/override/);
    await expect(page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).resolves.toBe(true);
    await saveScreenshot(page, 'browser-progress.png');

    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => lastCall('cancelJob')).toEqual({ method: 'cancelJob', input: { jobId: 'job-1' } });
    fake.emit({ jobId: 'job-1', kind: 'import', type: 'cancelled', message: 'Import cancelled; the project is unchanged.' });
    await page.locator('.job-progress[data-status="cancelled"]').waitFor();
    await expect(page.locator('.job-message').textContent()).resolves.toBe('Import cancelled; the project is unchanged.');
  });

  it('refreshes the channel table when an import is done', async () => {
    await startImport('TLD');
    fake.addChannel(CHANNEL);
    fake.emit({ jobId: 'job-2', kind: 'import', type: 'done', message: 'Imported 412 slices.' });
    const row = page.locator('tr[data-channel="TLD"]');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells).toEqual(['TLD', '412', '2048 × 1536', 'uint8', '3.72', '3.72', '10', '2 kV', 'TLD', '803.0 MB']);
    await expect(row.locator('.voxel-x').getAttribute('title')).resolves.toBe('x: 3.72 nm, from FEI tag 34682 [Scan] PixelWidth');
    await expect(row.locator('.voxel-z').getAttribute('title')).resolves.toBe('z: 10 nm, from user override');
    await expect(row.locator('td').nth(7).getAttribute('title')).resolves.toBe('from FEI tag 34682 [Beam] HV');
    await expect(page.locator('.job-progress').getAttribute('data-status')).resolves.toBe('done');
    await saveScreenshot(page, 'browser-channels.png');
    expect(pageErrors).toEqual([]);
  });

  it('segmentation step: says when no model is installed, and shows the error of a failed job with what to do', async () => {
    fake.setVolumes([
      { name: 'TLD', role: 'channel', kind: 'grey', shape: [412, 1536, 2048], dtype: 'uint8', voxelSizeNm: { x: 3.72, y: 3.72, z: 10 }, zRangeNm: [0, 4110], metadata: {} },
    ]);
    // The list refreshes after a job that ends with done.
    await startImport('TLD2');
    fake.emit({ jobId: 'job-3', kind: 'import', type: 'done', message: 'Imported.' });
    await page.locator('tr[data-volume="TLD"]').waitFor();
    await expect(page.locator('tr[data-volume="TLD"] .shape').textContent()).resolves.toBe('412 × 1536 × 2048');
    await expect(page.locator('tr[data-volume="TLD"] .voxel').textContent()).resolves.toBe('3.72 × 3.72 × 10 nm');

    await page.getByRole('button', { name: '4 Segmentation' }).click();
    const panel = page.locator('.segment-panel');
    await panel.locator('select[name="segment-method"]').selectOption('model');
    await expect(panel.getByText(/^No models installed/).count()).resolves.toBe(1);
    await expect(panel.getByRole('button', { name: 'Run segmentation' }).isDisabled()).resolves.toBe(true);
    // One wording for where a network runs, in every step (was auto / cuda / cpu under "Execution provider").
    await expect(panel.locator('select[name="segment-ep"] option').allTextContents()).resolves.toEqual(['auto', 'GPU (CUDA)', 'CPU']);
    await expect(panel.locator('label:has(select[name="segment-ep"])').textContent()).resolves.toMatch(/^Run on/);
    await expect(panel.locator('.hint', { hasText: 'auto uses CUDA' }).count()).resolves.toBe(1);

    await panel.locator('select[name="segment-method"]').selectOption('kmeans');
    await expect(panel.locator('input[name="segment-out"]').inputValue()).resolves.toBe('TLD-kmeans');
    await panel.getByRole('button', { name: 'Run segmentation' }).click();
    await page.locator('.job-progress[data-status="running"]').waitFor();
    expect(lastCall('startSegment')).toEqual({ method: 'startSegment', input: { volume: 'TLD', method: 'kmeans', out: 'TLD-kmeans' } });
    await expect(page.locator('.job-progress h2').textContent()).resolves.toBe('Segmenting TLD (kmeans) → TLD-kmeans');
    fake.emit({ jobId: 'job-4', kind: 'segment', type: 'failed', error: { tag: 'not_found', message: 'The project has no volume named "TLD": refresh the volume list and choose another.' } });
    await expect(page.locator('[role="alert"] .error-message').textContent()).resolves.toBe('The project has no volume named "TLD": refresh the volume list and choose another.');
    await expect(page.locator('.job-progress').getAttribute('data-status')).resolves.toBe('failed');
    expect(pageErrors).toEqual([]);
  });
});
