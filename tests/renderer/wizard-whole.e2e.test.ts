// The WHOLE wizard in one run, in Chromium with the REAL backend and a shipped
// model, on a small sample made by the app's own generator (fibrecon synth):
// create the project, import two channels (1 and 2 kV), import and apply the
// ProjectData.dat thickness, register both channels, segment with Otsu and with
// models/unet25d-w7-2kv, reconstruct the model's labels (cubic), read the
// metrics, export an AmiraMesh file, open the 3D view, and come back to the
// start screen with the project in the recent list. Each step asserts on what
// the screen shows (values, counts) against what the backend stored, and saves
// its screenshot into out/screenshots, or into docs/images (the user guide shows them)
// when FIBRECON_DOC_SCREENSHOTS=1: `FIBRECON_DOC_SCREENSHOTS=1 npx vitest run tests/renderer/wizard-whole.e2e.test.ts`.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThicknessSeries, VolumeSummary } from '../../src-shared/contract';
import type { StoredMetrics } from '../../src-shared/metric-definitions';
import { formatMetricValue } from '../../src-renderer/components/quality-text';
import { REPO } from '../cli/run-cli';
import { rendererBuilt } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, synthSample, type SynthSample, type WizardSession } from './wizard-session';

const DOC_IMAGES = process.env.FIBRECON_DOC_SCREENSHOTS === '1' ? join(REPO, 'docs', 'images') : join(REPO, 'out', 'screenshots');
const SLICES = 10;

/**
 * Into DOC_IMAGES/NAME.png: a step (first '.step-bar') as the whole window shows it (the steps panel
 * scrolled to its top, beside the viewer and the layers); anything else cropped from `first` down to
 * the bottom of `last`.
 */
async function docShot(page: Page, name: string, first: string, last: string): Promise<void> {
  mkdirSync(DOC_IMAGES, { recursive: true });
  if (first === '.step-bar') {
    await page.locator('.side-panel').evaluate((el) => el.scrollTo({ top: 0 }));
    await page.screenshot({ path: join(DOC_IMAGES, `${name}.png`) });
    return;
  }
  const box = (sel: string) =>
    page.locator(sel).first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
    });
  const a = await box(first);
  const b = await box(last);
  await page.screenshot({
    path: join(DOC_IMAGES, `${name}.png`),
    fullPage: true,
    clip: { x: a.x - 6, y: a.y - 6, width: Math.max(a.width, b.width) + 12, height: b.y + b.height - a.y + 12 },
  });
}

