// The Import step's data-bar crop and region of interest in Chromium with the
// REAL backend: a Thermo Fisher/FEI-style TIFF with a 10-row data bar (written
// by the app's TIFF writer, FEI tag 34682) is previewed before import, the
// data bar found is shown and cut, a rectangle is dragged with the mouse on the
// slice (the px fields follow), and the imported volume has exactly that region:
// its shape, and its value range, which tells where the region lay (every pixel
// holds x + 150 y + 7 z). Screenshot: out/screenshots/wizard-import-roi.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTiffStack } from '../../src-main/tiff-write';
import type { PlaneImage, VolumeSummary } from '../../src-shared/contract';
import { rectFromDrag } from '../../src-renderer/components/roi-math';
import { rendererBuilt, saveScreenshot } from './chromium';
import { createProjectInUi, jobEnd, startWizardSession, type WizardSession } from './wizard-session';

const W = 120;
const ROWS = 90;
const H = 100;
const NZ = 4;
const value = (x: number, y: number, z: number) => (y >= ROWS ? 60000 : x + 150 * y + 7 * z);
const FEI_INI = ['[Beam]', 'HV=2000', '[Scan]', 'PixelWidth=5e-009', 'PixelHeight=5e-009', '[Detectors]', 'Name=TLD', '[Image]', `ResolutionX=${W}`, `ResolutionY=${ROWS}`, ''].join('\r\n');

describe.skipIf(!rendererBuilt('import ROI e2e'))('wizard Import step: data bar and region of interest in Chromium with the real backend', () => {
  let session: WizardSession;
  let page: Page;
  let stack: string;

  beforeAll(async () => {
    session = await startWizardSession({ name: 'import-roi' });
    page = session.page;
    stack = join(session.dir, 'fei-stack.tif');
    const slices = Array.from({ length: NZ }, (_, z) => Uint16Array.from({ length: W * H }, (_, i) => value(i % W, Math.floor(i / W), z)));
    await writeTiffStack(stack, { shape: [NZ, H, W], dtype: 'uint16', voxelSizeNm: { x: 5, y: 5, z: 10 } }, slices, { extraTags: [{ tag: 34682, text: FEI_INI }] });
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  const roiFields = async () => {
    const out: Record<string, string> = {};
    for (const k of ['x', 'y', 'width', 'height']) out[k] = await page.locator(`input[name="roi-${k}"]`).inputValue();
    return out;
  };

  /** Drags on the preview canvas between two points given as fractions of it; returns the rectangle those points make. */
  const drag = async (a: [number, number], b: [number, number], image: { width: number; height: number }) => {
    const canvas = page.locator('.roi-plane canvas');
    // Mouse coordinates are the viewport's: the whole canvas must be in view.
    await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const box = (await canvas.boundingBox())!;
    const p = (f: [number, number]) => [Math.round(box.x + f[0] * box.width), Math.round(box.y + f[1] * box.height)] as const;
    const [ax, ay] = p(a);
    const [bx, by] = p(b);
    await page.mouse.move(ax, ay);
    await page.mouse.down();
    await page.mouse.move(bx, by, { steps: 8 });
    await page.mouse.up();
    const frac = (x: number, y: number) => ({ fx: (x - box.x) / box.width, fy: (y - box.y) / box.height });
    return rectFromDrag(frac(ax, ay), frac(bx, by), image.width, image.height)!;
  };

  it('shows a slice before import with the data bar found and cut; the checkbox keeps it', async () => {
    await createProjectInUi(page, join(session.dir, 'roi.fibrecon'));
    await page.locator('input[name="channel-name"]').fill('TLD');
    await page.locator('textarea[name="stack-paths"]').fill(stack);
    await expect(page.locator('input[name="crop-data-bar"]').isChecked()).resolves.toBe(true);
    await page.locator('button[name="show-slice"]').click();
    const canvas = page.locator('.roi-plane canvas');
    await canvas.waitFor();
    await expect(canvas.getAttribute('data-image-size')).resolves.toBe(`${W}x${ROWS}`);
    const note = page.locator('.data-bar-note');
    await expect(note.getAttribute('data-bar-rows')).resolves.toBe('10');
    await expect(note.textContent()).resolves.toContain(`rows ${ROWS}..${H - 1} px (10 rows)`);
    await expect(note.textContent()).resolves.toContain('cropped');
    // Physical aspect: 120 x 90 px of 5 nm.
    const size = await canvas.evaluate((el) => [(el as HTMLCanvasElement).width, (el as HTMLCanvasElement).height]);
    expect(size[1] / size[0]).toBeCloseTo(ROWS / W, 2);
    await page.locator('input[name="crop-data-bar"]').uncheck();
    await page.waitForFunction((h) => document.querySelector('.roi-plane canvas')?.getAttribute('data-image-size') === h, `${W}x${H}`);
    await expect(note.textContent()).resolves.toContain('kept');
    await page.locator('input[name="crop-data-bar"]').check();
    await page.waitForFunction((h) => document.querySelector('.roi-plane canvas')?.getAttribute('data-image-size') === h, `${W}x${ROWS}`);
  });

  it('a rectangle dragged with the mouse fills the px fields; Clear empties them', async () => {
    const first = await drag([0.1, 0.1], [0.3, 0.4], { width: W, height: ROWS });
    await expect(roiFields()).resolves.toEqual({ x: String(first.x), y: String(first.y), width: String(first.width), height: String(first.height) });
    await page.locator('button[name="clear-roi"]').click();
    await expect(roiFields()).resolves.toEqual({ x: '', y: '', width: '', height: '' });
    // Typed fields out of the image are refused before anything runs.
    await page.locator('input[name="roi-x"]').fill('100');
    await page.locator('input[name="roi-y"]').fill('0');
    await page.locator('input[name="roi-width"]').fill('30');
    await page.locator('input[name="roi-height"]').fill('10');
    await expect(page.locator('.roi-problem').textContent()).resolves.toContain(`does not fit in the ${W} × ${ROWS} px image`);
    await expect(page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).resolves.toBe(true);
  });

  it('the imported volume is the region dragged on the data-bar-cropped image', async () => {
    // Drawn from bottom right to top left: the rectangle is the same.
    const r = await drag([0.8, 0.75], [0.25, 0.2], { width: W, height: ROWS });
    expect(r.width).toBeGreaterThan(50);
    await expect(roiFields()).resolves.toEqual({ x: String(r.x), y: String(r.y), width: String(r.width), height: String(r.height) });
    await saveScreenshot(page, 'wizard-import-roi.png');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    expect(await jobEnd(page, 'channel TLD')).toBe('done');
    await page.locator('tr[data-volume="TLD"]').waitFor();
    const vols = await session.backend.call('listVolumes', undefined);
    const v = (vols.ok ? (vols.value as VolumeSummary[]) : []).find((x) => x.name === 'TLD')!;
    expect(v.shape).toEqual([NZ, r.height, r.width]);
    const plane = await session.backend.call('getPlane', { volume: 'TLD', axis: 'xy', index: 2, maxSize: 4096 });
    const p = plane.ok ? (plane.value as PlaneImage) : null;
    expect([p?.min, p?.max]).toEqual([value(r.x, r.y, 2), value(r.x + r.width - 1, r.y + r.height - 1, 2)]);
    expect(session.pageErrors).toEqual([]);
  });
});
