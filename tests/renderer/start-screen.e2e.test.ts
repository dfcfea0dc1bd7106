// The start screen and the import form's drop target in Chromium with the REAL
// backend (its recent-projects file in a temporary config folder): recent
// projects newest first, a deleted one marked and not openable, a click opens
// one; then TIFFs and a folder dropped on the import form as a browser gets
// them (a DataTransfer with text/uri-list file:// URIs) fill the paths, a
// non-TIFF is named as skipped, and the dropped stack imports; Browse… (no
// native dialog in a browser) says to type or drop and focuses the path field.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererBuilt, saveScreenshot, screenshotDir } from './chromium';
import { createProjectInUi, jobEnd, startWizardSession, writeGreyStack, type WizardSession } from './wizard-session';

/** Dispatches dragover and drop on `selector` with a DataTransfer carrying `uriList` as text/uri-list. */
async function dropUriList(page: Page, selector: string, uriList: string): Promise<void> {
  await page.locator(selector).evaluate((el, uris) => {
    const dt = new DataTransfer();
    dt.setData('text/uri-list', uris);
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, uriList);
}

describe.skipIf(!rendererBuilt('start screen e2e'))('start screen and drag and drop in Chromium with the real backend', () => {
  let session: WizardSession;
  let page: Page;
  let dir: string;
  const closeProject = async () => {
    await page.getByRole('button', { name: 'Close project' }).click();
    await page.locator('.start-panel').waitFor();
  };

  beforeAll(async () => {
    session = await startWizardSession({ name: 'start', backendOptions: (d) => ({ recentFile: join(d, 'config', 'recent-projects.json') }) });
    ({ page, dir } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('lists recent projects newest first, marks a missing one, and opens one on click', async () => {
    await expect(page.locator('.recent-card .empty').textContent()).resolves.toMatch(/^No recent projects yet/);
    for (const [file, name] of [
      ['first.fibrecon', 'First sample'],
      ['gone.fibrecon', 'Deleted later'],
      ['second.fibrecon', 'Second sample'],
    ]) {
      await createProjectInUi(page, join(dir, file), name);
      await closeProject();
      // Deleted while it is listed: the list read on the next close shows it missing.
      if (file === 'gone.fibrecon') rmSync(join(dir, file));
    }
    const items = page.locator('.recent-projects li');
    await expect.poll(() => items.count()).toBe(3);
    await expect(items.locator('.recent-open').allTextContents()).resolves.toEqual(['Second sample', 'Deleted later', 'First sample']);
    await expect(items.locator('.recent-path').allTextContents()).resolves.toEqual(['second', 'gone', 'first'].map((f) => join(dir, `${f}.fibrecon`)));
    const gone = page.locator(`.recent-projects li[data-path="${join(dir, 'gone.fibrecon')}"]`);
    await expect(gone.getAttribute('class')).resolves.toBe('missing');
    await expect(gone.locator('.recent-missing').textContent()).resolves.toBe('file not found');
    await expect(gone.locator('.recent-open').isDisabled()).resolves.toBe(true);
    await saveScreenshot(page, 'start-recent.png');
    await page.locator('.start-panel').screenshot({ path: join(screenshotDir, 'start-recent-part.png') });

    await page.getByRole('button', { name: 'First sample' }).click();
    await page.locator('.step-bar').waitFor();
    await expect(page.locator('.project-name').textContent()).resolves.toBe('First sample');
  });

  it('drop on the import form: file URIs become paths, a non-TIFF is named, the dropped stack imports', async () => {
    const stack = join(dir, 'drop here', 'stack 1.tif');
    mkdirSync(join(dir, 'drop here', 'slices'), { recursive: true });
    await writeGreyStack(stack, [6, 24, 32], { pixelNm: 5, sliceNm: 10 }, 3);
    const uris = ['# dragged from the file manager', pathToFileURL(stack).href, pathToFileURL(join(dir, 'drop here', 'notes.png')).href].join('\r\n');
    await dropUriList(page, '.import-form', uris);
    await expect(page.locator('textarea[name="stack-paths"]').inputValue()).resolves.toBe(stack);
    await expect(page.locator('.import-form .drop-note').textContent()).resolves.toBe(
      'Skipped notes.png: only TIFF files (.tif, .tiff) and folders of slices can be imported.',
    );
    // A second drop adds to the list (here a folder).
    await dropUriList(page, '.import-form', `${pathToFileURL(join(dir, 'drop here', 'slices')).href}/`);
    await expect(page.locator('textarea[name="stack-paths"]').inputValue()).resolves.toBe(`${stack}\n${join(dir, 'drop here', 'slices')}`);
    await expect(page.locator('.import-form .drop-note').count()).resolves.toBe(0);
    await saveScreenshot(page, 'import-dropped.png');

    await page.locator('textarea[name="stack-paths"]').fill('');
    await dropUriList(page, '.import-form', pathToFileURL(stack).href);
    await page.locator('input[name="channel-name"]').fill('dropped');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    expect(await jobEnd(page, 'channel dropped')).toBe('done');
    await expect(page.locator('tr[data-volume="dropped"] .shape').textContent()).resolves.toBe('6 × 24 × 32');
    expect(session.pageErrors).toEqual([]);
  });

  it('Browse… in a browser: no native dialog, so the form says to type (or drop) the path and focuses the field', async () => {
    const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? null);
    await page.getByRole('button', { name: 'Browse files…' }).click();
    await expect(page.locator('.import-form .browse-note').textContent()).resolves.toBe(
      'There is no file dialog in the browser: type the full paths of the TIFF files or the folder of slices, or drop them from the file manager on this form.',
    );
    await expect(focusedName()).resolves.toBe('stack-paths');
    // The fallback keeps the form usable: typing a path still works.
    await page.locator('textarea[name="stack-paths"]').fill('/typed/stack.tif');
    await page.getByRole('button', { name: 'Browse folder…' }).click();
    await expect(page.locator('textarea[name="stack-paths"]').inputValue()).resolves.toBe('/typed/stack.tif');

    await closeProject();
    await page.getByRole('button', { name: 'Browse… for the new project file' }).click();
    const createNote = page.locator('form[aria-label="New project"] .path-note');
    await expect(createNote.textContent()).resolves.toBe('There is no file dialog in the browser: type the full path of the new .fibrecon file in the field.');
    await expect(focusedName()).resolves.toBe('create-path');
    await page.getByRole('button', { name: 'Browse… for a project file to open' }).click();
    await expect(page.locator('form[aria-label="Open project"] .path-note').textContent()).resolves.toBe(
      "There is no file dialog in the browser: type the project file's full path in the field.",
    );
    await expect(focusedName()).resolves.toBe('open-path');
    await saveScreenshot(page, 'start-browse-fallback.png');
    // The typed path opens the project as before.
    await page.locator('input[name="open-path"]').fill(join(dir, 'first.fibrecon'));
    await page.getByRole('button', { name: 'Open project' }).click();
    await page.locator('.step-bar').waitFor();
    await expect(page.locator('.project-name').textContent()).resolves.toBe('First sample');
    expect(session.pageErrors).toEqual([]);
  });
});
