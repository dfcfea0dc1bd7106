// The Export step with slices at uneven z (a measured thickness applied), in
// Chromium with the real backend: a format that stores one z spacing is known
// to fail before anything runs, so Run export is off and the reason is shown
// once, its numbers rounded; the stacked-slices format (each slice at its z)
// can be run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk } from '../cli/run-cli';
import { rendererBuilt } from './chromium';
import { startWizardSession, writeGreyStack, type WizardSession } from './wizard-session';

describe.skipIf(!rendererBuilt('export uneven e2e'))('wizard Export: a known-bad export is disabled with its reason', () => {
  let session: WizardSession;
  let page: Page;
  let pageErrors: string[];
  const gaps = [10, 10.227435483870968, 9.8];
  const meanNm = gaps.reduce((a, b) => a + b, 0) / gaps.length;

  beforeAll(async () => {
    session = await startWizardSession({ name: 'export-uneven' });
    ({ page, pageErrors } = session);
    const path = join(session.dir, 'uneven.fibrecon');
    await writeGreyStack(join(session.dir, 'grey.tif'), [4, 24, 32], { pixelNm: 5, sliceNm: 10 }, 4);
    const table = join(session.dir, 'thickness.csv');
    writeFileSync(table, ['slice,thickness_nm', ...gaps.map((g, i) => `${i},${g}`)].join('\n'));
    await cliOk(['create', path]);
    await cliOk(['import', path, join(session.dir, 'grey.tif'), '--name', 'grey']);
    await cliOk(['thickness', path, '--volume', 'grey', '--table', table, '--apply']);
    await page.locator('input[name="open-path"]').fill(path);
    await page.getByRole('button', { name: 'Open project', exact: true }).click();
    await page.locator('.step-bar').waitFor();
    await page.getByRole('button', { name: '7 Export' }).click();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('AmiraMesh of uneven slices: Run export off, the reason once with rounded numbers', async () => {
    const panel = page.locator('.export-panel');
    await panel.locator('select[name="export-format"]').selectOption('amira-mesh');
    const blocked = panel.locator('.export-blocked');
    // Slices 0 and 1 are 10 nm apart; the z voxel size is the mean thickness, 10.009... nm.
    expect(meanNm.toFixed(2)).toBe('10.01');
    await expect(blocked.textContent()).resolves.toBe(
      'AmiraMesh stores one slice spacing, but slices 0 and 1 are 10 nm apart while the z voxel size is 10.01 nm: reconstruct first (step 5), or choose Avizo stacked slices (.asi), which keeps every slice at its z.',
    );
    await expect(panel.getByRole('button', { name: 'Run export' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByText('stores one slice spacing').count()).resolves.toBe(1);
    await expect(panel.textContent()).resolves.not.toMatch(/\d\.\d{4,}/);
  });

  it('the stacked-slices format keeps each slice at its z: it can run', async () => {
    const panel = page.locator('.export-panel');
    await panel.locator('select[name="export-format"]').selectOption('avizo-stacked-slices');
    await expect(panel.locator('.export-blocked').count()).resolves.toBe(0);
    await expect(panel.getByRole('button', { name: 'Run export' }).isDisabled()).resolves.toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
