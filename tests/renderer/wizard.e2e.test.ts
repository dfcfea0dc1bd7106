// The wizard end to end in Chromium with the REAL backend over the HTTP bridge:
// import a generated grey stack, segment it with Otsu, reconstruct the labels
// (cubic, through the signed distance), look at them in the orthoviews, and
// check that the UI answers while a slower job (the 2.5D test model) runs and
// that cancelling it leaves the volumes as they were (in a second project). Screenshots of every
// step go to out/screenshots/wizard-*.png (docs/user-guide.md uses them).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModels, type TestModels } from '../fixtures/onnx/models';
import { rendererBuilt, saveScreenshot, screenshotDir } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, writeGreyStack, type WizardSession } from './wizard-session';

// The small stack: 8 slices of 40 × 48 px, 5 nm pixels, 20 nm slices.
const NZ = 8;
const NY = 40;
const NX = 48;
const PX = 5;
const DZ = 20;
// The stack for the slow job: the 7-slice model tiles 16 px with 4 px overlap, one run per tile.
const BIG: [number, number, number] = [40, 256, 256]; // about 7 s of model time here: the UI checks take well under 1 s

/** A full-page screenshot, and the part from `from` to `to` (for docs/user-guide.md, kept small) as NAME-part.png. */
async function shots(page: Page, name: string, from: string, to: string): Promise<void> {
  await saveScreenshot(page, `${name}.png`);
  const box = (sel: string) =>
    page.locator(sel).first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
    });
  const a = await box(from);
  const b = await box(to);
  await page.screenshot({
    path: join(screenshotDir, `${name}-part.png`),
    fullPage: true,
    clip: { x: a.x - 6, y: a.y - 6, width: Math.max(a.width, b.width) + 12, height: b.y + b.height - a.y + 12 },
  });
}

const volumeNames = (page: Page) => page.locator('.volume-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-volume')));
/** What the 3D viewer's shader is given now (the viewer writes it on its canvas). */
const uniforms = async (page: Page) => JSON.parse((await page.locator('.viewer3d canvas').getAttribute('data-uniforms')) ?? '{}') as Record<string, unknown>;

/** Clicks the 3D view's screenshot button and counts the pixels of the PNG it saves that are not background. */
async function screenshotPixels(page: Page): Promise<{ name: string; drawn: number }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[name="viewer-screenshot"]').click()]);
  const drawn = await page.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 0x15) + Math.abs(d[i + 1] - 0x18) + Math.abs(d[i + 2] - 0x1d) > 12) n++;
    return n;
  }, download.url());
  await download.cancel();
  return { name: download.suggestedFilename(), drawn };
}

const canvasSize = (page: Page, sel: string) => page.locator(sel).evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);

