// The Segmentation step's "Compare methods on my annotations" in Chromium with the
// REAL backend: a stack of the independent simulator (8 x 48 x 48) is imported in
// the UI, pore and solid are painted on three slices from its ground truth (through
// the backend, as strokes of pixels), the comparison runs from the button with one
// small shipped model; the table must show every method with units, mark the row
// with the lowest MP as the backend scores it directly, and "Use" on a row must set
// the step's method (and model). Screenshot: out/screenshots/wizard-compare.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { scoreOnAnnotations } from '../../src-main/segment/score-on-annotations';
import type { AnnotationScores, VolumeSummary } from '../../src-shared/contract';
import { makeIndepStack } from '../helpers/indep-sim';
import { rendererBuilt, saveScreenshot } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, type WizardSession } from './wizard-session';

const MODEL = 'unet2d-2kv';

describe.skipIf(!rendererBuilt('compare e2e'))('Compare methods on my annotations in Chromium', () => {
  let session: WizardSession;
  let page: Page;
  let stack: ReturnType<typeof makeIndepStack>;
  let projectPath: string;

  beforeAll(async () => {
    session = await startWizardSession({ name: 'compare' });
    page = session.page;
    await page.setViewportSize({ width: 1280, height: 1000 });
    stack = makeIndepStack({ family: 'grains', seed: 8, shape: [8, 48, 48], kv: 2, featurePx: 8, dir: join(session.dir, 'stack') });
    projectPath = join(session.dir, 'compare.fibrecon');
    await createProjectInUi(page, projectPath);
    await importStackInUi(page, 'grey', join(stack.dir, 'grey.tif'));
    // Every 7th pixel of slices 1, 4 and 6 painted from the truth: pore (class 1) and solid (class 2).
    const [, ny, nx] = stack.manifest.shape;
    for (const z of [1, 4, 6]) {
      for (const label of [1, 2]) {
        const indices = Array.from({ length: Math.floor((ny * nx) / 7) }, (_, k) => 7 * k + z).filter((i) => stack.truth[z][i] + 1 === label);
        const r = await session.backend.call('paintAnnotation', { volume: 'grey', z, stroke: { kind: 'pixels', indices, label } });
        if (!r.ok) throw new Error(r.error.message);
      }
    }
    await page.getByRole('button', { name: '4 Segmentation' }).click();
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('runs from the button, shows every method with units and the best marked, and "Use" sets the method', async () => {
    const pane = page.locator('fieldset.compare-methods');
    await pane.waitFor();
    // The step starts on auto; with pore and solid painted it says it will choose by them.
    const method = page.locator('select[name="segment-method"]');
    expect(await method.inputValue()).toBe('auto');
    const plan = page.locator('.segment-panel .auto-plan');
    await expect.poll(() => plan.getAttribute('data-kind')).toBe('annotations');
    const painted = await session.backend.call('annotationSummary', { volume: 'grey' });
    if (!painted.ok) throw new Error(painted.error.message);
    const totals = (painted.value as { totals: Record<string, number> }).totals;
    expect(await plan.textContent()).toBe(
      `auto: chooses by your annotations — the run scores every method on the ${totals['1'] + totals['2']} painted pixels (as the comparison below does) and runs the one with the lowest MP; the choice and the reason appear in the run log/result.`,
    );
    // One small model only: every other shipped single-stack model unticked.
    for (const box of await pane.locator('input[type="checkbox"]').all()) {
      if ((await box.getAttribute('name')) !== `compare-model-${MODEL}`) await box.uncheck();
    }
    await expect.poll(() => pane.locator('input[type="checkbox"]:checked').count()).toBe(1);
    await pane.getByRole('button', { name: 'Compare methods on my annotations' }).click();
    expect(await jobEnd(page, 'Comparing methods', { timeout: 60_000 })).toBe('done');
    const rows = pane.locator('table.compare-table tbody tr');
    await expect.poll(() => rows.count()).toBe(6);

    // The backend's own scores, by the function the CLI uses, on the same annotations.
    const p = openProject(projectPath, { write: false });
    let direct: AnnotationScores;
    try {
      direct = await scoreOnAnnotations(p.db, 'grey', { models: [MODEL] });
    } finally {
      p.close();
    }
    expect(await page.locator('.job-progress').textContent()).toContain(`Best on your annotations: ${direct.best.reason}`);
    for (const s of direct.scores) {
      const tr = pane.locator(`tbody tr[data-method="${s.method}"][data-model="${s.model ?? ''}"]`);
      expect(await tr.locator('td.mp').textContent()).toContain(`${s.mpPercent.toFixed(2)} %`);
      expect(await tr.locator('td.pixels').textContent()).toMatch(/^[\d ]+ px$/);
      expect(await tr.locator('td.miou').textContent()).toMatch(/^(0|1)\.\d{3} \(of 1\)$/);
      const lowest = s.mpPercent === Math.min(...direct.scores.map((x) => x.mpPercent));
      expect(await tr.getAttribute('data-best')).toBe(s.method === direct.best.method && s.model === direct.best.model ? 'true' : 'false');
      if (await tr.getAttribute('data-best') === 'true') expect(lowest).toBe(true);
    }
    expect(await pane.locator('tr[data-method="pixel-classifier"] .whole-slice').textContent()).toMatch(/^whole annotated slices: estimated MP \d+\.\d\d %$/);
    await saveScreenshot(page, 'wizard-compare.png');

    // A comparison that left models out does not tell what auto (which scores them all) will run.
    expect(await plan.getAttribute('data-kind')).toBe('annotations');
    await pane.locator('tr[data-method="pixel-classifier"]').getByRole('button', { name: 'Use pixel classifier' }).click();
    await expect.poll(() => method.inputValue()).toBe('pixel-classifier');
    // The table stays while the Annotate mode opens.
    await page.locator('.classifier-preview').waitFor();
    await expect.poll(() => rows.count()).toBe(6);
    await pane.locator(`tr[data-model="${MODEL}"]`).getByRole('button', { name: `Use model ${MODEL}` }).click();
    await expect.poll(() => method.inputValue()).toBe('model');
    await expect.poll(() => page.locator('select[name="segment-model"]').inputValue()).toBe(MODEL);
    expect(session.pageErrors).toEqual([]);
  }, 90_000);

  it('auto from the step chooses by the annotations; after the run the step shows its choice, reason and scores as recorded', async () => {
    const method = page.locator('select[name="segment-method"]');
    await method.selectOption('auto');
    const panel = page.locator('.segment-panel');
    await expect(panel.locator('.will-run code').textContent()).resolves.toBe('segment --volume grey --method auto --out grey-auto');
    await panel.getByRole('button', { name: 'Run segmentation' }).click();
    expect(await jobEnd(page, 'grey-auto', { timeout: 150_000 })).toBe('done');
    const vols = await session.backend.call('listVolumes', undefined);
    if (!vols.ok) throw new Error(vols.error.message);
    const made = (vols.value as VolumeSummary[]).find((v) => v.name === 'grey-auto')!;
    const auto = made.metadata.auto as { basis: string; reason: string; annotationScores: { mpPercent: number }[] };
    expect(auto.basis).toBe('annotations');
    const result = panel.locator('.step-result[data-volume="grey-auto"]');
    await expect(result.locator('.auto-choice').textContent()).resolves.toBe(`Chosen by auto: ${auto.reason}`);
    const lowest = Math.min(...auto.annotationScores.map((s) => s.mpPercent));
    await expect(result.locator('.auto-scores').textContent()).resolves.toMatch(new RegExp(`^MP on your annotations: [^,]+ ${lowest.toFixed(2)} %, `));
    await saveScreenshot(page, 'wizard-segmentation-auto.png');
    expect(session.pageErrors).toEqual([]);
  }, 180_000);
});
