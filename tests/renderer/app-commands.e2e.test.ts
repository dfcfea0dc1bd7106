// The native menu's commands as the desktop window gets them, in Chromium with
// the real backend: a stand-in for the Electron preload (window.fibrecon,
// defined before the page loads) forwards every method to the HTTP bridge,
// answers the file dialogs as the test says, and hands the page's
// onAppCommand listener to the test, which then sends commands as main.ts
// does. So main.tsx's subscription, runAppCommand, the request bus and the
// panels (start screen, import form, orthoviews, 3D view) run as in the app;
// only Electron itself is missing.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/http-bridge';
import type { AppCommand } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { tempDir } from '../helpers/python';
import { launchChromium, openPage, rendererBuilt, rendererDir, saveScreenshot } from './chromium';
import { jobEnd, writeGreyStack } from './wizard-session';

type DialogAnswers = Partial<Record<'chooseProjectFile' | 'chooseNewProjectPath' | 'chooseImportPaths', Result<unknown>>>;

/** Runs in the page before the app: the preload's named functions over the bridge, dialogs from window.__dialogAnswers. */
function fakePreload(token: string): void {
  const w = window as unknown as Record<string, unknown>;
  w.__dialogAnswers = {};
  const post = (method: string, req: unknown) =>
    fetch(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-fibrecon-token': token }, body: req === undefined ? '' : JSON.stringify(req) }).then((r) => r.json());
  const dialogs = new Set(['chooseProjectFile', 'chooseNewProjectPath', 'chooseImportPaths']);
  w.fibrecon = new Proxy(
    {},
    {
      get(_target, name: string) {
        if (name === 'then') return undefined;
        if (name === 'onJobEvent')
          return (listener: (e: unknown) => void) => {
            const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
            source.onmessage = (m) => listener(JSON.parse(String(m.data)));
            return () => source.close();
          };
        if (name === 'onAppCommand')
          return (listener: (c: unknown) => void) => {
            w.__appCommand = listener;
            return () => {};
          };
        if (dialogs.has(name)) return () => Promise.resolve((w.__dialogAnswers as Record<string, unknown>)[name] ?? { ok: true, value: null });
        return (req?: unknown) => post(name, req);
      },
    },
  );
}

describe.skipIf(!rendererBuilt('app commands e2e'))('menu commands in the window (Chromium, real backend, stand-in preload)', () => {
  const tmp = tempDir('fibrecon-app-commands-');
  let backend: ApiBackend;
  let bridge: RunningBridge;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const send = (c: AppCommand) => page.evaluate((command) => (window as unknown as { __appCommand: (c: unknown) => void }).__appCommand(command), c);
  const answer = (a: DialogAnswers) => page.evaluate((answers) => Object.assign((window as unknown as { __dialogAnswers: object }).__dialogAnswers, answers), a);
  const sliceXy = () => page.locator('input[name="slice-xy"]').inputValue();

  beforeAll(async () => {
    const { createApiBackend } = await import('../../src-main/app/api-backend');
    backend = createApiBackend({ appVersion: '0.0.0-menu', bridge: 'http', recentFile: join(tmp.dir, 'config', 'recent-projects.json') });
    bridge = await startBridge({ backend, rendererDir });
    browser = await launchChromium({ webgl: true });
    page = await openPage(browser, pageErrors);
    await page.addInitScript(fakePreload, bridge.token);
    await page.goto(`http://127.0.0.1:${bridge.port}/`);
    await page.locator('.start-panel').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await backend?.dispose();
    tmp.cleanup();
  });

  it('File > New project…: the path from the save dialog becomes the new project', async () => {
    const path = join(tmp.dir, 'menu.fibrecon');
    await answer({ chooseNewProjectPath: { ok: true, value: path } });
    await send({ command: 'new-project' });
    await page.locator('.step-bar').waitFor();
    await expect(page.locator('.project-name').textContent()).resolves.toBe('menu');
  });

  it('File > Import stack… from another step: back to Import, the chosen files in the form, and they import', async () => {
    const stack = join(tmp.dir, 'stack.tif');
    await writeGreyStack(stack, [9, 24, 32], { pixelNm: 5, sliceNm: 10 }, 7);
    await page.locator('.step-bar button', { hasText: 'Thickness' }).click();
    await expect(page.locator('.import-form').count()).resolves.toBe(0);
    await answer({ chooseImportPaths: { ok: true, value: [stack] } });
    await send({ command: 'import-stack' });
    // The form mounts after the step switch and still gets the request.
    await expect.poll(() => page.locator('textarea[name="stack-paths"]').inputValue()).toBe(stack);
    await page.locator('input[name="channel-name"]').fill('menu');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    expect(await jobEnd(page, 'channel menu')).toBe('done');
    await page.locator('tr[data-volume="menu"]').waitFor();
  });

  it('View > Next / Previous slice step the orthoviews; View > 3D view shows the volume', async () => {
    await page.getByRole('button', { name: 'View menu' }).click();
    await page.locator('.ortho-views[data-volume="menu"]').waitFor();
    const start = Number(await sliceXy());
    await send({ command: 'next-slice' });
    await send({ command: 'next-slice' });
    await expect.poll(sliceXy).toBe(String(start + 2));
    await send({ command: 'previous-slice' });
    await expect.poll(sliceXy).toBe(String(start + 1));
    // Past the last slice it stays there.
    for (let i = 0; i < 12; i++) await send({ command: 'next-slice' });
    await expect.poll(sliceXy).toBe('8');

    await send({ command: 'view-3d' });
    await expect.poll(() => page.locator('section[aria-label="3D view"]').getAttribute('data-volume'), { timeout: 60_000 }).toBe('menu');
    await saveScreenshot(page, 'menu-commands.png');
  });

  it('File > Close project, then Open recent (open-path) opens it again; Open project… without a dialog focuses the path field', async () => {
    await send({ command: 'close-project' });
    await page.locator('.start-panel').waitFor();
    const message = "There is no file dialog in the browser: type the project file's full path in the field.";
    await answer({ chooseProjectFile: { ok: false, error: { tag: 'dialog_unavailable', message } } });
    await send({ command: 'open-project' });
    await expect.poll(() => page.locator('form[aria-label="Open project"] .path-note').textContent()).toBe(message);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('name'))).resolves.toBe('open-path');
    // Commands that need a project do nothing on the start screen.
    await send({ command: 'next-slice' });
    await send({ command: 'import-stack' });
    await expect(page.locator('.start-panel').count()).resolves.toBe(1);

    await send({ command: 'open-path', path: join(tmp.dir, 'menu.fibrecon') });
    await page.locator('.step-bar').waitFor();
    await page.locator('tr[data-volume="menu"]').waitFor();
    await expect(page.locator('.project-name').textContent()).resolves.toBe('menu');
    expect(pageErrors).toEqual([]);
  });
});
