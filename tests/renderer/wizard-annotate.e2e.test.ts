// The Segmentation step's Annotate mode and the pixel classifier in Chromium
// with the REAL backend: a synthetic grey stack (8 x 64 x 64, bright solid,
// dark pores and two pores filled with a mid grey like shine-through) is
// imported; the pixel classifier is chosen; pore and solid strokes are painted
// by mouse on the xy orthoview; the counts shown and the pixels stored are
// checked against a brute-force brush; the live preview must show the
// backend's labels of the slice and change when a stroke teaches it the mid
// grey; Ctrl+Z takes the stroke back; zoom and Shift+drag still work and a
// stroke under zoom lands on the voxels the view says; the run over the whole
// volume writes the labels and the uncertainty volume. Screenshots:
// out/screenshots/wizard-annotate*.png, or docs/images/wizard-annotate.png and
// wizard-annotate-preview.png (the user guide) when FIBRECON_DOC_SCREENSHOTS=1.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotationSliceImage, AnnotationSummary, SegmentPreview, VolumeSummary } from '../../src-shared/contract';
import { writeTiffStack } from '../../src-main/tiff-write';
import { REPO } from '../cli/run-cli';
import { rendererBuilt, saveScreenshot, screenshotDir } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, type WizardSession } from './wizard-session';

const [NZ, NY, NX] = [8, 64, 64];
const DOC_IMAGES = process.env.FIBRECON_DOC_SCREENSHOTS === '1' ? join(REPO, 'docs', 'images') : screenshotDir;
const DISC_R = 9;
/** Pores: dark (grey 40) and filled with a mid grey (120, like shine-through); solid 200 around them. */
const DARK: [number, number][] = [
  [14, 14],
  [50, 50],
];
const SHINE: [number, number][] = [
  [50, 14],
  [14, 50],
];
const PORE = 1;
const SOLID = 2;

function greyStack(): Uint8Array[] {
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return ((seed >>> 16) % 25) - 12;
  };
  const inDisc = (x: number, y: number, c: [number, number]) => (x - c[0]) ** 2 + (y - c[1]) ** 2 <= DISC_R * DISC_R;
  return Array.from({ length: NZ }, () => {
    const s = new Uint8Array(NY * NX);
    for (let y = 0; y < NY; y++) {
      for (let x = 0; x < NX; x++) {
        const base = DARK.some((c) => inDisc(x, y, c)) ? 40 : SHINE.some((c) => inDisc(x, y, c)) ? 120 : 200;
        s[y * NX + x] = base + noise();
      }
    }
    return s;
  });
}

/** Brute force: the pixels whose centre lies within r of the segment a-b (what a brush stroke must paint). */
function brushPixels(a: [number, number], b: [number, number], r: number): Set<number> {
  const out = new Set<number>();
  for (let y = 0; y < NY; y++) {
    for (let x = 0; x < NX; x++) {
      const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
      if ((a[0] + t * dx - x) ** 2 + (a[1] + t * dy - y) ** 2 <= r * r) out.add(y * NX + x);
    }
  }
  return out;
}

/** Fraction of the pixels within `radius` of `c` that `labels` (0 pore / 1 solid) calls solid. */
function solidShare(labels: Uint8Array, c: [number, number], radius: number): number {
  let n = 0;
  let solid = 0;
  for (let y = 0; y < NY; y++) {
    for (let x = 0; x < NX; x++) {
      if ((x - c[0]) ** 2 + (y - c[1]) ** 2 > radius * radius) continue;
      n++;
      solid += labels[y * NX + x];
    }
  }
  return solid / n;
}

