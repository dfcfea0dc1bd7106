// The workspace in Chromium at two common window sizes: the viewer (orthoviews
// and 3D view) in the centre is on screen without scrolling the page, beside the
// steps panel (left), the layer list (right) and the status bar (bottom); the
// side panels scroll on their own; the steps panel's width follows a drag of its
// splitter and is kept over a reload.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVolumeAdminProject } from '../helpers/volume-admin-project';
import { rendererBuilt, saveScreenshot } from './chromium';
import { startWizardSession, type WizardSession } from './wizard-session';

type Box = { x: number; y: number; width: number; height: number };

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  if (b === null) throw new Error(`${selector} is not laid out`);
  return b;
}

function expectInside(b: Box, size: { width: number; height: number }, what: string): void {
  expect(b.x, `${what} left`).toBeGreaterThanOrEqual(0);
  expect(b.y, `${what} top`).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width, `${what} right`).toBeLessThanOrEqual(size.width + 0.5);
  expect(b.y + b.height, `${what} bottom`).toBeLessThanOrEqual(size.height + 0.5);
}

describe.skipIf(!rendererBuilt('workspace layout test'))('workspace layout in Chromium', () => {
  let session: WizardSession;
  let page: Page;

  beforeAll(async () => {
    session = await startWizardSession({ name: 'workspace-layout', webgl: true });
    page = session.page;
    const path = join(session.dir, 'layout.fibrecon');
    await writeVolumeAdminProject(path);
    await page.locator('input[name="open-path"]').fill(path);
    await page.getByRole('button', { name: 'Open project', exact: true }).click();
    await page.locator('.step-bar').waitFor();
    await page.locator('.ortho-views[data-volume="grey"] .ortho-xy canvas').waitFor();
  });

  afterAll(async () => {
    await session?.close();
  });

  for (const size of [
    { width: 1366, height: 768 },
    { width: 1600, height: 1000 },
  ]) {
    it(`shows the viewer without scrolling at ${size.width} x ${size.height}`, async () => {
      await page.setViewportSize(size);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      // The page itself does not scroll: everything is in the window's height.
      const scroll = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth }));
      expect(scroll.h).toBeLessThanOrEqual(size.height);
      expect(scroll.w).toBeLessThanOrEqual(size.width);

      const viewer = await box(page, '.viewer-pane');
      expectInside(viewer, size, 'viewer pane');
      // The centre gets the room: the full window width is used and the viewer is the widest column.
      const left = await box(page, '.side-panel');
      const right = await box(page, '.layer-panel');
      expect(viewer.width).toBeGreaterThan(Math.max(left.width, right.width));
      expect(left.x).toBeLessThan(viewer.x);
      expect(right.x).toBeGreaterThan(viewer.x + viewer.width - 1);
      expect(right.x + right.width).toBeGreaterThan(size.width - 2);
      for (const sel of ['.ortho-views .ortho-xy canvas', '.ortho-views .ortho-xz canvas', '.ortho-views .ortho-yz canvas', '.viewer3d-slot', '.step-bar', '.volumes', '.status-bar']) {
        expectInside(await box(page, sel), size, sel);
      }
      // The planes fill their space, not a fixed 340 px box.
      const xy = await box(page, '.ortho-views .ortho-xy canvas');
      expect(xy.width).toBeGreaterThan(viewer.width / 5);
      const status = await box(page, '.status-bar');
      expect(status.y + status.height).toBeCloseTo(size.height, 0);
      await saveScreenshot(page, `workspace-${size.width}x${size.height}.png`);
    });
  }

  it('makes room for the 3D view in the viewer, and gives it back to the orthoviews when it is closed', async () => {
    const size = { width: 1366, height: 768 };
    await page.setViewportSize(size);
    const xyWidth = async () => (await box(page, '.ortho-views .ortho-xy canvas')).width;
    const before = await xyWidth();
    await page.getByRole('button', { name: 'Show grey in 3D' }).click();
    await page.locator('.viewer3d-slot[data-volume="grey"] .viewer3d canvas').waitFor();
    for (const sel of ['.ortho-views .ortho-xy canvas', '.viewer3d-slot', '.viewer3d canvas']) expectInside(await box(page, sel), size, sel);
    await expect.poll(xyWidth).toBeLessThan(before);
    await page.getByRole('button', { name: 'Close 3D' }).click();
    await page.locator('.viewer3d-slot.idle').waitFor();
    await expect.poll(xyWidth).toBeCloseTo(before, 0);
  });

  it('scrolls the steps panel on its own, the viewer staying put', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const panel = page.locator('.side-panel');
    const scrollable = await panel.evaluate((el) => el.scrollHeight > el.clientHeight);
    expect(scrollable).toBe(true);
    const before = await box(page, '.viewer-pane');
    await panel.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    expect(await panel.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    expect(await box(page, '.viewer-pane')).toEqual(before);
  });

  it('resizes the steps panel by dragging its splitter and keeps the width', async () => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    const start = (await box(page, '.side-panel')).width;
    const bar = await box(page, '.splitter-left');
    const y = bar.y + bar.height / 2;
    await page.mouse.move(bar.x + bar.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width / 2 + 40, y, { steps: 4 });
    await page.mouse.move(bar.x + bar.width / 2 + 90, y, { steps: 4 });
    await page.mouse.up();
    const wider = (await box(page, '.side-panel')).width;
    expect(wider).toBeCloseTo(start + 90, 0);
    expect(await page.evaluate(() => localStorage.getItem('fibrecon.layout.left'))).toBe(String(Math.round(wider)));
    await page.goto(session.bridge.url);
    await page.locator('.ortho-views .ortho-xy canvas').waitFor();
    expect((await box(page, '.side-panel')).width).toBeCloseTo(wider, 0);
    await page.evaluate(() => localStorage.removeItem('fibrecon.layout.left'));
  });
});
