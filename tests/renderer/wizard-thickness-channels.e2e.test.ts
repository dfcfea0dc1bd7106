// The Thickness step with several channels of one milling, in Chromium with the
// real backend: the 1/2/4 kV stacks of the synthetic sample and a plain TIFF
// without a slice spacing (its z assumed) imported as channels; the step says
// that the plain stack's z is assumed and where to enter it (the import form's
// field, not a CLI flag); one table applied with "apply to all channels of
// this milling" (checked by default) gives every channel the series and the
// measured z in one job, with one target line (the nominal z of the channels
// whose spacing is known, not the assumed one); the summary counts a slice that was not measured as
// not measured.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThicknessSeries, VolumeSummary } from '../../src-shared/contract';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';
import { rendererBuilt, saveScreenshot } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, synthSample, type SynthSample, type WizardSession } from './wizard-session';

describe.skipIf(!rendererBuilt('thickness channels e2e'))('wizard Thickness step: one series for all channels of a milling', () => {
  let session: WizardSession;
  let page: Page;
  let pageErrors: string[];
  let sample: SynthSample;
  const SLICES = 8;

  const call = async <T,>(method: 'getThickness' | 'listVolumes', req: unknown): Promise<T> => {
    const r = await session.backend.call(method, req);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as T;
  };

  beforeAll(async () => {
    session = await startWizardSession({ name: 'thickness-channels' });
    ({ page, pageErrors } = session);
    sample = await synthSample(session.dir, { columns: 64, rows: 48, slices: SLICES });
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('imports 1, 2 and 4 kV and a stack without a slice spacing as channels', async () => {
    await createProjectInUi(page, join(session.dir, 'channels.fibrecon'));
    for (const [i, kv] of ['1kV', '2kV', '4kV'].entries()) await importStackInUi(page, kv, sample.files.stacks[i].path);
    const [, ny, nx] = (await call<VolumeSummary[]>('listVolumes', undefined)).find((v) => v.name === '2kV')!.shape;
    const plain = writeStackWithTifffile(join(session.dir, 'plain.tif'), makeSlices(SLICES, ny, nx, 'uint8', 3), ny, nx, { layout: 'multipage' });
    await importStackInUi(page, 'SE2', plain[0], { pixelSizeNm: 5 });
    // In the channel list the assumed z is marked; the z from the metadata is not.
    await expect(page.locator('tr[data-channel="SE2"] .voxel-z').textContent()).resolves.toBe('5 (assumed)');
    await expect(page.locator('tr[data-channel="2kV"] .voxel-z').textContent()).resolves.toMatch(/^[\d.]+$/);
  }, 180_000);

  it('says which z is assumed and points to the form, not to a CLI flag', async () => {
    await page.getByRole('button', { name: '2 Thickness' }).click();
    const panel = page.locator('.thickness-panel');
    await panel.locator('select[name="thickness-volume"]').selectOption('SE2');
    const notice = panel.locator('.assumed-z');
    await expect(notice.textContent()).resolves.toMatch(/^The slice spacing of “SE2” \(5 nm\) is assumed, not measured: .*Slice spacing \(nm\) field when importing\.$/);
    await expect(notice.textContent()).resolves.not.toContain('--');
    // A stack whose metadata gives the spacing has no such notice.
    await panel.locator('select[name="thickness-volume"]').selectOption('2kV');
    await expect(notice.count()).resolves.toBe(0);
  });

  it('one table applied to every channel of the milling at once (the default); a NaN counts as not measured', async () => {
    const panel = page.locator('.thickness-panel');
    const all = panel.locator('input[name="thickness-all-channels"]');
    await expect(all.isChecked()).resolves.toBe(true);
    await expect(panel.locator('label:has(input[name="thickness-all-channels"])').textContent()).resolves.toMatch(/Apply to all channels of this\s+milling \(2kV, 1kV, 4kV, SE2\)/);
    const table = join(session.dir, 'thickness.csv');
    const values = Array.from({ length: SLICES - 1 }, (_, i) => (i === 2 ? 'NaN' : (9 + (i % 3)).toFixed(1)));
    writeFileSync(table, ['slice,thickness_nm', ...values.map((v, i) => `${i},${v}`)].join('\n'));
    // The milling's nominal z: 2 kV's, from its metadata (SE2's 5 nm is a guess).
    const nominal = (await call<VolumeSummary[]>('listVolumes', undefined)).find((v) => v.name === '2kV')!.voxelSizeNm.z;
    expect(nominal).not.toBe(5);
    await panel.locator('select[name="thickness-source"]').selectOption('table');
    await panel.locator('input[name="thickness-path"]').fill(table);
    await panel.getByRole('button', { name: 'Import and apply thickness' }).click();
    expect(await jobEnd(page, 'Thickness of 2kV, 1kV, 4kV, SE2')).toBe('done');

    const series = await Promise.all(['1kV', '2kV', '4kV', 'SE2'].map((volume) => call<ThicknessSeries>('getThickness', { volume })));
    for (const s of series) {
      expect(s.applied).toBe(true);
      expect(s.thicknessNm).toEqual(series[1].thicknessNm);
      expect(s.zPositionsNm).toEqual(series[1].zPositionsNm);
      // One target line for the milling, also for the channel whose z was assumed.
      expect(s.targetNm).toEqual(series[1].thicknessNm.map(() => nominal));
    }
    expect(series[1].thicknessNm[2]).toBeCloseTo(9.5, 9); // the NaN between 10 and 9, interpolated
    const result = panel.locator(`.thickness-result[data-table="${series[1].tableId}"]`);
    await result.waitFor();
    await expect(result.locator('tr:has(th:text-is("Values")) td').textContent()).resolves.toBe(`${SLICES - 1} (${SLICES - 2} measured, 1 not measured)`);

    // Every channel shows its own applied table; the assumed z is gone (now the measured mean).
    await panel.locator('select[name="thickness-volume"]').selectOption('SE2');
    await panel.locator(`.thickness-result[data-table="${series[3].tableId}"][data-applied="yes"]`).waitFor();
    await expect(panel.locator('.assumed-z').count()).resolves.toBe(0);
    const se2 = (await call<VolumeSummary[]>('listVolumes', undefined)).find((v) => v.name === 'SE2')!;
    expect(se2.voxelSizeNm.z).toBeCloseTo(series[1].statistics.meanNm, 9);
    await saveScreenshot(page, 'wizard-thickness-channels.png');

    // Unticked, the next run is for the chosen channel only.
    await all.uncheck();
    await panel.getByRole('button', { name: 'Import and apply thickness' }).click();
    expect(await jobEnd(page, 'Thickness of SE2 from')).toBe('done');
    const after = await Promise.all(['2kV', 'SE2'].map((volume) => call<ThicknessSeries>('getThickness', { volume })));
    expect(after[0].tableId).toBe(series[1].tableId);
    expect(after[1].tableId).toBeGreaterThan(series[3].tableId);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
