// The Registration step's checks in Chromium with the REAL backend, on two
// generated channels with a known drift between slices and a known offset
// between them (crops of one texture, tests/helpers/blob-stack.ts): the
// flicker of slices z / z + 1 jumps in the raw channel and stays still in the
// registered one (measured on the canvases' pixels), and the cross-channel
// check shows the offset between the raw channels and a residual below 0.2 px
// after registration, the same numbers the backend's phase correlation gives. The
// drift plot shows the stored verdict, the confidence per slice and error bars; a
// still noisy channel registered in whole pixels gets zero shift, its warning shown.
// Screenshots: out/screenshots/wizard-register-checks.png, wizard-register-still.png.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTiffStack } from '../../src-main/tiff-write';
import type { ChannelShift, VolumeSummary } from '../../src-shared/contract';
import { blobImage } from '../helpers/blob-stack';
import { random } from '../helpers/random';
import { rendererBuilt, saveScreenshot, screenshotDir } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, type WizardSession } from './wizard-session';

const W = 128;
const H = 96;
const DRIFT = [
  [0, 0],
  [2, -3],
  [5, -4],
  [6, -1],
  [8, 2],
];
const OFFSET = { y: 3, x: -4 };

/** Mean absolute difference between two frames of one canvas (RGBA bytes). */
const meanDiff = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
const pixels = (canvas: Locator) => canvas.evaluate((el) => Array.from((el as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (el as HTMLCanvasElement).width, (el as HTMLCanvasElement).height).data));

