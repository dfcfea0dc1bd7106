// End to end in a real browser: the built renderer (out/renderer), served by
// the HTTP bridge around the real backend, driven through Debian's Chromium.
// Creates a project via the UI, imports a 16-bit multipage TIFF written by
// tifffile, and checks what the channel table shows.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/http-bridge';
import { runPython, tempDir } from '../helpers/python';
import { launchChromium, openPage, rendererBuilt, rendererDir, saveScreenshot } from './chromium';

// 7 slices of 48 rows x 64 columns, 16 bit, 4 nm pixels and 10 nm spacing in the ImageJ description.
const NZ = 7;
const NY = 48;
const NX = 64;
const WRITE_STACK = `
import sys, numpy as np, tifffile
nz, ny, nx = (int(v) for v in sys.argv[2:5])
rng = np.random.default_rng(42)
data = rng.integers(0, 65535, size=(nz, ny, nx), dtype=np.uint16)
tifffile.imwrite(sys.argv[1], data, imagej=True, resolution=(1 / 4.0, 1 / 4.0), metadata={'spacing': 10.0, 'unit': 'nm', 'axes': 'ZYX'})
`;

describe.skipIf(!rendererBuilt('browser e2e'))('renderer in Chromium over the HTTP bridge', () => {
  const tmp = tempDir('fibrecon-e2e-');
  let backend: ApiBackend;
  let bridge: RunningBridge;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // Imported here so that a missing backend fails this suite, not the collection of the others.
    const { createApiBackend } = await import('../../src-main/app/api-backend');
    backend = createApiBackend({ appVersion: '0.0.0-e2e', bridge: 'http' });
    bridge = await startBridge({ backend, rendererDir });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await backend?.dispose();
    tmp.cleanup();
  });

  const newPage = () => openPage(browser, pageErrors);

  it('says what to do when opened without the token', async () => {
    const page = await newPage();
    await page.goto(`http://127.0.0.1:${bridge.port}/`);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/needs the bridge's access token/);
    await page.close();
  });

  it('creates a project, imports a 16-bit stack and lists the channel', async () => {
    const stackPath = join(tmp.dir, 'stack.tif');
    runPython(WRITE_STACK, [stackPath, String(NZ), String(NY), String(NX)]);
    const projectPath = join(tmp.dir, 'sample.fibrecon');
    pageErrors.length = 0;

    const page = await newPage();
    await page.goto(bridge.url);
    // The token leaves the address bar at once.
    await page.waitForFunction(() => !location.search.includes('token'));
    expect(page.url()).toBe(`http://127.0.0.1:${bridge.port}/`);

    await page.locator('input[name="create-path"]').fill(projectPath);
    await page.locator('input[name="create-name"]').fill('E2E sample');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect(page.locator('.project-name').textContent()).resolves.toBe('E2E sample');
    await expect(page.locator('.path').textContent()).resolves.toBe(projectPath);
    await expect(page.locator('.schema-version').textContent()).resolves.toMatch(/^\d+$/);
    expect(existsSync(projectPath)).toBe(true);

    await page.locator('input[name="channel-name"]').fill('SE2');
    await page.locator('textarea[name="stack-paths"]').fill(stackPath);
    await page.getByRole('button', { name: 'Import', exact: true }).click();

    const row = page.locator('tr[data-channel="SE2"]');
    // Either the channel appears or an error does: fail at once with its message.
    await page.locator('tr[data-channel="SE2"], [role="alert"]').first().waitFor({ timeout: 60_000 });
    const alerts = await page.locator('[role="alert"] .error-message').allTextContents();
    if (alerts.length > 0) {
      await saveScreenshot(page, 'browser-import-failed.png');
      throw new Error(`The import showed an error instead of the channel: ${alerts.join(' | ')}`);
    }
    await expect(page.locator('.job-progress').getAttribute('data-status')).resolves.toBe('done');
    await expect(row.locator('.channel-name').textContent()).resolves.toBe('SE2');
    await expect(row.locator('.slices').textContent()).resolves.toBe(String(NZ));
    await expect(row.locator('.size').textContent()).resolves.toBe(`${NX} × ${NY}`);
    await expect(row.locator('td').nth(3).textContent()).resolves.toBe('uint16');
    // The calibration tifffile wrote (4 nm pixels, 10 nm spacing), each with where it came from.
    await expect(row.locator('.voxel-x').textContent()).resolves.toBe('4');
    await expect(row.locator('.voxel-y').textContent()).resolves.toBe('4');
    await expect(row.locator('.voxel-z').textContent()).resolves.toBe('10');
    await expect(row.locator('.voxel-x').getAttribute('title')).resolves.toMatch(/^x: 4 nm, from .*ImageJ/);
    await expect(row.locator('.voxel-z').getAttribute('title')).resolves.toMatch(/^z: 10 nm, from .*ImageJ/);
    await expect(row.locator('.stored').textContent()).resolves.toMatch(/^\d+\.\d+ MB$/);
    await expect(page.locator('[role="alert"]').count()).resolves.toBe(0);

    await saveScreenshot(page, 'browser-import.png');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows a backend error with its message', async () => {
    const page = await newPage();
    await page.goto(bridge.url);
    // The backend still has the project open from the previous test: a reload shows it.
    await page.locator('.project-name').waitFor();
    await page.locator('input[name="channel-name"]').fill('Missing');
    await page.locator('textarea[name="stack-paths"]').fill(join(tmp.dir, 'does-not-exist.tif'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const message = page.locator('[role="alert"] .error-message');
    await message.waitFor({ timeout: 60_000 });
    await expect(message.textContent()).resolves.toMatch(/does-not-exist\.tif/);
    await saveScreenshot(page, 'browser-error.png');
    await page.close();
  });
});