describe.skipIf(!rendererBuilt('wizard e2e'))('wizard in Chromium with the real backend', () => {
  let models: TestModels;
  let session: WizardSession;
  let page: Page;
  let dir: string;
  let pageErrors: string[];

  beforeAll(async () => {
    models = buildTestModels();
    process.env.FIBRECON_MODELS_DIR = models.dir;
    session = await startWizardSession({ name: 'wizard', webgl: true });
    ({ page, dir, pageErrors } = session);
    await writeGreyStack(join(dir, 'grey.tif'), [NZ, NY, NX], { pixelNm: PX, sliceNm: DZ }, 4);
    await writeGreyStack(join(dir, 'big.tif'), BIG, { pixelNm: PX, sliceNm: DZ }, 5);
  });

  afterAll(async () => {
    await session?.close();
    models?.cleanup();
    delete process.env.FIBRECON_MODELS_DIR;
  });

  const importStack = (channel: string, file: string) => importStackInUi(page, channel, join(dir, file), { pixelSizeNm: PX, sliceSpacingNm: DZ });

  it('imports a grey stack: the step bar and the volume list show it', async () => {
    await createProjectInUi(page, join(dir, 'wizard.fibrecon'), 'Wizard sample');
    await expect(page.locator('.step-bar .step.current').textContent()).resolves.toBe('1 Import');
    await expect(page.locator('.step-bar .step:disabled').count()).resolves.toBe(0);
    await importStack('grey', 'grey.tif');
    const row = page.locator('tr[data-volume="grey"]');
    await expect(row.locator('.shape').textContent()).resolves.toBe(`${NZ} × ${NY} × ${NX}`);
    await expect(row.locator('.voxel').textContent()).resolves.toBe(`${PX} × ${PX} × ${DZ} nm`);
    await expect(row.locator('.kind').textContent()).resolves.toBe('grey (channel)');
    await shots(page, 'wizard-import', '.step-bar', '.volumes');
  });

  it('segments with Otsu: the run line, the new labels volume with its method, and a preview with overlay', async () => {
    await page.getByRole('button', { name: '4 Segmentation' }).click();
    const panel = page.locator('.segment-panel');
    // The step starts on auto, the recommendation: with nothing painted it chooses by measurement during the run.
    await expect(panel.locator('select[name="segment-method"]').inputValue()).resolves.toBe('auto');
    await expect(panel.locator('.method-text').textContent()).resolves.toMatch(/^auto \(recommended\): /);
    await expect(panel.locator('.auto-plan').getAttribute('data-kind')).resolves.toBe('measurement');
    await expect(panel.locator('.auto-plan').textContent()).resolves.toMatch(/^auto: chooses by measurement — the choice and the reason appear in the run log\/result\./);
    await expect(panel.locator('.will-run code').textContent()).resolves.toBe('segment --volume grey --method auto --out grey-auto');
    await panel.locator('select[name="segment-method"]').selectOption('multi-otsu');
    await expect(panel.locator('.method-text').textContent()).resolves.toMatch(/the middle one is taken as shine-through and set to pore/);
    await panel.locator('select[name="segment-method"]').selectOption('model');
    await expect(panel.locator('select[name="segment-model"] option').allTextContents()).resolves.toContain('window7 — segmentation-2.5d, input window 7 slices, tile 16 px');
    await expect(panel.locator('.will-run code').textContent()).resolves.toMatch(/--method model --model \S+ --ep auto --out grey-/);
    await panel.locator('select[name="segment-method"]').selectOption('otsu');
    await expect(panel.locator('.will-run code').textContent()).resolves.toBe('segment --volume grey --method otsu --out grey-otsu');
    await panel.getByRole('button', { name: 'Run segmentation' }).click();
    expect(await jobEnd(page, 'grey-otsu')).toBe('done');

    const row = page.locator('tr[data-volume="grey-otsu"]');
    await row.waitFor();
    await expect(row.locator('.shape').textContent()).resolves.toBe(`${NZ} × ${NY} × ${NX}`);
    await expect(row.locator('.kind').textContent()).resolves.toBe('labels');
    await expect(row.locator('.how').textContent()).resolves.toMatch(/^otsu · from grey · thresholds \d+/);
    await expect(panel.locator('.result-line').textContent()).resolves.toMatch(/^"grey-otsu" \(8 × 40 × 48, labels\): otsu, thresholds \d+/);

    // Preview: the grey slice with the labels over it, and the label slice.
    const grey = panel.locator('.preview-grey canvas');
    await grey.waitFor();
    await panel.locator('.preview-labels canvas').waitFor();
    await expect(grey.getAttribute('data-index')).resolves.toBe(String(NZ / 2));
    const colourful = () =>
      grey.evaluate((c) => {
        const cv = c as HTMLCanvasElement;
        const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height - 30).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 2]) n++; // grey has r = b; the amber overlay does not
        return n;
      });
    await panel.locator('input[name="preview-opacity"]').fill('0');
    await expect.poll(colourful).toBe(0);
    await panel.locator('input[name="preview-opacity"]').fill('80');
    await expect.poll(colourful).toBeGreaterThan(100);
    await shots(page, 'wizard-segmentation', '.step-bar', '.volumes');

    // The next default name is free; a taken one is refused before anything runs.
    await expect(panel.locator('input[name="segment-out"]').inputValue()).resolves.toBe('grey-otsu-2');
    await panel.locator('input[name="segment-out"]').fill('grey-otsu');
    await expect(panel.locator('.field-error').textContent()).resolves.toBe('The project already has a volume named "grey-otsu": choose another output name.');
    await expect(panel.getByRole('button', { name: 'Run segmentation' }).isDisabled()).resolves.toBe(true);
  });

  it('reconstructs the labels (cubic): the result line from the metadata and the xz plane in its physical aspect', async () => {
    await page.getByRole('button', { name: '5 Reconstruction' }).click();
    const panel = page.locator('.reconstruct-panel');
    await expect(panel.locator('select[name="reconstruct-volume"]').inputValue()).resolves.toBe('grey-otsu');
    await expect(panel.locator('select[name="reconstruct-interpolant"]').inputValue()).resolves.toBe('distance');
    await expect(panel.locator('.hint', { hasText: 'pixel size' }).textContent()).resolves.toBe(`default ${PX} nm (the pixel size)`);
    // The literature baselines are in the list once "Compare with the literature" is open; plain words, the paper's terms in the tooltip.
    await panel.locator('.literature-fold summary').click();
    await panel.locator('select[name="reconstruct-method"]').selectOption('srcs');
    await expect(panel.locator('.method-text').textContent()).resolves.toMatch(/^For comparison with the literature: every slice is snapped onto the grid/);
    await expect(panel.locator('.method-text').getAttribute('title')).resolves.toMatch(/^SRCS baseline \(from \[Sardhara2023\]\)/);
    await expect(panel.locator('select[name="reconstruct-interpolant"]').count()).resolves.toBe(0);
    await panel.locator('select[name="reconstruct-method"]').selectOption('cubic');
    await expect(panel.locator('.will-run code').textContent()).resolves.toBe(
      `reconstruct --volume grey-otsu --method cubic --grid-nm ${PX} --binary-interpolant distance --out grey-otsu-cubic`,
    );
    await panel.getByRole('button', { name: 'Run reconstruction' }).click();
    expect(await jobEnd(page, 'grey-otsu-cubic')).toBe('done');

    // Evenly spaced slices (z = 0, 20, …, 140 nm) on a 5 nm grid: 140 / 5 + 1 planes, none moved.
    const planes = ((NZ - 1) * DZ) / PX + 1;
    const line = panel.locator('.result-line');
    await expect(line.textContent()).resolves.toMatch(
      new RegExp(`^"grey-otsu-cubic": ${planes} planes of ${PX} nm from ${NZ} slices \\(cubic\\); 0 slice\\(s\\) moved .*; 0 slice\\(s\\) lost; \\d+ hole voxel\\(s\\) filled; binary via signed distance\\.$`),
    );
    await expect(page.locator('tr[data-volume="grey-otsu-cubic"] .shape').textContent()).resolves.toBe(`${planes} × ${NY} × ${NX}`);
    await expect(page.locator('tr[data-volume="grey-otsu-cubic"] .voxel').textContent()).resolves.toBe(`${PX} × ${PX} × ${PX} nm`);

    const after = panel.locator('.preview-xz canvas');
    await after.waitFor();
    await expect(after.getAttribute('data-plane-size')).resolves.toBe(`${NX}x${planes}`);
    const [aw, ah] = await canvasSize(page, '.preview-xz canvas');
    expect(Math.abs(ah / aw - (planes * PX) / (NX * PX))).toBeLessThan(1.5 / aw);
    // Before: 8 measured slices of 20 nm over 48 px of 5 nm: the same physical aspect (± one voxel).
    const [bw, bh] = await canvasSize(page, '.preview-before canvas');
    expect(Math.abs(bh / bw - (NZ * DZ) / (NX * PX))).toBeLessThan(1.5 / bw);
    await shots(page, 'wizard-reconstruction', '.reconstruct-panel', '.volumes');
  });

  it('orthoviews: physical aspect, a click in xz moves the xy slice, keys step it, labels overlay', async () => {
    await page.getByRole('button', { name: 'View grey', exact: true }).click();
    const views = page.locator('.ortho-views[data-volume="grey"]');
    await views.waitFor();
    const xy = views.locator('.ortho-xy canvas');
    const xz = views.locator('.ortho-xz canvas');
    await xz.waitFor();
    await expect(xy.getAttribute('data-index')).resolves.toBe(String(NZ / 2));
    const [w, h] = await canvasSize(page, '.ortho-xz canvas');
    expect(Math.abs(h / w - (NZ * DZ) / (NX * PX))).toBeLessThan(1.5 / w);
    const [yzW, yzH] = await canvasSize(page, '.ortho-yz canvas');
    expect(Math.abs(yzH / yzW - (NZ * DZ) / (NY * PX))).toBeLessThan(1.5 / yzW);

    // Click in the xz view at 25 % across and in the 8th (last) slice: x = 12, z = 7.
    const box = (await xz.boundingBox())!;
    await xz.click({ position: { x: box.width * 0.25 + 1, y: box.height * (7.5 / NZ) } });
    await expect.poll(() => xy.getAttribute('data-index')).toBe('7');
    await expect(views.locator('.cursor-z').textContent()).resolves.toBe('z 7');
    await expect(views.locator('.cursor-x').textContent()).resolves.toBe('x 12');
    await expect.poll(() => views.locator('.ortho-yz canvas').getAttribute('data-index')).toBe('12');
    await expect(views.locator('.cursor-readout').textContent()).resolves.toMatch(/x 60 nm, y 100 nm, z 140 nm/);

    await views.focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => xy.getAttribute('data-index')).toBe('6');
    // Page keys move 10 slices (clamped to the stack), Home / End to the first / last.
    await page.keyboard.press('PageUp');
    await expect.poll(() => xy.getAttribute('data-index')).toBe('0');
    await page.keyboard.press('End');
    await expect.poll(() => xy.getAttribute('data-index')).toBe(String(NZ - 1));
    await page.keyboard.press('Home');
    await expect.poll(() => xy.getAttribute('data-index')).toBe('0');
    await page.keyboard.press('PageDown');
    await expect.poll(() => xy.getAttribute('data-index')).toBe(String(Math.min(10, NZ - 1)));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => xy.getAttribute('data-index')).toBe(String(Math.min(10, NZ - 1) - 1));
    await expect(views.locator('.scale-bar-label').first().textContent()).resolves.toMatch(/^scale bar (10|20|50|100|200) nm$/);

    await views.locator('select[name="ortho-overlay"]').selectOption('grey-otsu');
    await views.locator('input[name="window-low"]').fill('40');
    await shots(page, 'wizard-orthoviews', '.ortho-views', '.ortho-views');
  });

  it('3D view: shows the reconstructed labels on request, as an isosurface; the controls reach the viewer', async () => {
    await page.getByRole('button', { name: 'View grey-otsu-cubic', exact: true }).click();
    const slot = page.locator('.viewer3d-slot');
    await slot.getByRole('button', { name: 'Show grey-otsu-cubic in 3D' }).click();
    await slot.locator('.viewer3d canvas, .viewer-3d-error').first().waitFor({ timeout: 30_000 });
    await expect(slot.locator('.viewer-3d-error').count()).resolves.toBe(0);
    await expect(slot.locator('.viewer3d-info').textContent()).resolves.toBe(`grey-otsu-cubic: ${((NZ - 1) * DZ) / PX + 1} × ${NY} × ${NX} voxels of 5 × 5 × 5 nm`);
    await expect(slot.locator('select[name="viewer-mode"]').inputValue()).resolves.toBe('isosurface');
    const [w, h] = await canvasSize(page, '.viewer3d canvas');
    expect(w).toBeGreaterThan(100);
    expect(h).toBeGreaterThan(100);
    // Labels: no iso level to choose (the surface is the solid/pore boundary).
    await expect(slot.locator('input[name="viewer-iso"]').count()).resolves.toBe(0);
    await expect.poll(() => uniforms(page)).toMatchObject({ mode: 1, iso: 0.5, clipMin: [0, 0, 0], clipMax: [1, 1, 1] });
    const whole = await screenshotPixels(page);
    expect(whole.name).toBe('grey-otsu-cubic-3d.png');
    expect(whole.drawn).toBeGreaterThan(2000);
    await page.waitForTimeout(300);
    await shots(page, 'wizard-3d', '.viewer3d-slot', '.viewer3d-slot');

    // Clip x to its first half: the uniforms say so, and about half of the drawn pixels go.
    await slot.locator('input[name="clip-x-max"]').fill('50');
    await expect.poll(() => uniforms(page)).toMatchObject({ clipMin: [0, 0, 0], clipMax: [0.5, 1, 1] });
    await expect(slot.locator('.clip-axis[data-axis="x"] .clip-label').textContent()).resolves.toBe('x 0–50 %');
    const half = await screenshotPixels(page);
    expect(half.drawn).toBeLessThan(whole.drawn * 0.75);
    expect(half.drawn).toBeGreaterThan(whole.drawn * 0.25);
    // A min beyond the max pushes the max along.
    await slot.locator('input[name="clip-z-min"]').fill('30');
    await slot.locator('input[name="clip-z-max"]').fill('20');
    await expect.poll(() => uniforms(page)).toMatchObject({ clipMin: [0, 0, 0.2], clipMax: [0.5, 1, 0.2] });
    await slot.locator('input[name="clip-z-min"]').fill('0');
    await slot.locator('input[name="clip-z-max"]').fill('100');
    await slot.locator('select[name="viewer-mode"]').selectOption('volume');
    await expect.poll(() => uniforms(page)).toMatchObject({ mode: 0, clipMin: [0, 0, 0], clipMax: [0.5, 1, 1] });
  });

  it('3D view of a grey volume: volume rendering first; as an isosurface its level is chosen in grey values', async () => {
    await page.getByRole('button', { name: 'View grey', exact: true }).click();
    const slot = page.locator('.viewer3d-slot');
    await slot.getByRole('button', { name: 'Show grey in 3D' }).click();
    await expect.poll(() => slot.getAttribute('data-volume')).toBe('grey');
    await expect(slot.locator('select[name="viewer-mode"]').inputValue()).resolves.toBe('volume');
    // A new volume starts with the whole box.
    await expect.poll(() => uniforms(page)).toMatchObject({ mode: 0, clipMin: [0, 0, 0], clipMax: [1, 1, 1] });
    await expect(slot.locator('input[name="viewer-iso"]').count()).resolves.toBe(0);
    await slot.locator('select[name="viewer-mode"]').selectOption('isosurface');
    const before = await screenshotPixels(page);
    await slot.locator('input[name="viewer-iso"]').fill('250');
    await expect.poll(async () => (await uniforms(page)).iso).toBeCloseTo(250 / 255, 6);
    // uint8 goes to the GPU as stored (0..255): the level shown is the grey value itself.
    await expect(slot.locator('.viewer-iso-value').textContent()).resolves.toBe('250');
    const after = await screenshotPixels(page);
    expect(after.drawn).not.toBe(before.drawn);
  });

  it('stays responsive while a model segments a bigger stack; cancelling leaves the volumes unchanged', async () => {
    // Channels of one sample share their size: the big stack is another sample, another project.
    await page.getByRole('button', { name: 'Close project' }).click();
    await createProjectInUi(page, join(dir, 'big.fibrecon'));
    await expect(page.locator('.step-bar .step.current').textContent()).resolves.toBe('1 Import');
    await importStack('big', 'big.tif');
    await page.getByRole('button', { name: '4 Segmentation' }).click();
    const panel = page.locator('.segment-panel');
    await panel.locator('select[name="segment-volume"]').selectOption('big');
    await panel.locator('select[name="segment-method"]').selectOption('model');
    await panel.locator('select[name="segment-model"]').selectOption('window7');
    await panel.locator('select[name="segment-ep"]').selectOption('cpu');
    const before = await volumeNames(page);
    await panel.getByRole('button', { name: 'Run segmentation' }).click();
    await page.locator('.job-progress[data-status="running"]').waitFor();
    const started = Date.now();

    // While it runs: switch steps, and move the orthoviews (the backend answers getPlane meanwhile).
    await page.getByRole('button', { name: '5 Reconstruction' }).click();
    await page.locator('.reconstruct-panel').waitFor({ timeout: 2000 });
    await page.getByRole('button', { name: 'View big', exact: true }).click();
    const xy = page.locator('.ortho-views[data-volume="big"] .ortho-xy canvas');
    await xy.waitFor({ timeout: 5000 });
    await page.locator('.ortho-views[data-volume="big"] input[name="slice-xy"]').fill('3');
    await expect.poll(() => xy.getAttribute('data-index'), { timeout: 5000 }).toBe('3');
    const answeredMs = Date.now() - started;
    expect(await page.locator('.job-progress').getAttribute('data-status'), `the job ended before the UI was checked (${answeredMs} ms): make BIG larger`).toBe('running');
    await expect(page.locator('.job-progress progress').evaluate((p) => (p as HTMLProgressElement).value)).resolves.toBeLessThan(1);
    await shots(page, 'wizard-job-running', '.job-progress', '.job-progress');

    await page.locator('.job-progress').getByRole('button', { name: 'Cancel' }).click();
    expect(await jobEnd(page, 'big-window7')).toBe('cancelled');
    // Give a (wrong) refresh time to happen, then compare.
    await page.waitForTimeout(300);
    expect(await volumeNames(page)).toEqual(before);
    expect(pageErrors).toEqual([]);
  });
});