describe.skipIf(!rendererBuilt('register checks e2e'))('wizard Registration checks in Chromium with the real backend', () => {
  let session: WizardSession;
  let page: Page;

  beforeAll(async () => {
    session = await startWizardSession({ name: 'register-checks' });
    page = session.page;
    const info = { shape: [DRIFT.length, H, W] as const, dtype: 'uint16' as const, voxelSizeNm: { x: 5, y: 5, z: 10 } };
    await writeTiffStack(join(session.dir, '2kV.tif'), info, DRIFT.map(([sy, sx]) => blobImage(W, H, sy, sx, 20000)));
    await writeTiffStack(join(session.dir, '4kV.tif'), info, DRIFT.map(([sy, sx]) => blobImage(W, H, sy + OFFSET.y, sx + OFFSET.x, 12000)));
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('registers two shifted channels and shows the flicker and the cross-channel check', async () => {
    await createProjectInUi(page, join(session.dir, 'checks.fibrecon'));
    await importStackInUi(page, '2kV', join(session.dir, '2kV.tif'));
    await importStackInUi(page, '4kV', join(session.dir, '4kV.tif'));
    await page.getByRole('button', { name: '3 Registration' }).click();
    const panel = page.locator('.register-panel');
    await expect(panel.locator('input[name="register-4kV"]').isChecked()).resolves.toBe(true);
    await panel.getByRole('button', { name: 'Run registration' }).click();
    expect(await jobEnd(page, 'Registering 2kV, 4kV')).toBe('done');
    await panel.locator('.register-checks').waitFor();
    await expect(panel.locator('select[name="check-volume"]').inputValue()).resolves.toBe('2kV-reg');
  });

  it('flicker: slices z and z + 1 differ in the raw channel and hardly in the registered one', async () => {
    const flicker = page.locator('.flicker');
    await panelSlice(page, 1);
    const z = Number(await flicker.getAttribute('data-showing'));
    expect(z).toBe(1);
    const before = page.locator('.flicker-before canvas');
    const after = page.locator('.flicker-after canvas');
    await page.waitForFunction(() => ['.flicker-before', '.flicker-after'].every((c) => document.querySelector(`${c} canvas`)?.getAttribute('data-index') === '1'));
    const [b0, a0] = [await pixels(before), await pixels(after)];
    await page.locator('button[name="flicker-step"]').click();
    await page.waitForFunction(() => ['.flicker-before', '.flicker-after'].every((c) => document.querySelector(`${c} canvas`)?.getAttribute('data-index') === '2'));
    await expect(flicker.getAttribute('data-showing')).resolves.toBe('2');
    const [b1, a1] = [await pixels(before), await pixels(after)];
    const rawJump = meanDiff(b0, b1);
    const regJump = meanDiff(a0, a1);
    expect(rawJump).toBeGreaterThan(10);
    expect(regJump).toBeLessThan(rawJump / 4);
    // The automatic flicker alternates the two slices by itself.
    await page.locator('input[name="flicker-run"]').check();
    const seen = new Set<string>();
    for (let i = 0; i < 12 && seen.size < 2; i++) {
      seen.add((await flicker.getAttribute('data-showing')) ?? '');
      await page.waitForTimeout(120);
    }
    await page.locator('input[name="flicker-run"]').uncheck();
    expect([...seen].sort()).toEqual(['1', '2']);
  });

  it('cross-channel check: the raw offset is found and the residual after registration is below 0.2 px, as the backend measures', async () => {
    const check = page.locator('.channel-check');
    await check.waitFor();
    await page.waitForFunction(() => !document.querySelector('.channel-check')?.textContent?.includes('measuring'));
    const measure = async (reference: string, moving: string) => {
      const r = await session.backend.call('measureChannelShift', { reference, moving, z: 1 });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as ChannelShift;
    };
    const raw = await measure('2kV', '4kV');
    const reg = await measure('2kV-reg', '4kV-reg');
    expect(Math.abs(raw.dxPx + OFFSET.x)).toBeLessThan(0.2);
    expect(Math.abs(raw.dyPx + OFFSET.y)).toBeLessThan(0.2);
    expect(Math.hypot(reg.dxPx, reg.dyPx)).toBeLessThan(0.2);
    await expect(check.locator('.residual-after').textContent()).resolves.toContain(`dx ${reg.dxPx.toFixed(2)} px (${Number(reg.dxNm.toFixed(3))} nm), dy ${reg.dyPx.toFixed(2)} px`);
    await expect(check.locator('.residual-before').textContent()).resolves.toContain(`dx ${raw.dxPx.toFixed(2)} px (${Number(raw.dxNm.toFixed(3))} nm), dy ${raw.dyPx.toFixed(2)} px (${Number(raw.dyNm.toFixed(3))} nm)`);
    await expect(check.getAttribute('data-dx-px')).resolves.toBe(String(reg.dxPx));
    // Side by side and the checkerboard, all of slice 1 of the registered size.
    const reg2 = await session.backend.call('listVolumes', undefined);
    const shape = reg2.ok ? (reg2.value as { name: string; shape: number[] }[]).find((v) => v.name === '2kV-reg')!.shape : [];
    for (const c of ['.check-a', '.check-b']) await expect(check.locator(`${c} canvas`).getAttribute('data-plane-size')).resolves.toBe(`${shape[2]}x${shape[1]}`);
    // The checkerboard is made of the two channels' pixels (aligned and stretched alike they look the same: that is the point).
    const [pa, pb, pc] = [await pixels(check.locator('.check-a canvas')), await pixels(check.locator('.check-b canvas')), await pixels(check.locator('.check-board canvas'))];
    expect(pc.length).toBe(pa.length);
    let either = 0;
    for (let i = 0; i < pc.length; i += 4) if (pc[i] === pa[i] || pc[i] === pb[i]) either++;
    expect(either / (pc.length / 4)).toBeGreaterThan(0.99);
    await saveScreenshot(page, 'wizard-register-checks.png');
    expect(session.pageErrors).toEqual([]);
  });
});

describe.skipIf(!rendererBuilt('register verdict e2e'))('wizard Registration verdict, confidence and whole pixels in Chromium', () => {
  let session: WizardSession;
  let page: Page;

  beforeAll(async () => {
    session = await startWizardSession({ name: 'register-verdict' });
    page = session.page;
    const info = { shape: [DRIFT.length, H, W] as const, dtype: 'uint16' as const, voxelSizeNm: { x: 5, y: 5, z: 10 } };
    await writeTiffStack(join(session.dir, '2kV.tif'), info, DRIFT.map(([sy, sx]) => blobImage(W, H, sy, sx, 20000)));
    const r = random(3);
    const noise = () => 1500 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    await writeTiffStack(join(session.dir, 'still.tif'), info, DRIFT.map(() => blobImage(W, H, 0, 0, 3000).map((v) => Math.max(0, Math.round(v + noise())))));
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  const stored = async (name: string) => {
    const r = await session.backend.call('listVolumes', undefined);
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as VolumeSummary[]).find((v) => v.name === name)!;
  };

  it('a drifting stack: the stored verdict and the confidence counts are shown', async () => {
    await createProjectInUi(page, join(session.dir, 'verdict.fibrecon'));
    await importStackInUi(page, '2kV', join(session.dir, '2kV.tif'));
    await importStackInUi(page, 'still', join(session.dir, 'still.tif'));
    await page.getByRole('button', { name: '3 Registration' }).click();
    const panel = page.locator('.register-panel');
    await panel.locator('input[name="register-still"]').uncheck();
    await panel.getByRole('button', { name: 'Run registration' }).click();
    expect(await jobEnd(page, 'Registering 2kV')).toBe('done');
    const result = panel.locator('.register-result[data-volume="2kV-reg"]');
    await result.waitFor();
    const v = await stored('2kV-reg');
    expect(v.metadata.driftSignificant).toBe(true);
    await expect(result.getAttribute('data-significant')).resolves.toBe('true');
    await expect(result.locator('.drift-verdict').textContent()).resolves.toBe(v.metadata.driftMessage);
    const conf = v.metadata.driftConfidence as string[];
    await expect(result.locator('.drift-confidence').textContent()).resolves.toContain(`${conf.filter((c) => c === 'high').length} high, ${conf.filter((c) => c === 'medium').length} medium, ${conf.filter((c) => c === 'low').length} low`);
    await expect(result.locator('.result-line').first().textContent()).resolves.toContain('sub-pixel (bilinear)');
    await expect(result.locator('.register-warnings').count()).resolves.toBe(0);
  });

  it('a still noisy stack in whole pixels: zero shift, nothing cropped, the verdict shown as a warning', async () => {
    const panel = page.locator('.register-panel');
    await panel.locator('input[name="register-2kV"]').uncheck();
    await panel.locator('input[name="register-still"]').check();
    await panel.locator('input[name="register-whole-pixels"]').check();
    await panel.getByRole('button', { name: 'Run registration' }).click();
    expect(await jobEnd(page, 'Registering still')).toBe('done');
    const result = panel.locator('.register-result[data-volume="still-reg"]');
    await result.waitFor();
    const v = await stored('still-reg');
    expect(v.metadata.wholePixels).toBe(true);
    expect(v.metadata.driftSignificant).toBe(false);
    expect(v.shape).toEqual([DRIFT.length, H, W]);
    await expect(result.getAttribute('data-significant')).resolves.toBe('false');
    await expect(result.locator('.result-line').first().textContent()).resolves.toContain(`Largest translation 0.00 px over ${DRIFT.length} slices; common area x 0, y 0, ${W} × ${H} px; whole pixels (raw grey values)`);
    const warnings = await result.locator('.register-warnings li').allTextContents();
    expect(warnings.some((w) => /^no significant drift found: .*slices kept as they are$/.test(w))).toBe(true);
    await result.screenshot({ path: join(screenshotDir, 'wizard-register-still.png') });
    expect(session.pageErrors).toEqual([]);
  });
});

/** Moves the checks' slice slider to z. */
async function panelSlice(page: Page, z: number): Promise<void> {
  await page.locator('input[name="check-slice"]').evaluate((el, v) => {
    const input = el as HTMLInputElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    setter.call(input, String(v));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, z);
}
