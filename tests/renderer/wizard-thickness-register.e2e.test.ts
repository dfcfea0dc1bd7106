// The wizard's Thickness and Registration steps end to end in Chromium with the
// REAL backend over the HTTP bridge: import the synthetic sample's 2 kV stack,
// import its ProjectData.dat and apply it (the statistics shown are the stored
// ones, the per-slice plot is drawn with the target line and flagged slices),
// then register the stack and see the drift plot of the stored translations (the
// simulator's stack does not drift: the verdict says so and nothing is applied).
// Screenshots: out/screenshots/wizard-thickness*.png and wizard-register*.png.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThicknessSeries, VolumeSummary } from '../../src-shared/contract';
import { rendererBuilt, saveScreenshot, screenshotDir } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, synthSample, type SynthSample, type WizardSession } from './wizard-session';

/** Pixels of each colour (#rrggbb) on a canvas. */
async function colourCounts(canvas: Locator, colours: string[]): Promise<number[]> {
  return canvas.evaluate((el, cs) => {
    const cv = el as HTMLCanvasElement;
    const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
    const want = cs.map((c) => [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)]);
    const seen = cs.map(() => 0);
    for (let i = 0; i < d.length; i += 4) want.forEach((w, k) => d[i] === w[0] && d[i + 1] === w[1] && d[i + 2] === w[2] && seen[k]++);
    return seen;
  }, colours);
}

describe.skipIf(!rendererBuilt('thickness/register e2e'))('wizard Thickness and Registration steps in Chromium with the real backend', () => {
  let session: WizardSession;
  let page: Page;
  let pageErrors: string[];
  let sample: SynthSample;

  const call = async <T,>(method: 'getThickness' | 'listVolumes', req: unknown): Promise<T> => {
    const r = await session.backend.call(method, req);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as T;
  };

  beforeAll(async () => {
    session = await startWizardSession({ name: 'thickness' });
    ({ page, pageErrors } = session);
    sample = await synthSample(session.dir, { columns: 64, rows: 48, slices: 8 });
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('imports the synthetic 2 kV stack; Thickness and Registration are steps 2 and 3', async () => {
    await createProjectInUi(page, join(session.dir, 'thickness.fibrecon'));
    await expect(page.locator('.step-bar .step:disabled').count()).resolves.toBe(0);
    await importStackInUi(page, '2kV', sample.files.stacks[1].path);
  });

  it('Thickness: ProjectData.dat imported and applied; the stored statistics are shown and the series is plotted', async () => {
    await page.getByRole('button', { name: '2 Thickness' }).click();
    const panel = page.locator('.thickness-panel');
    await panel.locator('.thickness-none').waitFor();
    await panel.locator('select[name="thickness-source"]').selectOption('asv');
    await panel.locator('input[name="thickness-path"]').fill(sample.files.projectData);
    await panel.getByRole('button', { name: 'Import and apply thickness' }).click();
    expect(await jobEnd(page, 'Thickness of 2kV')).toBe('done');
    const s = await call<ThicknessSeries>('getThickness', { volume: '2kV' });
    const result = panel.locator(`.thickness-result[data-table="${s.tableId}"]`);
    await result.waitFor();
    await expect(result.getAttribute('data-applied')).resolves.toBe('yes');
    const stats = result.locator('.thickness-stats');
    await expect(stats.locator('tr:has(th:text-is("Mean")) td').textContent()).resolves.toBe(`${s.statistics.meanNm.toFixed(2)} nm`);
    await expect(stats.locator('tr:has(th:text-is("SD")) td').textContent()).resolves.toBe(`${s.statistics.sdNm.toFixed(2)} nm`);
    await expect(stats.locator('tr:has(th:text-is("Gamma fit")) td').textContent()).resolves.toContain(`shape ${s.gamma!.shape.toFixed(2)}`);
    expect(s.applied).toBe(true);
    // Measured (blue) and target (green, dashed) lines drawn.
    const [blue, green] = await colourCounts(result.locator('canvas'), ['#1c6ed6', '#2f9e44']);
    expect(blue).toBeGreaterThan(50);
    expect(green).toBeGreaterThan(20);
    // Applied: the volume's voxel z is now the mean thickness.
    const v = (await call<VolumeSummary[]>('listVolumes', undefined)).find((x) => x.name === '2kV')!;
    expect(v.voxelSizeNm.z).toBeCloseTo(s.statistics.meanNm, 9);
    await saveScreenshot(page, 'wizard-thickness.png');
    await panel.screenshot({ path: join(screenshotDir, 'wizard-thickness-part.png') });
  });

  it('Registration: runs on the stack and plots the drift from the stored translations', async () => {
    await page.getByRole('button', { name: '3 Registration' }).click();
    const panel = page.locator('.register-panel');
    await expect(panel.locator('input[name="register-2kV"]').isChecked()).resolves.toBe(true);
    await expect(panel.locator('select[name="register-reference"]').inputValue()).resolves.toBe('2kV');
    await panel.getByRole('button', { name: 'Run registration' }).click();
    expect(await jobEnd(page, 'Registering 2kV')).toBe('done');
    const result = panel.locator('.register-result[data-volume="2kV-reg"]');
    await result.waitFor();
    const reg = (await call<VolumeSummary[]>('listVolumes', undefined)).find((x) => x.name === '2kV-reg')!;
    const t = reg.metadata.translationsPx as { dx: number; dy: number }[];
    expect(t).toHaveLength(8);
    const largest = Math.max(...t.map((x) => Math.hypot(x.dx, x.dy)));
    await expect(result.locator('.result-line').textContent()).resolves.toContain(`Largest translation ${largest.toFixed(2)} px over 8 slices`);
    // The simulator's stacks do not drift, and its 64 x 72 px slices change more from one to the next
    // than unrelated images differ: no match is accepted, nothing applied, and the user is told.
    expect(reg.metadata.driftSignificant).toBe(false);
    expect(t.every((x) => x.dx === 0 && x.dy === 0)).toBe(true);
    await expect(result.locator('.drift-verdict').textContent()).resolves.toMatch(/^no significant drift found: .*slices kept as they are$/);
    const warnings = await result.locator('.register-warnings li').allTextContents();
    expect(warnings.some((w) => w.startsWith('no accepted match links slices'))).toBe(true);
    // dx (red) under dy (blue), both at 0.
    const [red, blue] = await colourCounts(result.locator('canvas'), ['#d94f3d', '#1c6ed6']);
    expect(red + blue).toBeGreaterThan(50);
    expect(blue).toBeGreaterThan(50);
    // Already registered: Run is disabled, with the reason.
    await expect(panel.getByRole('button', { name: 'Run registration' }).isDisabled()).resolves.toBe(true);
    await saveScreenshot(page, 'wizard-register.png');
    await panel.screenshot({ path: join(screenshotDir, 'wizard-register-part.png') });
    expect(pageErrors).toEqual([]);
  });
});
