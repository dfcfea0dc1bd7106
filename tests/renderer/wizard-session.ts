// What every wizard test in Chromium starts with: a backend (the real one or a
// scripted one) behind the HTTP bridge, a temporary folder, Chromium on the
// bridge's page; and the steps they share (create a project, import a stack,
// wait for a job, generate a grey stack or a synthetic sample).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ApiBackendOptions } from '../../src-main/app/api-backend';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/http-bridge';
import { leveledWaveStructure } from '../../src-main/synth';
import { writeTiffStack } from '../../src-main/tiff-write';
import { cliOk } from '../cli/run-cli';
import { tempDir } from '../helpers/python';
import { launchChromium, openPage, rendererDir } from './chromium';

export interface WizardSession {
  backend: ApiBackend;
  bridge: RunningBridge;
  browser: Browser;
  page: Page;
  /** Page errors and console errors (CSP violations show up there). */
  pageErrors: string[];
  /** A temporary folder, removed by close(). */
  dir: string;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Prefix of the temporary folder. */
  name: string;
  /** A scripted backend; without it the real one (createApiBackend). */
  backend?: ApiBackend;
  /** Options for the real backend beyond appVersion and bridge, given the temporary folder (e.g. a recent-projects file in it). */
  backendOptions?: (dir: string) => Partial<ApiBackendOptions>;
  /** WebGL2 (SwiftShader) for pages that show the 3D view. */
  webgl?: boolean;
}

export async function startWizardSession(opts: SessionOptions): Promise<WizardSession> {
  const tmp = tempDir(`fibrecon-${opts.name}-`);
  let backend = opts.backend;
  if (!backend) {
    // Imported here: the suites that skip (no renderer built) never load the backend.
    const { createApiBackend } = await import('../../src-main/app/api-backend');
    backend = createApiBackend({ appVersion: `0.0.0-${opts.name}`, bridge: 'http', ...opts.backendOptions?.(tmp.dir) });
  }
  const bridge = await startBridge({ backend, rendererDir });
  const browser = await launchChromium({ webgl: opts.webgl });
  const pageErrors: string[] = [];
  const page = await openPage(browser, pageErrors);
  await page.goto(bridge.url);
  const owned = !opts.backend;
  return {
    backend,
    bridge,
    browser,
    page,
    pageErrors,
    dir: tmp.dir,
    async close() {
      await browser.close();
      await bridge.close();
      if (owned) await backend.dispose();
      tmp.cleanup();
    },
  };
}

/** Waits for the job whose title contains `what` to end; returns its status, failing with the error shown unless a failure is expected. */
export async function jobEnd(page: Page, what: string, opts: { timeout?: number; expectFailure?: boolean } = {}): Promise<string> {
  await page.waitForFunction(
    (o) => {
      const el = document.querySelector('.job-progress');
      return el !== null && (el.querySelector('h2')?.textContent ?? '').includes(o) && ['done', 'failed', 'cancelled'].includes(el.getAttribute('data-status') ?? '');
    },
    what,
    { timeout: opts.timeout ?? 120_000 },
  );
  const status = (await page.locator('.job-progress').getAttribute('data-status')) ?? '';
  if (status === 'failed' && !opts.expectFailure) {
    throw new Error(`job ${what} failed: ${(await page.locator('[role="alert"] .error-message').allTextContents()).join(' | ')}`);
  }
  return status;
}

/** Fills the start screen's new-project form and waits for the step bar. */
export async function createProjectInUi(page: Page, path: string, name?: string): Promise<void> {
  await page.locator('input[name="create-path"]').fill(path);
  if (name !== undefined) await page.locator('input[name="create-name"]').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.locator('.step-bar').waitFor();
}

/** Imports `paths` as channel `channel` through the import form (with voxel size overrides when given) and waits for its row. */
export async function importStackInUi(page: Page, channel: string, paths: string, override: { pixelSizeNm?: number; sliceSpacingNm?: number } = {}): Promise<void> {
  await page.locator('input[name="channel-name"]').fill(channel);
  await page.locator('textarea[name="stack-paths"]').fill(paths);
  if (override.pixelSizeNm !== undefined || override.sliceSpacingNm !== undefined) {
    if (!(await page.locator('input[name="pixel-size"]').isVisible())) await page.locator('.import-form summary').click();
    if (override.pixelSizeNm !== undefined) await page.locator('input[name="pixel-size"]').fill(String(override.pixelSizeNm));
    if (override.sliceSpacingNm !== undefined) await page.locator('input[name="slice-spacing"]').fill(String(override.sliceSpacingNm));
  }
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  expect(await jobEnd(page, `channel ${channel}`)).toBe('done');
  await page.locator(`tr[data-volume="${channel}"]`).waitFor();
}

/** A grey uint8 TIFF stack of a levelled-wave structure (solid 180, pore 60). */
export async function writeGreyStack(path: string, shape: [number, number, number], voxel: { pixelNm: number; sliceNm: number }, seed: number): Promise<void> {
  const s = leveledWaveStructure({ shape, voxelSizeNm: voxel.pixelNm, wavelengthNm: 40, waves: 30, seed, solidFraction: 0.4 });
  const grey = s.slices.map((p) => Uint8Array.from(p, (v) => 60 + 120 * v));
  await writeTiffStack(path, { shape, dtype: 'uint8', voxelSizeNm: { x: voxel.pixelNm, y: voxel.pixelNm, z: voxel.sliceNm } }, grey);
}

/** What `fibrecon synth --json` reports: a stack per kV (1, 2, 4 kV by default) and the ProjectData.dat. */
export interface SynthSample {
  files: { stacks: { beam: { energyKeV: number; detector: string }; path: string }[]; projectData: string };
}

/** A synthetic sample by the app's own generator (the CLI). */
export async function synthSample(dir: string, size: { columns: number; rows: number; slices: number }): Promise<SynthSample> {
  const args = ['synth', join(dir, 'sample'), '--columns', String(size.columns), '--rows', String(size.rows), '--slices', String(size.slices), '--json'];
  return JSON.parse(await cliOk(args)) as SynthSample;
}
