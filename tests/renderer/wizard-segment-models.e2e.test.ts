// The Segmentation step's model fields end to end in Chromium with the REAL
// backend and the SHIPPED models (models/): the card summary beside the choice
// (architecture, window, held-out score from the training record), one volume
// per input stack for the late-fusion model, tile / batch / execution provider
// checked and passed on (the run record has them), and the result's sources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeSummary } from '../../src-shared/contract';
import { cliOk, REPO } from '../cli/run-cli';
import { rendererBuilt, saveScreenshot, screenshotDir } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, synthSample, type WizardSession } from './wizard-session';

interface EvaluationRow {
  MP: number;
  method: string;
  kv: number | string;
}
const record = (file: string) => JSON.parse(readFileSync(join(REPO, 'models', file), 'utf8')) as { architecture: string; evaluation: { rows: EvaluationRow[] } };

describe.skipIf(!rendererBuilt('segmentation models e2e'))('Segmentation step with the shipped models in Chromium', () => {
  let session: WizardSession;
  let page: Page;
  let project: string;

  beforeAll(async () => {
    delete process.env.FIBRECON_MODELS_DIR;
    session = await startWizardSession({ name: 'segment-models' });
    page = session.page;
    const sample = await synthSample(session.dir, { columns: 64, rows: 48, slices: 8 });
    project = join(session.dir, 'models.fibrecon');
    await createProjectInUi(page, project);
    for (const s of sample.files.stacks) await importStackInUi(page, `${s.beam.energyKeV}kV`, s.path);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('fusion model: its card, one volume per kV (by name), and the checks of the fields', async () => {
    await page.getByRole('button', { name: '4 Segmentation' }).click();
    const panel = page.locator('.segment-panel');
    await panel.locator('select[name="segment-method"]').selectOption('model');
    await panel.locator('select[name="segment-model"]').selectOption('fusion-w7-124kv');
    const card = panel.locator('.model-card[data-model="fusion-w7-124kv"]');
    const fusion = record('fusion-w7-124kv.record.json');
    await expect(card.locator('.model-architecture').textContent()).resolves.toBe(fusion.architecture);
    await expect(card.locator('.model-window').textContent()).resolves.toBe('7 slices (2.5D)');
    const mp = fusion.evaluation.rows.find((r) => r.method === 'fusion')!.MP;
    await expect(card.locator('.model-held-out').textContent()).resolves.toBe(`MP ${mp.toFixed(2)} % on 1+2+4 kV`);

    // One select per input stack, each defaulting to the volume named for its kV; no single input volume.
    await expect(panel.locator('.stack-inputs label').allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/^1 kV TLD/)]));
    for (const [c, name] of ['1kV', '2kV', '4kV'].entries()) await expect(panel.locator(`select[name="segment-stack-${c}"]`).inputValue()).resolves.toBe(name);
    await expect(panel.locator('select[name="segment-volume"]').count()).resolves.toBe(0);
    const run = panel.getByRole('button', { name: 'Run segmentation' });

    await panel.locator('select[name="segment-stack-1"]').selectOption('1kV');
    await expect(panel.locator('.field-error').textContent()).resolves.toBe('Each input stack needs its own volume: choose a different volume for each.');
    await expect(run.isDisabled()).resolves.toBe(true);
    await panel.locator('select[name="segment-stack-1"]').selectOption('2kV');
    await panel.locator('input[name="segment-tile"]').fill('8');
    await expect(panel.locator('.field-error').textContent()).resolves.toBe('Tile must be a whole number from 16 to 4096, or empty for the default.');
    await expect(run.isDisabled()).resolves.toBe(true);

    await panel.locator('input[name="segment-tile"]').fill('64');
    await panel.locator('input[name="segment-batch"]').fill('2');
    await panel.locator('select[name="segment-ep"]').selectOption('cpu');
    await expect(panel.locator('.field-error').count()).resolves.toBe(0);
    await expect(panel.locator('.will-run code').textContent()).resolves.toBe(
      'segment --volume 1kV,2kV,4kV --method model --model fusion-w7-124kv --ep cpu --tile 64 --batch 2 --out 1kV-fusion-w7-124kv',
    );
    await saveScreenshot(page, 'wizard-segmentation-fusion.png');
    await panel.locator('form').screenshot({ path: join(screenshotDir, 'wizard-segmentation-fusion-part.png') });
  });

  it('fusion model runs on the three volumes with the tile and batch asked for', async () => {
    const panel = page.locator('.segment-panel');
    await panel.getByRole('button', { name: 'Run segmentation' }).click();
    expect(await jobEnd(page, '1kV-fusion-w7-124kv')).toBe('done');
    const r = await session.backend.call('listVolumes', undefined);
    if (!r.ok) throw new Error(r.error.message);
    const out = (r.value as VolumeSummary[]).find((v) => v.name === '1kV-fusion-w7-124kv')!;
    const input = (r.value as VolumeSummary[]).find((v) => v.name === '1kV')!;
    expect(out.shape).toEqual(input.shape);
    await expect(panel.locator('.result-line').textContent()).resolves.toMatch(
      new RegExp(`^"1kV-fusion-w7-124kv" \\(${out.shape.join(' × ')}, labels\\): model fusion-w7-124kv from 1kV \\+ 2kV \\+ 4kV on CPU `),
    );
    expect(out.metadata.sources).toEqual(['1kV', '2kV', '4kV']);
    const info = JSON.parse(await cliOk(['info', project, '--runs', '--json'])) as { runs: { step: string; params: Record<string, unknown> }[] };
    const seg = info.runs.filter((x) => x.step === 'segment').at(-1)!;
    expect(seg.params).toMatchObject({ volume: '1kV,2kV,4kV', volumes: ['1kV', '2kV', '4kV'], tile: 64, batchSize: 2, out: '1kV-fusion-w7-124kv' });
  });

  it('a one-stack model: the single input volume is back, the card gives its score at the trained kV against Otsu', async () => {
    const panel = page.locator('.segment-panel');
    await panel.locator('select[name="segment-model"]').selectOption('unet25d-w7-2kv');
    await expect(panel.locator('.stack-inputs').count()).resolves.toBe(0);
    await expect(panel.locator('select[name="segment-volume"]').count()).resolves.toBe(1);
    const rows = record('unet25d-w7-2kv.training.json').evaluation.rows;
    const own = rows.find((x) => x.method === 'model' && x.kv === 2)!.MP;
    const otsu = rows.find((x) => x.method === 'otsu' && x.kv === 2)!.MP;
    await expect(panel.locator('.model-card .model-held-out').textContent()).resolves.toBe(`MP ${own.toFixed(2)} % on 2 kV (Otsu ${otsu.toFixed(2)} %)`);
    await expect(panel.locator('.model-card .model-window').textContent()).resolves.toBe('7 slices (2.5D)');
    expect(session.pageErrors).toEqual([]);
  });
});