describe.skipIf(!rendererBuilt('whole wizard e2e'))('the whole wizard in one run (Chromium, real backend, shipped model)', () => {
  let session: WizardSession;
  let page: Page;
  let dir: string;
  let sample: SynthSample;
  const call = async <T,>(method: 'listVolumes' | 'getThickness' | 'listMetrics', req?: unknown): Promise<T> => {
    const r = await session.backend.call(method, req);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as T;
  };
  const volume = async (name: string) => (await call<VolumeSummary[]>('listVolumes')).find((v) => v.name === name)!;
  const volumeRows = () => page.locator('.volume-table tbody tr').count();
  const step = (label: string) => page.getByRole('button', { name: label, exact: true }).click();

  beforeAll(async () => {
    delete process.env.FIBRECON_MODELS_DIR;
    session = await startWizardSession({ name: 'whole', webgl: true, backendOptions: (d) => ({ recentFile: join(d, 'config', 'recent.json') }) });
    ({ page, dir } = session);
    sample = await synthSample(dir, { columns: 64, rows: 48, slices: SLICES });
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('1 Import: a new project with two channels (1 and 2 kV) from their TIFF metadata', async () => {
    await createProjectInUi(page, join(dir, 'whole.fibrecon'), 'Whole wizard');
    await expect(page.locator('.step-bar .step.current').textContent()).resolves.toBe('1 Import');
    const [kv1, kv2] = sample.files.stacks;
    await importStackInUi(page, '1kV', kv1.path);
    await importStackInUi(page, '2kV', kv2.path);
    const rows = page.locator('.channel-table tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    const v2 = await volume('2kV');
    expect(v2.shape[0]).toBe(SLICES);
    await expect(page.locator('tr[data-channel="2kV"] .slices').textContent()).resolves.toBe(String(SLICES));
    await expect(page.locator('tr[data-channel="2kV"] .size').textContent()).resolves.toBe(`${v2.shape[2]} × ${v2.shape[1]}`);
    await expect(page.locator('tr[data-channel="1kV"] td').nth(7).textContent()).resolves.toBe('1 kV');
    await expect(page.locator('tr[data-channel="2kV"] td').nth(7).textContent()).resolves.toBe('2 kV');
    await expect(volumeRows()).resolves.toBe(2);
    await docShot(page, 'wizard-import', '.step-bar', '.import-form');
  });

  it('2 Thickness: ProjectData.dat applied to 2 kV and, by default, to 1 kV (one milling); the statistics shown are the stored ones', async () => {
    await step('2 Thickness');
    const panel = page.locator('.thickness-panel');
    await panel.locator('select[name="thickness-volume"]').selectOption('2kV');
    await panel.locator('select[name="thickness-source"]').selectOption('asv');
    await panel.locator('input[name="thickness-path"]').fill(sample.files.projectData);
    await panel.getByRole('button', { name: 'Import and apply thickness' }).click();
    await expect(panel.locator('input[name="thickness-all-channels"]').isChecked()).resolves.toBe(true);
    expect(await jobEnd(page, 'Thickness of 2kV, 1kV')).toBe('done');
    const s = await call<ThicknessSeries>('getThickness', { volume: '2kV' });
    expect(s.applied).toBe(true);
    // The channels of one milling get the same series and z positions (the step's default).
    const s1 = await call<ThicknessSeries>('getThickness', { volume: '1kV' });
    expect(s1.thicknessNm).toEqual(s.thicknessNm);
    expect(s1.zPositionsNm).toEqual(s.zPositionsNm);
    const result = panel.locator(`.thickness-result[data-table="${s.tableId}"]`);
    await result.waitFor();
    await expect(result.locator('.thickness-stats tr:has(th:text-is("Mean")) td').textContent()).resolves.toBe(`${s.statistics.meanNm.toFixed(2)} nm`);
    await expect(result.locator('.thickness-stats tr:has(th:text-is("SD")) td').textContent()).resolves.toBe(`${s.statistics.sdNm.toFixed(2)} nm`);
    expect((await volume('2kV')).voxelSizeNm.z).toBeCloseTo(s.statistics.meanNm, 9);
    await docShot(page, 'wizard-thickness', '.step-bar', '.thickness-panel');
  });

  it('3 Registration: both channels onto 2 kV; the largest translation shown is the stored one', async () => {
    await step('3 Registration');
    const panel = page.locator('.register-panel');
    for (const name of ['1kV', '2kV']) if (!(await panel.locator(`input[name="register-${name}"]`).isChecked())) await panel.locator(`input[name="register-${name}"]`).check();
    await panel.locator('select[name="register-reference"]').selectOption('2kV');
    await panel.getByRole('button', { name: 'Run registration' }).click();
    expect(await jobEnd(page, 'Registering')).toBe('done');
    await page.locator('tr[data-volume="2kV-reg"]').waitFor();
    await page.locator('tr[data-volume="1kV-reg"]').waitFor();
    const reg = await volume('2kV-reg');
    const t = reg.metadata.translationsPx as { dx: number; dy: number }[];
    expect(t).toHaveLength(SLICES);
    const largest = Math.max(...t.map((x) => Math.hypot(x.dx, x.dy)));
    await expect(panel.locator('.register-result[data-volume="2kV-reg"] .result-line').textContent()).resolves.toContain(
      `Largest translation ${largest.toFixed(2)} px over ${SLICES} slices`,
    );
    await expect(volumeRows()).resolves.toBe(4);
    await docShot(page, 'wizard-register', '.step-bar', '.register-panel');
  });

  it('4 Segmentation: Otsu, then the shipped 2.5D model with its card; both label volumes listed', async () => {
    await step('4 Segmentation');
    const panel = page.locator('.segment-panel');
    await panel.locator('select[name="segment-volume"]').selectOption('2kV-reg');
    await panel.locator('select[name="segment-method"]').selectOption('otsu');
    await panel.getByRole('button', { name: 'Run segmentation' }).click();
    expect(await jobEnd(page, '2kV-reg-otsu')).toBe('done');
    const otsu = await volume('2kV-reg-otsu');
    await expect(panel.locator('.result-line').textContent()).resolves.toMatch(new RegExp(`^"2kV-reg-otsu" \\(${otsu.shape.join(' × ')}, labels\\): otsu, thresholds \\d`));

    await panel.locator('select[name="segment-method"]').selectOption('model');
    await panel.locator('select[name="segment-model"]').selectOption('unet25d-w7-2kv');
    await expect(panel.locator('.model-card .model-window').textContent()).resolves.toBe('7 slices (2.5D)');
    await expect(panel.locator('.model-card .model-held-out').textContent()).resolves.toMatch(/^MP 0\.\d\d % on 2 kV \(Otsu \d+\.\d\d %\)$/);
    await panel.locator('select[name="segment-ep"]').selectOption('cpu');
    await expect(panel.locator('.will-run code').textContent()).resolves.toBe('segment --volume 2kV-reg --method model --model unet25d-w7-2kv --ep cpu --out 2kV-reg-unet25d-w7-2kv');
    await panel.getByRole('button', { name: 'Run segmentation' }).click();
    expect(await jobEnd(page, '2kV-reg-unet25d-w7-2kv')).toBe('done');
    await expect(panel.locator('.result-line').textContent()).resolves.toMatch(/^"2kV-reg-unet25d-w7-2kv" \(.*, labels\): model unet25d-w7-2kv on CPU/);
    await expect(page.locator('tr[data-volume="2kV-reg-unet25d-w7-2kv"] .kind').textContent()).resolves.toBe('labels');
    await expect(volumeRows()).resolves.toBe(6);
    await panel.locator('.preview-grey canvas').waitFor();
    await docShot(page, 'wizard-segmentation', '.step-bar', '.segment-panel');
  });

  it('5 Reconstruction: cubic gap filling of the model labels; the planes shown are the stored ones', async () => {
    await step('5 Reconstruction');
    const panel = page.locator('.reconstruct-panel');
    await panel.locator('select[name="reconstruct-volume"]').selectOption('2kV-reg-unet25d-w7-2kv');
    await panel.locator('select[name="reconstruct-method"]').selectOption('cubic');
    await panel.getByRole('button', { name: 'Run reconstruction' }).click();
    expect(await jobEnd(page, '2kV-reg-unet25d-w7-2kv-cubic')).toBe('done');
    const rec = await volume('2kV-reg-unet25d-w7-2kv-cubic');
    const planes = rec.metadata.planes as number;
    expect(rec.shape[0]).toBe(planes);
    await expect(panel.locator('.result-line').textContent()).resolves.toMatch(new RegExp(`^"2kV-reg-unet25d-w7-2kv-cubic": ${planes} planes of \\S+ nm from ${SLICES} slices \\(cubic\\)`));
    await expect(page.locator('tr[data-volume="2kV-reg-unet25d-w7-2kv-cubic"] .shape').textContent()).resolves.toBe(rec.shape.join(' × '));
    await panel.locator('.preview-xz canvas').waitFor();
    await docShot(page, 'wizard-reconstruction', '.step-bar', '.reconstruct-panel');
  });

  it('6 Quality: the metrics table shows the stored numbers', async () => {
    await step('6 Quality');
    const panel = page.locator('.quality-panel');
    await panel.locator('select[name="quality-volume"]').selectOption('2kV-reg-unet25d-w7-2kv-cubic');
    await panel.locator('input[name="quality-rmax"]').fill('20');
    await panel.getByRole('button', { name: 'Run quality metrics' }).click();
    expect(await jobEnd(page, 'Quality of 2kV-reg-unet25d-w7-2kv-cubic')).toBe('done');
    const [m] = await call<StoredMetrics[]>('listMetrics');
    const table = panel.locator(`.metrics-table[data-run="${m.runId}"]`);
    await table.waitFor();
    expect(m.values.length).toBeGreaterThanOrEqual(7);
    await expect(table.locator('tr[data-metric]').count()).resolves.toBe(m.values.length);
    for (const v of m.values) await expect(table.locator(`tr[data-metric="${v.name}"] .metric-value`).textContent()).resolves.toBe(formatMetricValue(v));
    const solid = m.values.find((v) => v.name === 'solid_fraction')!.value!;
    expect(solid).toBeGreaterThan(0.1);
    expect(solid).toBeLessThan(0.6);
    await docShot(page, 'wizard-quality', '.step-bar', '.quality-panel');
  });

  it('7 Export: AmiraMesh of the reconstruction, its header has the lattice and the voxel size', async () => {
    await step('7 Export');
    const panel = page.locator('.export-panel');
    await panel.locator('select[name="export-volume"]').selectOption('2kV-reg-unet25d-w7-2kv-cubic');
    await panel.locator('select[name="export-format"]').selectOption('amira-mesh');
    const out = join(dir, 'whole.am');
    await panel.locator('input[name="export-path"]').fill(out);
    await panel.getByRole('button', { name: 'Run export' }).click();
    expect(await jobEnd(page, 'Exporting 2kV-reg-unet25d-w7-2kv-cubic')).toBe('done');
    const rec = await volume('2kV-reg-unet25d-w7-2kv-cubic');
    const [nz, ny, nx] = rec.shape;
    await expect(panel.locator('.export-result[data-status="done"] .result-line').textContent()).resolves.toContain(`: ${nz} slices, `);
    const header = readFileSync(out).subarray(0, 2048).toString('latin1');
    expect(header).toMatch(/^# AmiraMesh BINARY-LITTLE-ENDIAN/);
    expect(header).toContain(`define Lattice ${nx} ${ny} ${nz}`);
    expect(header).toMatch(/Lattice \{ byte Labels \}/);
    const bb = /BoundingBox ([\d.e+-]+) ([\d.e+-]+) ([\d.e+-]+) ([\d.e+-]+) ([\d.e+-]+) ([\d.e+-]+)/.exec(header)!;
    expect(Number(bb[2]) - Number(bb[1])).toBeCloseTo((nx - 1) * rec.voxelSizeNm.x, 3);
    expect(Number(bb[6]) - Number(bb[5])).toBeCloseTo((nz - 1) * rec.voxelSizeNm.z, 3);
    await docShot(page, 'wizard-export', '.step-bar', '.export-panel');
  });

  it('3D view and orthoviews of the reconstruction; back on the start screen the project is the recent one', async () => {
    await page.getByRole('button', { name: 'View 2kV-reg-unet25d-w7-2kv-cubic', exact: true }).click();
    const views = page.locator('.ortho-views[data-volume="2kV-reg-unet25d-w7-2kv-cubic"]');
    await views.locator('.ortho-xz canvas').waitFor();
    await docShot(page, 'wizard-orthoviews', '.ortho-views', '.ortho-views');
    const slot = page.locator('.viewer3d-slot');
    await slot.getByRole('button', { name: 'Show 2kV-reg-unet25d-w7-2kv-cubic in 3D' }).click();
    await slot.locator('.viewer3d canvas, .viewer-3d-error').first().waitFor({ timeout: 30_000 });
    await expect(slot.locator('.viewer-3d-error').count()).resolves.toBe(0);
    const rec = await volume('2kV-reg-unet25d-w7-2kv-cubic');
    await expect(slot.locator('.viewer3d-info').textContent()).resolves.toMatch(new RegExp(`^2kV-reg-unet25d-w7-2kv-cubic: ${rec.shape.join(' × ')} voxels of `));
    await expect.poll(async () => JSON.parse((await slot.locator('.viewer3d canvas').getAttribute('data-uniforms')) ?? '{}').mode).toBe(1);
    await slot.locator('input[name="clip-y-min"]').fill('50');
    await expect.poll(async () => JSON.parse((await slot.locator('.viewer3d canvas').getAttribute('data-uniforms')) ?? '{}').clipMin).toEqual([0, 0.5, 0]);
    // Turn the view (orbit drag) so that the picture shows depth.
    await slot.locator('.viewer3d canvas').scrollIntoViewIfNeeded();
    const c = (await slot.locator('.viewer3d canvas').boundingBox())!;
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    await page.mouse.down();
    await page.mouse.move(c.x + c.width / 2 + 90, c.y + c.height / 2 + 60, { steps: 6 });
    await page.mouse.up();
    await page.waitForTimeout(300);
    await docShot(page, 'wizard-3d', '.viewer3d-slot', '.viewer3d-slot');

    await page.getByRole('button', { name: 'Close project' }).click();
    const first = page.locator('.recent-projects li').first();
    await first.waitFor();
    await expect(first.getAttribute('data-path')).resolves.toBe(join(dir, 'whole.fibrecon'));
    await expect(first.locator('.recent-open').textContent()).resolves.toBe('Whole wizard');
    await docShot(page, 'wizard-start', '.start-panel', '.start-panel');
    expect(session.pageErrors).toEqual([]);
  });
});
