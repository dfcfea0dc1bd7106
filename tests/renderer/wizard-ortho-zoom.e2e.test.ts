// Zoom and pan of the orthoviews in Chromium with the REAL backend: a small
// grey stack (8 slices of 40 × 48 px, 5 nm pixels, 20 nm slices) is imported
// and viewed; the wheel zooms the xy view about the pointer (the point under
// it stays put, the three views share the zoom), the scale bar measures the
// zoomed screen, a click lands on the voxel the zoom state says, Shift+drag
// pans without moving the cursor, and 0 / Reset view go back to the whole planes.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaneImage } from '../../src-shared/contract';
import { autoWindow } from '../../src-renderer/components/auto-window';
import { colormapTable } from '../../src-renderer/components/colormaps';
import { rendererBuilt, saveScreenshot } from './chromium';
import { createProjectInUi, importStackInUi, startWizardSession, writeGreyStack, type WizardSession } from './wizard-session';

const NZ = 8;
const NY = 40;
const NX = 48;

describe.skipIf(!rendererBuilt('orthoview zoom e2e'))('orthoviews zoom and pan in Chromium with the real backend', () => {
  let session: WizardSession;
  let page: Page;

  beforeAll(async () => {
    session = await startWizardSession({ name: 'ortho-zoom' });
    page = session.page;
    const stack = join(session.dir, 'grey.tif');
    await writeGreyStack(stack, [NZ, NY, NX], { pixelNm: 5, sliceNm: 20 }, 3);
    await createProjectInUi(page, join(session.dir, 'zoom.fibrecon'));
    await importStackInUi(page, 'grey', stack);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const viewState = async (canvas: Locator) => {
    const zoom = Number(await canvas.getAttribute('data-zoom'));
    const [cx, cy] = ((await canvas.getAttribute('data-view-centre')) ?? '').split(',').map(Number);
    return { zoom, cx, cy };
  };
  const bar = async (views: Locator) => {
    const el = views.locator('.ortho-xy .scale-bar-label');
    return { nm: Number(await el.getAttribute('data-bar-nm')), px: Number(await el.getAttribute('data-bar-px')), label: (await el.textContent()) ?? '' };
  };

  it('wheel zooms about the pointer, the scale bar follows, a click maps through the zoom, Shift+drag pans, 0 resets', async () => {
    await page.getByRole('button', { name: 'View grey', exact: true }).click();
    const views = page.locator('.ortho-views[data-volume="grey"]');
    await views.waitFor();
    const xy = views.locator('.ortho-xy canvas');
    await xy.waitFor();
    await views.locator('.ortho-yz canvas').waitFor();
    await xy.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    expect(await viewState(xy)).toEqual({ zoom: 1, cx: 0.5, cy: 0.5 });
    const bar1 = await bar(views);
    const canvasWidth = await xy.evaluate((c) => (c as HTMLCanvasElement).width);
    // At rest the bar is nm per canvas pixel of the whole 240 nm wide plane.
    expect(bar1.nm / bar1.px).toBeCloseTo((NX * 5) / canvasWidth, 9);

    // Four wheel notches up over the xy view at 30 % across, 60 % down: 2×.
    const box = (await xy.boundingBox())!;
    const mx = Math.round(box.x + 0.3 * box.width);
    const my = Math.round(box.y + 0.6 * box.height);
    const sx = (mx - box.x) / box.width;
    const sy = (my - box.y) / box.height;
    await page.mouse.move(mx, my);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -100);
    await expect.poll(async () => (await viewState(xy)).zoom).toBeCloseTo(2, 9);
    const z2 = await viewState(xy);
    // The plane point under the pointer (sx, sy at rest) is still under it: centre = s − (s − ½) / zoom.
    expect(z2.cx).toBeCloseTo(sx - (sx - 0.5) / 2, 9);
    expect(z2.cy).toBeCloseTo(sy - (sy - 0.5) / 2, 9);
    // One zoom for the three views; the others zoom about their middle.
    for (const axis of ['xz', 'yz']) expect(await viewState(views.locator(`.ortho-${axis} canvas`))).toEqual({ zoom: z2.zoom, cx: 0.5, cy: 0.5 });
    await expect(views.locator('.zoom-readout').textContent()).resolves.toBe('Zoom 2.00×');
    // The scale bar measures the zoomed screen: nm per pixel halved.
    const bar2 = await bar(views);
    expect(bar2.nm / bar2.px).toBeCloseTo(bar1.nm / bar1.px / z2.zoom, 9);
    expect(bar2.label).not.toBe(bar1.label);

    // A click at a known screen pixel: the voxel from the zoom state (plane fraction = (s − ½) / zoom + centre).
    const cursorText = async () => ({
      z: await views.locator('.cursor-z').textContent(),
      y: await views.locator('.cursor-y').textContent(),
      x: await views.locator('.cursor-x').textContent(),
    });
    const clickAt = async (fx: number, fy: number, t: { zoom: number; cx: number; cy: number }) => {
      const px = Math.round(box.width * fx) + 0.5;
      const py = Math.round(box.height * fy) + 0.5;
      await xy.click({ position: { x: px, y: py } });
      const u = (px / box.width - 0.5) / t.zoom + t.cx;
      const v = (py / box.height - 0.5) / t.zoom + t.cy;
      return { x: Math.floor(u * NX), y: Math.floor(v * NY) };
    };
    const want = await clickAt(0.85, 0.2, z2);
    // Not what the same click would give unzoomed.
    expect(want.x).not.toBe(Math.floor(((Math.round(box.width * 0.85) + 0.5) / box.width) * NX));
    await expect.poll(cursorText).toEqual({ z: `z ${NZ / 2}`, y: `y ${want.y}`, x: `x ${want.x}` });

    // Shift+drag pans the xy view by the drag (the plane follows the pointer) and does not move the cursor.
    await page.keyboard.down('Shift');
    await page.mouse.move(mx, my);
    await page.mouse.down();
    await page.mouse.move(mx + 40, my - 30, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const panned = await viewState(xy);
    expect(panned.zoom).toBeCloseTo(2, 9);
    expect(panned.cx).toBeCloseTo(Math.max(0.25, z2.cx - 40 / box.width / 2), 9);
    expect(panned.cy).toBeCloseTo(Math.min(0.75, z2.cy + 30 / box.height / 2), 9);
    expect(panned.cx).not.toBeCloseTo(z2.cx, 3);
    await expect(cursorText()).resolves.toEqual({ z: `z ${NZ / 2}`, y: `y ${want.y}`, x: `x ${want.x}` });
    // Pan is per view: xz did not move.
    expect(await viewState(views.locator('.ortho-xz canvas'))).toEqual({ zoom: panned.zoom, cx: 0.5, cy: 0.5 });
    // A click after the pan maps through the new centre.
    const want2 = await clickAt(0.1, 0.9, panned);
    await expect.poll(cursorText).toEqual({ z: `z ${NZ / 2}`, y: `y ${want2.y}`, x: `x ${want2.x}` });
    await saveScreenshot(page, 'wizard-orthoviews-zoom.png');

    // Zoom stops at 16×.
    await page.mouse.move(mx, my);
    for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -100);
    await expect.poll(async () => (await viewState(xy)).zoom).toBe(16);

    // Key 0 (the views have focus after the click) resets all three.
    await views.focus();
    await page.keyboard.press('0');
    await expect.poll(async () => viewState(xy)).toEqual({ zoom: 1, cx: 0.5, cy: 0.5 });
    expect((await bar(views)).label).toBe(bar1.label);
    await expect(views.locator('button[name="ortho-reset-view"]').isDisabled()).resolves.toBe(true);

    // And the button: zoom out is clamped at 1×, zoom in then Reset view.
    await page.mouse.move(mx, my);
    await page.mouse.wheel(0, 300);
    await page.mouse.wheel(0, -200);
    await expect.poll(async () => (await viewState(xy)).zoom).toBeCloseTo(Math.SQRT2, 9);
    await views.locator('button[name="ortho-reset-view"]').click();
    await expect.poll(async () => viewState(xy)).toEqual({ zoom: 1, cx: 0.5, cy: 0.5 });
    expect(session.pageErrors).toEqual([]);
  });

  it('Auto contrast sets the window to the 0.5 / 99.5 percentiles of the xy slice shown', async () => {
    const views = page.locator('.ortho-views[data-volume="grey"]');
    const z = Number(await views.locator('.ortho-xy canvas').getAttribute('data-index'));
    // The same preview the view draws, from the backend, and the percentiles of its pixels.
    const res = await session.backend.call('getPlane', { volume: 'grey', axis: 'xy', index: z, maxSize: 512 });
    if (!res.ok) throw new Error(res.error.message);
    const want = autoWindow(Uint8Array.from(Buffer.from((res.value as PlaneImage).grey8Base64, 'base64')));
    // Start from another window, so that the button must set both ends.
    await views.locator('input[name="window-high"]').fill('140');
    await views.locator('input[name="window-low"]').fill('120');
    await expect.poll(() => views.locator('input[name="window-low"]').inputValue()).toBe('120');
    expect([want.low, want.high]).not.toEqual([120, 140]);
    await views.locator('button[name="ortho-auto-contrast"]').click();
    await expect.poll(() => views.locator('input[name="window-low"]').inputValue()).toBe(String(want.low));
    await expect(views.locator('input[name="window-high"]').inputValue()).resolves.toBe(String(want.high));
  });

  it('Colours: viridis draws the plane in colour, inverted as 255 minus grey, grey as before', async () => {
    const views = page.locator('.ortho-views[data-volume="grey"]');
    const xy = views.locator('.ortho-xy canvas');
    // The centre pixel of the xy canvas as drawn (RGB).
    const centre = () =>
      xy.evaluate((c) => {
        const canvas = c as HTMLCanvasElement;
        const d = canvas.getContext('2d')!.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data;
        return [d[0], d[1], d[2]];
      });
    await views.locator('input[name="window-low"]').fill('0');
    await views.locator('input[name="window-high"]').fill('255');
    await expect.poll(() => views.locator('input[name="window-high"]').inputValue()).toBe('255');
    await views.locator('select[name="ortho-colormap"]').selectOption('grey');
    await expect.poll(async () => { const [r, g, b] = await centre(); return r === g && g === b; }).toBe(true);
    const [v] = await centre();
    await views.locator('select[name="ortho-colormap"]').selectOption('inverted');
    await expect.poll(centre).toEqual([255 - v, 255 - v, 255 - v]);
    await views.locator('select[name="ortho-colormap"]').selectOption('viridis');
    const viridis = colormapTable('viridis');
    await expect.poll(centre).toEqual([...viridis.slice(3 * v, 3 * v + 3)]);
    await views.locator('select[name="ortho-colormap"]').selectOption('grey');
  });
});
