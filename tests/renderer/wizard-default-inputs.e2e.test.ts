// Which volume each step offers first, in Chromium with the real backend: a
// project with a channel and its labels (made by the CLI) opened in the wizard;
// Registration offers only the grey stack (labels are not images to align);
// after registration the registered stack is the Reconstruction step's input and
// the Export step's volume; after a reconstruction, Export offers it.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk } from '../cli/run-cli';
import { rendererBuilt } from './chromium';
import { jobEnd, startWizardSession, synthSample, type WizardSession } from './wizard-session';

describe.skipIf(!rendererBuilt('default inputs e2e'))('wizard steps start from the newest suitable volume', () => {
  let session: WizardSession;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    session = await startWizardSession({ name: 'default-inputs' });
    ({ page, pageErrors } = session);
    const sample = await synthSample(session.dir, { columns: 64, rows: 48, slices: 6 });
    const path = join(session.dir, 'inputs.fibrecon');
    await cliOk(['create', path]);
    await cliOk(['import', path, `--channel=2kV=${sample.files.stacks[1].path}`]);
    await cliOk(['segment', path, '--volume', '2kV', '--method', 'otsu', '--out', '2kV-otsu']);
    await page.locator('input[name="open-path"]').fill(path);
    await page.getByRole('button', { name: 'Open project', exact: true }).click();
    await page.locator('.step-bar').waitFor();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('Registration offers the grey stack only, not its labels', async () => {
    await page.getByRole('button', { name: '3 Registration' }).click();
    const panel = page.locator('.register-panel');
    await expect(panel.locator('input[name="register-2kV"]').isChecked()).resolves.toBe(true);
    await expect(panel.locator('.register-volumes input[type="checkbox"]').count()).resolves.toBe(1);
    await expect(panel.locator('input[name="register-2kV-otsu"]').count()).resolves.toBe(0);
    await panel.getByRole('button', { name: 'Run registration' }).click();
    expect(await jobEnd(page, 'Registering 2kV')).toBe('done');
  });

  it('the registered stack is then the input of Reconstruction and the volume of Export', async () => {
    await page.getByRole('button', { name: '5 Reconstruction' }).click();
    const rec = page.locator('.reconstruct-panel');
    await expect.poll(() => rec.locator('select[name="reconstruct-volume"]').inputValue()).toBe('2kV-reg');
    await page.getByRole('button', { name: '7 Export' }).click();
    await expect.poll(() => page.locator('.export-panel select[name="export-volume"]').inputValue()).toBe('2kV-reg');
  });

  it('after a reconstruction, Export offers it', async () => {
    await page.getByRole('button', { name: '5 Reconstruction' }).click();
    const rec = page.locator('.reconstruct-panel');
    await rec.locator('select[name="reconstruct-method"]').selectOption('linear');
    await rec.getByRole('button', { name: 'Run reconstruction' }).click();
    expect(await jobEnd(page, 'Reconstructing 2kV-reg')).toBe('done');
    await page.getByRole('button', { name: '7 Export' }).click();
    await expect.poll(() => page.locator('.export-panel select[name="export-volume"]').inputValue()).toBe('2kV-reg-linear');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
