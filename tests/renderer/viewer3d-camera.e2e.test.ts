// The 3D view's camera and overlays in Chromium (WebGL2 on SwiftShader) with the
// REAL backend: a small grey stack is imported and shown in 3D; the standard
// view buttons turn the camera (read back from the viewer's canvas), the box and
// axes are on by default and reach the viewer, an orbit drag is kept when the
// same volume is shown again and when the 3D view is closed and shown again,
// and Reset goes back to the first view.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererBuilt } from './chromium';
import { createProjectInUi, importStackInUi, startWizardSession, writeGreyStack, type WizardSession } from './wizard-session';

interface Pose {
  position: number[];
  target: number[];
  up: number[];
}

const unit = (p: number[]) => p.map((c) => c / Math.hypot(...p));

describe.skipIf(!rendererBuilt('3D camera e2e'))('3D view camera, standard views and box in Chromium with the real backend', () => {
  let session: WizardSession;
  let page: Page;

  beforeAll(async () => {
    session = await startWizardSession({ name: 'viewer3d-camera', webgl: true });
    page = session.page;
    const stack = join(session.dir, 'grey.tif');
    await writeGreyStack(stack, [12, 32, 40], { pixelNm: 5, sliceNm: 10 }, 4);
    await createProjectInUi(page, join(session.dir, 'camera.fibrecon'));
    await importStackInUi(page, 'grey', stack);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const slot = () => page.locator('.viewer3d-slot');
  const canvas = () => slot().locator('.viewer3d canvas');
  const pose = async (): Promise<Pose> => JSON.parse((await canvas().getAttribute('data-camera')) ?? 'null') as Pose;
  const show = async () => {
    await slot().getByRole('button', { name: 'Show grey in 3D' }).click();
    await canvas().waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await canvas().getAttribute('data-camera')) !== null).toBe(true);
  };

  it('standard views turn the camera, box and axes are on by default, an orbit is kept across shows and a close, Reset frames it afresh', async () => {
    await show();
    const first = await pose();
    unit(first.position).forEach((c, i) => expect(c).toBeCloseTo([0, 0, 1][i], 4));
    await expect(canvas().getAttribute('data-show-box')).resolves.toBe('true');
    await slot().locator('input[name="viewer-box"]').uncheck();
    await expect.poll(() => canvas().getAttribute('data-show-box')).toBe('false');
    await slot().locator('input[name="viewer-box"]').check();
    await expect.poll(() => canvas().getAttribute('data-show-box')).toBe('true');

    for (const [view, dir, up] of [
      ['xy', [0, -1, 0], [0, 0, 1]],
      ['xz', [0, 0, 1], [0, 1, 0]],
      ['yz', [1, 0, 0], [0, 1, 0]],
    ] as const) {
      await slot().locator(`button[name="viewer-view-${view}"]`).click();
      await expect.poll(async () => unit((await pose()).position).map((c) => Math.round(c * 1e3) / 1e3)).toEqual(dir.map((c) => c + 0));
      expect((await pose()).up).toEqual([...up]);
    }

    // An orbit drag moves the camera; showing the same volume again keeps it.
    const yz = await pose();
    const box = (await canvas().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 90, box.y + box.height / 2 + 30, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => JSON.stringify(await pose())).not.toBe(JSON.stringify(yz));
    const orbited = await pose();
    expect(unit(orbited.position)[0]).toBeLessThan(0.99); // no longer exactly the yz view
    await show();
    await expect.poll(() => pose()).toEqual(orbited);

    // Closed and shown again: a new viewer, the same camera.
    await slot().locator('button[name="viewer3d-close"]').click();
    await expect.poll(() => canvas().count()).toBe(0);
    await show();
    await expect.poll(() => pose()).toEqual(orbited);

    await slot().locator('button[name="viewer-view-reset"]').click();
    await expect.poll(async () => unit((await pose()).position).map((c) => Math.round(c * 1e3) / 1e3)).toEqual([0, 0, 1]);
    expect(session.pageErrors).toEqual([]);
  }, 120_000);
});
