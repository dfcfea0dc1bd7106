// The Reconstruction step marks the filled planes beside the xz preview, in
// Chromium with the REAL backend: a grey stack of 12.5 nm slices on 5 nm
// pixels is reconstructed (linear) on the 5 nm grid; the strip beside the xz
// plane has one band per plane, blue for the planes the volume's metadata
// list as measured and orange for the others, read back from its pixels, and
// the counts it shows are planes - measuredPlanes.length and measuredPlanes.length.
// Screenshot: out/screenshots/wizard-reconstruct-filled.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeSummary } from '../../src-shared/contract';
import { rendererBuilt, saveScreenshot } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, writeGreyStack, type WizardSession } from './wizard-session';

const NZ = 7;
const PX = 5;
const DZ = 12.5;

describe.skipIf(!rendererBuilt('reconstruct filled e2e'))('wizard Reconstruction: measured and filled planes marked in the xz preview', () => {
  let session: WizardSession;
  let page: Page;

  beforeAll(async () => {
    session = await startWizardSession({ name: 'reconstruct-filled' });
    page = session.page;
    await writeGreyStack(join(session.dir, 'grey.tif'), [NZ, 32, 48], { pixelNm: PX, sliceNm: DZ }, 3);
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('marks every filled plane beside its row, as the metadata say', async () => {
    await createProjectInUi(page, join(session.dir, 'filled.fibrecon'));
    await importStackInUi(page, 'grey', join(session.dir, 'grey.tif'));
    await page.getByRole('button', { name: '5 Reconstruction' }).click();
    const panel = page.locator('.reconstruct-panel');
    await panel.locator('select[name="reconstruct-method"]').selectOption('linear');
    await panel.getByRole('button', { name: 'Run reconstruction' }).click();
    expect(await jobEnd(page, 'Reconstructing grey (linear)')).toBe('done');
    const strip = panel.locator('.filled-planes');
    await strip.waitFor();
    const vols = await session.backend.call('listVolumes', undefined);
    const v = (vols.ok ? (vols.value as VolumeSummary[]) : []).find((x) => x.name === 'grey-linear')!;
    const measured = v.metadata.measuredPlanes as number[];
    const planes = v.shape[0];
    expect(planes).toBe(Math.round(((NZ - 1) * DZ) / PX) + 1);
    expect(measured).toHaveLength(NZ);
    await expect(strip.getAttribute('data-planes')).resolves.toBe(String(planes));
    await expect(strip.getAttribute('data-filled-rows')).resolves.toBe(String(planes - measured.length));
    await expect(strip.getAttribute('data-measured-rows')).resolves.toBe(String(measured.length));
    expect(((await strip.locator('.legend').textContent()) ?? '').trim()).toBe(`measured (${measured.length} planes) filled (${planes - measured.length} planes)`);
    // Beside the preview at its height (the physical aspect: planes of 5 nm over 48 px of 5 nm).
    const preview = panel.locator('.preview-xz canvas');
    const [ph, pw] = await preview.evaluate((el) => [(el as HTMLCanvasElement).height, (el as HTMLCanvasElement).width]);
    expect(ph / pw).toBeCloseTo(planes / 48, 1);
    const colours = await strip.locator('canvas').evaluate((el, n) => {
      const c = el as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return Array.from({ length: n }, (_, z) => {
        const i = (Math.floor(((z + 0.5) * c.height) / n) * c.width + 5) * 4;
        return `#${[d[i], d[i + 1], d[i + 2]].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
      });
    }, planes);
    expect(await strip.locator('canvas').evaluate((el) => (el as HTMLCanvasElement).height)).toBe(ph);
    expect(colours).toEqual(Array.from({ length: planes }, (_, z) => (measured.includes(z) ? '#1c6ed6' : '#f08c00')));
    await saveScreenshot(page, 'wizard-reconstruct-filled.png');
    expect(session.pageErrors).toEqual([]);
  });
});
