// The Reconstruction step's method list in Chromium with the real backend: the
// methods in plain words with the technical text as a tooltip, the literature
// baselines only under "Compare with the literature", and "Run on" with
// auto / GPU (CUDA) / CPU as in the Segmentation step.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECONSTRUCT_METHOD_TEXT } from '../../src-renderer/components/step-text';
import { rendererBuilt } from './chromium';
import { createProjectInUi, importStackInUi, startWizardSession, writeGreyStack, type WizardSession } from './wizard-session';

describe.skipIf(!rendererBuilt('reconstruct methods e2e'))('wizard Reconstruction: methods in plain words, baselines in a fold', () => {
  let session: WizardSession;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    session = await startWizardSession({ name: 'reconstruct-methods' });
    ({ page, pageErrors } = session);
    await writeGreyStack(join(session.dir, 'grey.tif'), [4, 24, 32], { pixelNm: 5, sliceNm: 15 }, 2);
    await createProjectInUi(page, join(session.dir, 'methods.fibrecon'));
    await importStackInUi(page, 'grey', join(session.dir, 'grey.tif'));
    await page.getByRole('button', { name: '5 Reconstruction' }).click();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('lists the real methods in plain words, the technical text as tooltips, no baselines', async () => {
    const select = page.locator('.reconstruct-panel select[name="reconstruct-method"]');
    const options = select.locator('option');
    await expect(options.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).resolves.toEqual(['nearest', 'linear', 'cubic', 'ml']);
    const labels = await options.allTextContents();
    expect(labels).toEqual(['Nearest slice', 'Linear blend', 'Smooth curve (recommended)', 'Machine learning (label volumes)']);
    for (const l of labels) expect(l).not.toMatch(/RCS|DNN|Sardhara|seeds|not-a-knot/);
    await expect(options.evaluateAll((os) => os.map((o) => o.getAttribute('title')))).resolves.toEqual(
      (['nearest', 'linear', 'cubic', 'ml'] as const).map((m) => RECONSTRUCT_METHOD_TEXT[m]),
    );
    await expect(select.inputValue()).resolves.toBe('cubic');
    const text = page.locator('.reconstruct-panel .method-text');
    await expect(text.textContent()).resolves.not.toMatch(/RCS|Sardhara|not-a-knot/);
    await expect(text.getAttribute('title')).resolves.toBe(RECONSTRUCT_METHOD_TEXT.cubic);
  });

  it('"Compare with the literature" adds the baselines; closing it goes back to the smooth curve', async () => {
    const panel = page.locator('.reconstruct-panel');
    const select = panel.locator('select[name="reconstruct-method"]');
    await panel.locator('.literature-fold summary').click();
    await expect(select.locator('optgroup option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).resolves.toEqual(['dnn', 'srcs']);
    await select.selectOption('dnn');
    await expect(panel.locator('.will-run code').textContent()).resolves.toMatch(/^reconstruct --volume grey --method dnn --target-nm 15 /);
    await panel.locator('.literature-fold summary').click();
    await expect.poll(() => select.inputValue()).toBe('cubic');
    await expect(select.locator('option[value="dnn"]').count()).resolves.toBe(0);
  });

  it('"Run on": auto / GPU (CUDA) / CPU', async () => {
    const panel = page.locator('.reconstruct-panel');
    await panel.locator('select[name="reconstruct-method"]').selectOption('ml');
    const ep = panel.locator('select[name="reconstruct-ep"]');
    await expect(panel.locator('label:has(select[name="reconstruct-ep"])').textContent()).resolves.toMatch(/^Run on/);
    await expect(ep.locator('option').allTextContents()).resolves.toEqual(['auto', 'GPU (CUDA)', 'CPU']);
    await expect(ep.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).resolves.toEqual(['auto', 'cuda', 'cpu']);
    expect(pageErrors).toEqual([]);
  });
});