describe.skipIf(!rendererBuilt('annotate e2e'))('Annotate mode and the pixel classifier in Chromium', () => {
  let session: WizardSession;
  let page: Page;
  let xy: Locator;
  /** What slice 4 should hold: class per pixel index, as the strokes so far paint it. */
  const expected = new Map<number, number>();

  const call = async <T,>(method: 'annotationSummary' | 'annotationSlice' | 'previewSegmentation' | 'listVolumes', req?: unknown): Promise<T> => {
    const r = await session.backend.call(method, req);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as T;
  };
  const summary = () => call<AnnotationSummary>('annotationSummary', { volume: 'grey' });
  const storedPlane = async (z: number) => {
    const s = await call<AnnotationSliceImage>('annotationSlice', { volume: 'grey', z });
    return s.labelsBase64 === null ? new Uint8Array(NX * NY) : new Uint8Array(Buffer.from(s.labelsBase64, 'base64'));
  };
  const backendPreview = async (z: number) => {
    const p = await call<SegmentPreview>('previewSegmentation', { volume: 'grey', z, method: 'pixel-classifier' });
    return { p, labels: new Uint8Array(Buffer.from(p.labelsBase64, 'base64')) };
  };
  /** Screen position of voxel (x, y)'s centre on the xy view under its zoom and pan (sx = (fx − cx) · zoom + ½). */
  const screenOf = async (x: number, y: number) => {
    const box = (await xy.boundingBox())!;
    const zoom = Number(await xy.getAttribute('data-zoom'));
    const [cx, cy] = ((await xy.getAttribute('data-view-centre')) ?? '').split(',').map(Number);
    const sx = ((x + 0.5) / NX - cx) * zoom + 0.5;
    const sy = ((y + 0.5) / NY - cy) * zoom + 0.5;
    return { x: box.x + sx * box.width, y: box.y + sy * box.height };
  };
  /** One brush stroke by mouse from voxel a to voxel b; waits until the backend stored it (the version moved on). */
  const stroke = async (a: [number, number], b: [number, number]) => {
    const before = (await summary()).version;
    // The slice's annotation is read before a stroke can start; the view must be on screen.
    await page.locator(`.annotate-tools[data-plane-z="${await xy.getAttribute('data-index')}"]`).waitFor();
    await xy.scrollIntoViewIfNeeded();
    const p = await screenOf(...a);
    const q = await screenOf(...b);
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    await page.mouse.move(q.x, q.y, { steps: 1 });
    await page.mouse.up();
    await expect.poll(async () => (await summary()).version, { timeout: 10_000 }).toBeGreaterThan(before);
    await page.locator('.annotate-tools[data-sending="0"]').waitFor();
  };
  const paintExpected = (a: [number, number], b: [number, number], r: number, label: number) => {
    for (const i of brushPixels(a, b, r)) expected.set(i, label);
  };
  const expectedCount = (label: number) => [...expected.values()].filter((v) => v === label).length;
  const shownCount = (label: number) => page.locator(`.annotation-counts tr[data-class="${label}"] .count`).textContent().then(Number);
  const previewShown = (version: number) => page.locator(`.classifier-preview[data-version="${version}"][data-z="4"]`).waitFor({ timeout: 30_000 });

  beforeAll(async () => {
    session = await startWizardSession({ name: 'annotate' });
    page = session.page;
    await page.setViewportSize({ width: 1280, height: 1000 });
    const stack = join(session.dir, 'grey.tif');
    await writeTiffStack(stack, { shape: [NZ, NY, NX], dtype: 'uint8', voxelSizeNm: { x: 5, y: 5, z: 10 } }, greyStack());
    await createProjectInUi(page, join(session.dir, 'annotate.fibrecon'));
    await importStackInUi(page, 'grey', stack);
    await page.getByRole('button', { name: '4 Segmentation' }).click();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('the method list names the pixel classifier; choosing it turns Annotate on for the xy orthoview', async () => {
    const method = page.locator('select[name="segment-method"]');
    await expect(method.locator('option[value="pixel-classifier"]').textContent()).resolves.toBe('Pixel classifier (learns from your annotations)');
    await method.selectOption('pixel-classifier');
    await expect(page.locator('.segment-panel .method-text').textContent()).resolves.toMatch(/^Pixel classifier: learns from the pore and solid strokes/);
    await page.locator('.annotate-panel[data-volume="grey"]').waitFor();
    await expect(page.locator('.segment-panel button[type="submit"]').isDisabled()).resolves.toBe(true);
    const views = page.locator('.ortho-views[data-volume="grey"]');
    await views.locator('.annotate-tools').waitFor();
    xy = views.locator('.ortho-xy canvas');
    await expect(xy.getAttribute('data-index')).resolves.toBe(String(NZ / 2));
    await expect(xy.getAttribute('class')).resolves.toBe('paintable');
    await page.locator('.annotated-slices', { hasText: 'none yet' }).waitFor();
    // Keys: class, tools, brush radius.
    await page.keyboard.press('2');
    await expect(page.locator('.annotate-tools').getAttribute('data-label')).resolves.toBe('2');
    await page.keyboard.press('e');
    await expect(page.locator('.annotate-tools').getAttribute('data-tool')).resolves.toBe('eraser');
    await page.keyboard.press('f');
    await expect(page.locator('.annotate-tools').getAttribute('data-tool')).resolves.toBe('fill');
    await page.keyboard.press('1');
    await page.keyboard.press('b');
    await page.locator('input[name="annotate-radius"]').fill('4');
    await page.keyboard.press('[');
    await page.keyboard.press('[');
    const tools = page.locator('.annotate-tools');
    expect([await tools.getAttribute('data-tool'), await tools.getAttribute('data-label'), await tools.getAttribute('data-radius')]).toEqual(['brush', '1', '2']);
    await page.locator('.annotate-tools').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  }, 60_000);

  it('pore and solid strokes by mouse: counts shown and pixels stored match a brute-force brush', async () => {
    const pore: [number, number][][] = [
      [
        [8, 14],
        [20, 14],
      ],
      [
        [44, 50],
        [56, 50],
      ],
    ];
    for (const [a, b] of pore) {
      await stroke(a, b);
      paintExpected(a, b, 2, PORE);
    }
    await expect.poll(() => shownCount(PORE)).toBe(expectedCount(PORE));
    await expect(page.locator('.classifier-preview .preview-message').textContent()).resolves.toBe('Paint solid strokes too: the classifier learns from both classes.');
    await page.keyboard.press('2');
    const solid: [number, number][][] = [
      [
        [26, 30],
        [38, 30],
      ],
      [
        [26, 58],
        [38, 58],
      ],
    ];
    for (const [a, b] of solid) {
      await stroke(a, b);
      paintExpected(a, b, 2, SOLID);
    }
    await expect.poll(() => shownCount(SOLID)).toBe(expectedCount(SOLID));
    await expect(shownCount(PORE)).resolves.toBe(expectedCount(PORE));
    const s = await summary();
    expect(s.totals).toEqual({ [PORE]: expectedCount(PORE), [SOLID]: expectedCount(SOLID) });
    expect(s.slices.map((x) => x.z)).toEqual([4]);
    // Pixel for pixel: the stored plane is what the brute-force brush paints.
    const plane = await storedPlane(4);
    const want = new Uint8Array(NX * NY);
    for (const [i, v] of expected) want[i] = v;
    expect(Array.from(plane)).toEqual(Array.from(want));
    await page.locator('.annotated-slices button[data-z="4"]').waitFor();
  }, 60_000);

  it('the live preview shows the backend\'s labels of the slice and changes when a stroke teaches it the mid grey', async () => {
    const v1 = (await summary()).version;
    await previewShown(v1);
    const { p, labels } = await backendPreview(4);
    const shown = page.locator('.classifier-preview');
    await expect(shown.getAttribute('data-solid-fraction')).resolves.toBe(String(p.solidFraction));
    expect(p.classifier?.painted).toBe(expectedCount(PORE) + expectedCount(SOLID));
    // Dark pores pore, the solid between them solid.
    for (const c of DARK) expect(solidShare(labels, c, DISC_R - 2)).toBeLessThan(0.05);
    expect(solidShare(labels, [32, 40], 3)).toBeGreaterThan(0.95);
    const estimate = p.classifier!.estimate!;
    const line = await shown.locator('.classifier-estimate').textContent();
    expect(line).toContain(`on ${estimate.pixels} painted pixels`);
    expect(line).toContain(`MP ${estimate.mpPercent!.toFixed(1)} %, MGP ${estimate.mgpPercent!.toFixed(1)} %`);
    // One annotated slice: strips of it held out, no whole-slice estimate yet.
    expect(estimate.wholeSliceMpPercent).toBeNull();
    expect(line).toMatch(/^Estimated from your annotations \(strips of the only annotated slice held out/);
    await expect(shown.locator('.classifier-preview-labels canvas').getAttribute('data-plane-size')).resolves.toBe(`${NX}x${NY}`);

    // Paint the first mid-grey pore with the class the classifier does NOT give it: the other one must follow.
    const before = solidShare(labels, SHINE[1], DISC_R - 2);
    const teach = solidShare(labels, SHINE[0], DISC_R - 2) >= 0.5 ? PORE : SOLID;
    await page.keyboard.press(String(teach));
    const a: [number, number] = [SHINE[0][0] - 5, SHINE[0][1]];
    const b: [number, number] = [SHINE[0][0] + 5, SHINE[0][1]];
    await stroke(a, b);
    paintExpected(a, b, 2, teach);
    const v2 = (await summary()).version;
    expect(v2).toBeGreaterThan(v1);
    await previewShown(v2);
    const after = await backendPreview(4);
    await expect(shown.getAttribute('data-solid-fraction')).resolves.toBe(String(after.p.solidFraction));
    const now = solidShare(after.labels, SHINE[1], DISC_R - 2);
    if (teach === SOLID) expect(now - before).toBeGreaterThan(0.5);
    else expect(before - now).toBeGreaterThan(0.5);
    expect(after.p.solidFraction).not.toBe(p.solidFraction);

    // The uncertainty map on request.
    await shown.locator('input[name="classifier-show-uncertainty"]').check();
    await expect(shown.locator('.classifier-preview-uncertainty canvas').getAttribute('data-plane-size')).resolves.toBe(`${NX}x${NY}`);
    await expect(page.locator('input[name="annotate-show-uncertainty"]').isChecked()).resolves.toBe(true);
    await saveScreenshot(page, 'wizard-annotate-full.png');
    await shown.locator('input[name="classifier-show-uncertainty"]').uncheck();
    await page.locator('.annotate-tools').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  }, 90_000);

  it('Ctrl+Z takes the last stroke back (counts and stored pixels)', async () => {
    const before = await summary();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await summary()).version).toBeGreaterThan(before.version);
    for (const i of brushPixels([SHINE[0][0] - 5, SHINE[0][1]], [SHINE[0][0] + 5, SHINE[0][1]], 2)) expected.delete(i);
    await expect.poll(() => shownCount(PORE)).toBe(expectedCount(PORE));
    await expect.poll(() => shownCount(SOLID)).toBe(expectedCount(SOLID));
    const plane = await storedPlane(4);
    const want = new Uint8Array(NX * NY);
    for (const [i, v] of expected) want[i] = v;
    expect(Array.from(plane)).toEqual(Array.from(want));
  }, 60_000);

  it('zoomed and panned: a stroke lands where the view says, Shift+drag pans without painting; the slice list goes back', async () => {
    // Slice 2, zoomed in 2x about the view's middle.
    await page.locator('input[name="slice-xy"]').fill('2');
    await expect.poll(() => xy.getAttribute('data-index')).toBe('2');
    await page.locator('.annotate-tools[data-sending="0"]').waitFor();
    // Pore on slice 2 too, including the mid grey (shine-through is pore).
    await page.keyboard.press(String(PORE));
    await stroke([DARK[1][0] - 5, DARK[1][1]], [DARK[1][0] + 5, DARK[1][1]]);
    await stroke([SHINE[1][0] - 5, SHINE[1][1]], [SHINE[1][0] + 5, SHINE[1][1]]);
    const box = (await xy.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -100);
    await expect.poll(async () => Number(await xy.getAttribute('data-zoom'))).toBeCloseTo(2, 9);
    // Shift+drag: the view pans, nothing is painted.
    const version = (await summary()).version;
    const centre = await xy.getAttribute('data-view-centre');
    await page.keyboard.down('Shift');
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2 + 20, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(() => xy.getAttribute('data-view-centre')).not.toBe(centre);
    // A solid stroke at voxels computed from the zoom and the new centre.
    await page.keyboard.press(String(SOLID));
    const [cx, cy] = ((await xy.getAttribute('data-view-centre')) ?? '').split(',').map(Number);
    const [vx, vy] = [Math.floor(cx * NX), Math.floor(cy * NY)];
    expect((await summary()).version).toBe(version);
    await stroke([vx - 3, vy], [vx + 3, vy]);
    const plane = await storedPlane(2);
    const want = brushPixels([vx - 3, vy], [vx + 3, vy], 2);
    expect(plane.reduce((n, v) => n + (v === SOLID ? 1 : 0), 0)).toBe(want.size);
    for (const i of want) expect(plane[i]).toBe(SOLID);
    // Painting leaves the keys with the views: ↓ is the next slice.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => xy.getAttribute('data-index')).toBe('3');
    await page.locator('button[name="ortho-reset-view"]').click();
    // The list names both slices; a click shows slice 4 again.
    await page.locator('.annotated-slices button[data-z="2"]').waitFor();
    await page.locator('.annotated-slices button[data-z="4"]').click();
    await expect.poll(() => xy.getAttribute('data-index')).toBe('4');
    await expect(page.locator('.annotate-tools .annotate-slice-counts').getAttribute('data-z')).resolves.toBe('4');
    // The mid grey of slice 4 painted pore as well.
    await page.keyboard.press(String(PORE));
    await stroke([SHINE[0][0] - 5, SHINE[0][1]], [SHINE[0][0] + 5, SHINE[0][1]]);
    // Two annotated slices: the preview's headline is the whole-slice estimate.
    await previewShown((await summary()).version);
    await expect(page.locator('.classifier-estimate').textContent()).resolves.toMatch(/^Estimated from your annotations \(whole slices held out\): MP \d+\.\d %/);
    // For the user guide: the xy view with paint, prediction and uncertainty; the annotations and the live preview.
    await page.locator('input[name="annotate-show-uncertainty"]').check();
    await page.locator('.classifier-preview-uncertainty canvas').waitFor();
    mkdirSync(DOC_IMAGES, { recursive: true });
    await page.locator('.ortho-views').screenshot({ path: join(DOC_IMAGES, 'wizard-annotate.png') });
    await page.locator('.segment-panel').screenshot({ path: join(DOC_IMAGES, 'wizard-annotate-preview.png') });
  }, 60_000);

  it('runs on the whole volume: labels and the uncertainty volume are listed', async () => {
    const run = page.locator('.segment-panel button[type="submit"]');
    await expect(run.textContent()).resolves.toBe('Run on the whole volume');
    await expect(page.locator('.segment-panel .will-run code').textContent()).resolves.toBe('segment --volume grey --method pixel-classifier --out grey-pixel-classifier');
    await run.click();
    expect(await jobEnd(page, 'Segmenting grey', { timeout: 60_000 })).toBe('done');
    const message = (await page.locator('.job-progress .job-message').textContent()) ?? '';
    expect(message).toContain('Wrote "grey-pixel-classifier"');
    expect(message).toContain('Least sure on slices');
    expect(message).toContain('"grey-pixel-classifier-uncertainty"');
    await page.locator('tr[data-volume="grey-pixel-classifier"]').waitFor();
    await page.locator('tr[data-volume="grey-pixel-classifier-uncertainty"]').waitFor();
    const vols = await call<VolumeSummary[]>('listVolumes');
    const kinds = Object.fromEntries(vols.map((v) => [v.name, v.kind]));
    expect(kinds).toEqual({ grey: 'grey', 'grey-pixel-classifier': 'labels', 'grey-pixel-classifier-uncertainty': 'probability' });
    // Learnt from the annotations as they are now (after the undo), with an estimate over the two annotated slices.
    const labels = vols.find((v) => v.name === 'grey-pixel-classifier')!;
    expect(labels.metadata).toMatchObject({ method: 'pixel-classifier', source: 'grey', annotationVersion: (await summary()).version });
    expect((labels.metadata.estimate as { wholeSliceMpPercent: number | null }).wholeSliceMpPercent).not.toBeNull();
    await saveScreenshot(page, 'wizard-annotate-run.png');
    expect(session.pageErrors).toEqual([]);
  }, 90_000);
});
