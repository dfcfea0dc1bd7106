// The layer list in Chromium against the real backend: "How made" shows the run
// that made a volume with its recorded settings; Rename refuses a taken name and
// renames, the orthoviews and the 3D view following the new name; Delete asks
// first, saying what goes with the volume and what is kept, does nothing on
// "Keep it", and on confirmation removes it, the views showing it clearing.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeProvenance, VolumeSummary } from '../../src-shared/contract';
import { writeVolumeAdminProject } from '../helpers/volume-admin-project';
import { rendererBuilt, saveScreenshot } from './chromium';
import { startWizardSession, type WizardSession } from './wizard-session';

describe.skipIf(!rendererBuilt('layer list test'))('layer list in Chromium', () => {
  let session: WizardSession;
  let page: Page;

  const backendVolumes = async (): Promise<string[]> => {
    const r = await session.backend.call('listVolumes', undefined);
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as VolumeSummary[]).map((v) => v.name);
  };
  const provenance = async (volume: string): Promise<VolumeProvenance> => {
    const r = await session.backend.call('volumeProvenance', { volume });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as VolumeProvenance;
  };
  const row = (name: string) => page.locator(`.volume-table tr[data-volume="${name}"]`);
  const rowNames = () => page.locator('.volume-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-volume')));

  beforeAll(async () => {
    session = await startWizardSession({ name: 'layer-list', webgl: true });
    page = session.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    const path = join(session.dir, 'layers.fibrecon');
    await writeVolumeAdminProject(path);
    await page.locator('input[name="open-path"]').fill(path);
    await page.getByRole('button', { name: 'Open project', exact: true }).click();
    await row('grey').waitFor();
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows how a volume was made: the run and its recorded settings', async () => {
    await page.getByRole('button', { name: 'How grey-otsu was made', exact: true }).click();
    const how = page.locator('.how-made[data-volume="grey-otsu"]');
    await how.waitFor();
    const recorded = await provenance('grey-otsu');
    expect(await how.locator('.how-run').getAttribute('data-run')).toBe(String(recorded.madeBy?.id));
    expect(await how.locator('.how-step').textContent()).toBe('segment');
    expect(await how.locator('.how-setting[data-key="method"] dd').textContent()).toBe('otsu');
    expect(await how.locator('.how-setting[data-key="volume"] dd').textContent()).toBe('grey');
    expect(await how.locator('.how-setting').count()).toBe(Object.keys(recorded.madeBy?.params as object).length);
    // Every volume has one, channels too (their import).
    await page.getByRole('button', { name: 'How grey was made', exact: true }).click();
    await page.locator('.how-made[data-volume="grey"] .how-step', { hasText: 'import' }).waitFor();
    await page.getByRole('button', { name: 'How grey was made', exact: true }).click();
    await page.locator('.how-made').waitFor({ state: 'detached' });
  });

  it('refuses a taken name, then renames; the viewer and the 3D view follow', async () => {
    await page.getByRole('button', { name: 'View grey-otsu', exact: true }).click();
    await page.locator('.ortho-views[data-volume="grey-otsu"] .ortho-xy canvas').waitFor();
    await page.getByRole('button', { name: 'Show grey-otsu in 3D' }).click();
    await page.locator('.viewer3d-slot[data-volume="grey-otsu"]').waitFor();

    await page.getByRole('button', { name: 'Rename grey-otsu', exact: true }).click();
    const input = row('grey-otsu').locator('input[name="rename-volume"]');
    await input.fill('other');
    await row('grey-otsu').getByRole('button', { name: 'Save' }).click();
    await expect(row('grey-otsu').locator('.layer-error').textContent()).resolves.toMatch(/already has a volume named "other": choose another name/);
    expect(await backendVolumes()).toContain('grey-otsu');

    await input.fill('labels-a');
    await row('grey-otsu').getByRole('button', { name: 'Save' }).click();
    await row('labels-a').waitFor();
    expect(await row('grey-otsu').count()).toBe(0);
    expect(await rowNames()).toEqual(['grey', 'other', 'labels-a', 'grey-reg', 'other-reg']);
    expect(await backendVolumes()).toEqual(['grey', 'other', 'labels-a', 'grey-reg', 'other-reg']);
    await page.locator('.ortho-views[data-volume="labels-a"] .ortho-xy canvas').waitFor();
    expect(await page.locator('select[name="ortho-volume"]').inputValue()).toBe('labels-a');
    await page.locator('.viewer3d-slot[data-volume="labels-a"]').waitFor();
    expect(await row('labels-a').getAttribute('class')).toBe('selected');

    await page.getByRole('button', { name: 'How labels-a was made', exact: true }).click();
    await expect(page.locator('.how-made[data-volume="labels-a"] .how-rename').textContent()).resolves.toMatch(/Renamed from “grey-otsu” to “labels-a”/);
    await saveScreenshot(page, 'layer-list-renamed.png');
  });

  it('asks before deleting, says what goes with the volume, and the views clear', async () => {
    await page.getByRole('button', { name: 'Delete labels-a', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete labels-a?' });
    await dialog.waitFor();
    const removed = await dialog.locator('.delete-removed li').allTextContents();
    expect(removed[0]).toMatch(/^5 slices \(/);
    expect(removed).toContain('1 stored quality result of it or against it');
    expect(removed).toContain('1 trained classifier kept with it');
    await saveScreenshot(page, 'layer-list-confirm-delete.png');

    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await backendVolumes()).toContain('labels-a');

    await page.getByRole('button', { name: 'Delete labels-a', exact: true }).click();
    await dialog.getByRole('button', { name: 'Delete labels-a' }).click();
    await row('labels-a').waitFor({ state: 'detached' });
    expect(await backendVolumes()).toEqual(['grey', 'other', 'grey-reg', 'other-reg']);
    await page.locator('.ortho-views.ortho-empty').waitFor();
    await page.locator('.viewer3d-slot[data-volume=""]').waitFor();
    expect(await page.locator('.how-made').count()).toBe(0);
  });

  it('names the annotations and the volumes made from a volume before deleting it', async () => {
    await page.getByRole('button', { name: 'View grey-reg', exact: true }).click();
    await page.getByRole('button', { name: 'Delete grey', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete grey?' });
    await dialog.waitFor();
    const removed = await dialog.locator('.delete-removed li').allTextContents();
    expect(removed).toContain('the annotations bound to it: 2 annotated slices, version 2 (export them first to keep them)');
    expect(removed).toContain('1 thickness table');
    const kept = await dialog.locator('.delete-kept li').allTextContents();
    expect(kept[0]).toBe('volumes made from it: grey-reg, other-reg');
    expect(kept[1]).toMatch(/^the record of 2 runs that used it \(segment #\d+, register #\d+\)$/);
    await dialog.getByRole('button', { name: 'Delete grey' }).click();
    await row('grey').waitFor({ state: 'detached' });
    expect(await backendVolumes()).toEqual(['other', 'grey-reg', 'other-reg']);
    // The volume in view was another one: it stays.
    await page.locator('.ortho-views[data-volume="grey-reg"]').waitFor();
  });

  it('renames a channel: Escape leaves it, Enter renames it and the channel table follows', async () => {
    await page.locator('tr[data-channel="other"]').waitFor();
    await page.getByRole('button', { name: 'Rename other', exact: true }).click();
    const input = row('other').locator('input[name="rename-volume"]');
    await input.fill('thrown away');
    await input.press('Escape');
    await input.waitFor({ state: 'detached' });
    expect(await backendVolumes()).toContain('other');

    await page.getByRole('button', { name: 'Rename other', exact: true }).click();
    await input.fill('other 1kV');
    await input.press('Enter');
    await row('other 1kV').waitFor();
    await page.locator('tr[data-channel="other 1kV"]').waitFor();
    expect(await page.locator('tr[data-channel="other"]').count()).toBe(0);
    expect(await backendVolumes()).toEqual(['other 1kV', 'grey-reg', 'other-reg']);
    expect(session.pageErrors).toEqual([]);
  });
});
