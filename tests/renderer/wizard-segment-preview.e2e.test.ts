// The Segmentation step's "Preview on slice z" in Chromium with the real backend:
// Otsu and the shipped model unet2d-2kv on one slice of a synthetic 2 kV stack.
// The overlay canvas (opacity 100 %) must show solid exactly where the backend's
// labels of that slice are solid, the text the whole-stack threshold, and no
// volume is written until the run.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentPreview, VolumeSummary } from '../../src-shared/contract';
import { LABEL_COLOUR } from '../../src-renderer/components/overlay';
import { rendererBuilt, saveScreenshot } from './chromium';
import { createProjectInUi, importStackInUi, startWizardSession, synthSample, type WizardSession } from './wizard-session';

const NZ = 8;

async function canvasRgba(canvas: Locator): Promise<{ w: number; h: number; data: number[] }> {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    return { w: c.width, h: c.height, data: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data) };
  });
}

/** Per plane pixel (sampled at its centre, top three quarters: the scale bar is at the bottom): is it drawn in the label colour? */
async function solidShown(canvas: Locator, NX: number, NY: number): Promise<{ shown: boolean[]; index: number[] }> {
  const { w, h, data } = await canvasRgba(canvas);
  const shown: boolean[] = [];
  const index: number[] = [];
  for (let y = 0; y < Math.floor(NY * 0.75); y++) {
    for (let x = 0; x < NX; x++) {
      const cx = Math.floor(((x + 0.5) * w) / NX);
      const cy = Math.floor(((y + 0.5) * h) / NY);
      const o = (cy * w + cx) * 4;
      shown.push(data[o] === LABEL_COLOUR[0] && data[o + 1] === LABEL_COLOUR[1] && data[o + 2] === LABEL_COLOUR[2]);
      index.push(y * NX + x);
    }
  }
  return { shown, index };
}

describe.skipIf(!rendererBuilt('segmentation preview e2e'))('Segmentation preview on one slice in Chromium', () => {
  let session: WizardSession;
  let page: Page;

  beforeAll(async () => {
    delete process.env.FIBRECON_MODELS_DIR;
    session = await startWizardSession({ name: 'segment-preview' });
    page = session.page;
    const sample = await synthSample(session.dir, { columns: 64, rows: 48, slices: NZ });
    await createProjectInUi(page, join(session.dir, 'preview.fibrecon'));
    const two = sample.files.stacks.find((s) => s.beam.energyKeV === 2)!;
    await importStackInUi(page, '2kV', two.path);
    await page.getByRole('button', { name: '4 Segmentation' }).click();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const check = async (req: Record<string, unknown>, z: number): Promise<SegmentPreview> => {
    const panel = page.locator('.segment-panel');
    await panel.locator('input[name="segment-preview-z"]').fill(String(z));
    await panel.getByRole('button', { name: `Preview on slice z ${z}` }).click();
    const result = panel.locator(`.segment-preview-result[data-z="${z}"]`);
    await result.waitFor({ timeout: 60_000 });
    await panel.locator('input[name="segment-preview-opacity"]').fill('100');
    await expect(panel.locator('.segment-preview-result label.inline').textContent()).resolves.toBe('Overlay opacity 100 %');
    // The backend's labels of the same slice, asked independently.
    const r = await session.backend.call('previewSegmentation', { volume: '2kV', z, ...req });
    if (!r.ok) throw new Error(r.error.message);
    const p = r.value as SegmentPreview;
    const [NX, NY] = [p.width, p.height];
    const labels = Buffer.from(p.labelsBase64, 'base64');
    expect(labels.length).toBe(NX * NY);
    const overlay = result.locator('.segment-preview-overlay canvas');
    await expect(overlay.getAttribute('data-plane-size')).resolves.toBe(`${NX}x${NY}`);
    const { shown, index } = await solidShown(overlay, NX, NY);
    const expected = index.map((i) => labels[i] === 1);
    const solidCount = expected.filter(Boolean).length;
    expect(solidCount).toBeGreaterThan(100);
    expect(solidCount).toBeLessThan(index.length - 100);
    expect(shown.filter(Boolean).length).toBe(solidCount);
    expect(shown).toEqual(expected);
    // The labels-only canvas: white where solid.
    const { w, h, data } = await canvasRgba(result.locator('.segment-preview-labels canvas'));
    const white = index.filter((i) => {
      const [x, y] = [i % NX, Math.floor(i / NX)];
      const o = (Math.floor(((y + 0.5) * h) / NY) * w + Math.floor(((x + 0.5) * w) / NX)) * 4;
      return data[o] === 255;
    });
    expect(white.length).toBe(solidCount);
    return p;
  };

  it('Otsu: the overlay shows the backend\'s labels of slice z, the text the whole-stack threshold; nothing is stored', async () => {
    // The step starts on auto: Otsu is chosen first.
    await page.locator('.segment-panel select[name="segment-method"]').selectOption('otsu');
    const p = await check({ method: 'otsu' }, 3);
    const text = await page.locator('.segment-preview-result .preview-what').textContent();
    expect(text).toContain(`threshold ${p.thresholds![0]} (grey value) computed from the histogram of the whole stack (all ${NZ} slices)`);
    expect(text).toContain(`solid ${(100 * p.solidFraction).toFixed(1)} % of slice z 3 (${p.width} x ${p.height} px)`);
    const vols = await session.backend.call('listVolumes', undefined);
    expect(vols.ok && (vols.value as VolumeSummary[]).map((v) => v.name)).toEqual(['2kV']);
    await saveScreenshot(page, 'wizard-segmentation-preview-otsu.png');
  }, 120_000);

  it('model unet2d-2kv: the preview on slice z shows the model\'s labels and what it read', async () => {
    const panel = page.locator('.segment-panel');
    await panel.locator('select[name="segment-method"]').selectOption('model');
    await panel.locator('select[name="segment-model"]').selectOption('unet2d-2kv');
    await panel.locator('select[name="segment-ep"]').selectOption('cpu');
    const p = await check({ method: 'model', model: 'unet2d-2kv', ep: 'cpu' }, 5);
    await expect(page.locator('.segment-preview-result .preview-what').textContent()).resolves.toMatch(/^Model unet2d-2kv on CPU, read slice z 5 only: solid /);
    expect(p.slicesRead).toEqual([5, 5]);
    await saveScreenshot(page, 'wizard-segmentation-preview-model.png');
  }, 120_000);
});
