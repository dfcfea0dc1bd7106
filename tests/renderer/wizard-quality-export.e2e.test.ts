// The wizard's Quality and Export steps end to end in Chromium with the REAL
// backend over the HTTP bridge: import two generated grey stacks (isotropic 5 nm
// voxels, as the isotropy metrics need), segment them with Otsu through the UI,
// run Quality (the table shows exactly the numbers the backend stored, each with
// its definition on hover; the S2 / L curves are drawn; a second run against a
// truth is compared side by side), then export the labels to AmiraMesh and read
// the file's header. Screenshots: out/screenshots/wizard-quality*.png and
// wizard-export*.png (docs/user-guide.md uses the cropped ones).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_DEFINITIONS, type StoredMetrics } from '../../src-shared/metric-definitions';
import { formatMetricValue } from '../../src-renderer/components/quality-text';
import { rendererBuilt, saveScreenshot, screenshotDir } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd as jobEndIn, startWizardSession, writeGreyStack, type WizardSession } from './wizard-session';

const NZ = 12;
const NY = 32;
const NX = 40;
const PX = 5;

async function shots(page: Page, name: string, sel: string): Promise<void> {
  await saveScreenshot(page, `${name}.png`);
  await page.locator(sel).first().screenshot({ path: join(screenshotDir, `${name}-part.png`) });
}

describe.skipIf(!rendererBuilt('quality/export e2e'))('wizard Quality and Export steps in Chromium with the real backend', () => {
  let session: WizardSession;
  let page: Page;
  let dir: string;
  let pageErrors: string[];

  const stored = async (): Promise<StoredMetrics[]> => {
    const r = await session.backend.call('listMetrics', undefined);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as StoredMetrics[];
  };
  const jobEnd = (p: Page, what: string, expectFailure = false) => jobEndIn(p, what, { expectFailure });

  beforeAll(async () => {
    session = await startWizardSession({ name: 'quality' });
    ({ page, dir, pageErrors } = session);
    await writeGreyStack(join(dir, 'grey.tif'), [NZ, NY, NX], { pixelNm: PX, sliceNm: PX }, 4);
    await writeGreyStack(join(dir, 'other.tif'), [NZ, NY, NX], { pixelNm: PX, sliceNm: PX }, 9);
  });

  afterAll(async () => {
    await session?.close();
  });

  const importStack = (channel: string, file: string) => importStackInUi(page, channel, join(dir, file), { pixelSizeNm: PX, sliceSpacingNm: PX });

  const segmentOtsu = async (volume: string) => {
    const panel = page.locator('.segment-panel');
    await panel.locator('select[name="segment-volume"]').selectOption(volume);
    await panel.locator('select[name="segment-method"]').selectOption('otsu');
    await panel.getByRole('button', { name: 'Run segmentation' }).click();
    expect(await jobEnd(page, `${volume}-otsu`)).toBe('done');
    await page.locator(`tr[data-volume="${volume}-otsu"]`).waitFor();
  };

  it('imports two stacks and segments them with Otsu through the UI; Quality and Export are steps 6 and 7', async () => {
    await createProjectInUi(page, join(dir, 'quality.fibrecon'));
    await expect(page.locator('.step-bar .step:disabled').count()).resolves.toBe(0);
    await importStack('grey', 'grey.tif');
    await importStack('other', 'other.tif');
    await page.getByRole('button', { name: '4 Segmentation' }).click();
    await segmentOtsu('grey');
    await segmentOtsu('other');
  });

  it('Quality: the table shows the numbers the backend stored, each with its unit and definition; the curves are drawn', async () => {
    await page.getByRole('button', { name: '6 Quality' }).click();
    const panel = page.locator('.quality-panel');
    await panel.locator('select[name="quality-volume"]').selectOption('grey-otsu');
    await expect(panel.locator('select[name="quality-truth"] option').allTextContents()).resolves.toEqual(['none', 'other-otsu']);
    await panel.locator('input[name="quality-rmax"]').fill('20');
    await panel.getByRole('button', { name: 'Run quality metrics' }).click();
    expect(await jobEnd(page, 'Quality of grey-otsu')).toBe('done');

    const [m] = await stored();
    expect(m).toMatchObject({ volume: 'grey-otsu', truth: null });
    const table = panel.locator(`.metrics-table[data-run="${m.runId}"]`);
    await table.waitFor();
    expect(m.values.map((v) => v.name)).toEqual(['solid_fraction', 'e_tpcf', 'e_lpf', 'e_d', 'd_xy', 'd_xz', 'd_yz']);
    for (const v of m.values) {
      const row = table.locator(`tr[data-metric="${v.name}"]`);
      await expect(row.locator('.metric-value').textContent()).resolves.toBe(formatMetricValue(v));
      await expect(row.locator('th').textContent()).resolves.toBe(METRIC_DEFINITIONS[v.name].label);
      await expect(row.locator('.unit').textContent()).resolves.toBe(v.unit === '-' ? '' : v.unit);
      const title = (await row.locator('.metric-value').getAttribute('title')) ?? '';
      expect(title).toContain(METRIC_DEFINITIONS[v.name].definition);
    }
    expect(Number(await table.locator('tr[data-metric="e_tpcf"] .metric-value').textContent())).toBeCloseTo(m.values[1].value!, 4);
    // The solid fraction in per cent with one decimal (stored as 0..1); the result's date in the page's own locale.
    await expect(table.locator('tr[data-metric="solid_fraction"] .metric-value').textContent()).resolves.toBe(`${(100 * m.values[0].value!).toFixed(1)} %`);
    const localWhen = await page.evaluate((w) => new Date(w).toLocaleString(navigator.language, { dateStyle: 'medium', timeStyle: 'short' }), m.when);
    await expect(panel.locator('select[name="quality-result"] option:checked').textContent()).resolves.toBe(`#${m.runId} grey-otsu · ${localWhen}`);
    await expect(table.locator('tr[data-metric="d_xy"] .unit').textContent()).resolves.toBe('nm');

    // S2 and L per axis, r = 0 .. 20 nm in 5 nm steps: 5 points, three coloured lines.
    for (const sel of ['.curve-tpcf canvas', '.curve-lpf canvas']) {
      const c = panel.locator(sel);
      await expect(c.getAttribute('data-drawn')).resolves.toBe('5');
      const colours = await c.evaluate((el) => {
        const cv = el as HTMLCanvasElement;
        const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
        const seen = { x: 0, y: 0, z: 0 };
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] === 0xd9 && d[i + 1] === 0x4f && d[i + 2] === 0x3d) seen.x++;
          if (d[i] === 0x2f && d[i + 1] === 0x9e && d[i + 2] === 0x44) seen.y++;
          if (d[i] === 0x1c && d[i + 1] === 0x6e && d[i + 2] === 0xd6) seen.z++;
        }
        return seen;
      });
      expect(colours.x).toBeGreaterThan(20);
      expect(colours.y).toBeGreaterThan(20);
      expect(colours.z).toBeGreaterThan(20);
    }
    await expect(panel.locator('.curve-tpcf figcaption').textContent()).resolves.toMatch(/■ x.*■ y.*■ z/);
  });

  it('Quality against a truth: MP, MGP, MDS, and two runs compared side by side with the differences', async () => {
    const panel = page.locator('.quality-panel');
    await panel.locator('select[name="quality-truth"]').selectOption('other-otsu');
    await panel.getByRole('button', { name: 'Run quality metrics' }).click();
    expect(await jobEnd(page, 'Quality of grey-otsu against other-otsu')).toBe('done');
    const all = await stored();
    expect(all).toHaveLength(2);
    const [first, second] = all;
    expect(second.truth).toBe('other-otsu');
    const table = panel.locator(`.quality-result > .metrics-table[data-run="${second.runId}"]`);
    await table.waitFor();
    for (const name of ['mp', 'mgp', 'mds'] as const) {
      const v = second.values.find((x) => x.name === name)!;
      await expect(table.locator(`tr[data-metric="${name}"] .metric-value`).textContent()).resolves.toBe(formatMetricValue(v));
    }
    await expect(table.locator('tr[data-metric="mp"] .unit').textContent()).resolves.toBe('%');
    expect(second.values.find((x) => x.name === 'mp')!.value).toBeGreaterThan(5);

    const compare = panel.locator('.compare-table');
    await expect(panel.locator('select[name="compare-a"]').inputValue()).resolves.toBe(String(first.runId));
    await expect(panel.locator('select[name="compare-b"]').inputValue()).resolves.toBe(String(second.runId));
    await expect(compare.locator('tr[data-metric="mp"] .value-a').textContent()).resolves.toBe('—');
    await expect(compare.locator('tr[data-metric="mp"] .diff').textContent()).resolves.toBe('—');
    const e1 = first.values.find((x) => x.name === 'e_tpcf')!;
    await expect(compare.locator('tr[data-metric="e_tpcf"] .value-a').textContent()).resolves.toBe(formatMetricValue(e1));
    // Same volume, same r max: the isotropy numbers agree, the difference is zero.
    await expect(compare.locator('tr[data-metric="e_tpcf"] .diff').textContent()).resolves.toBe('±0.0000');
    expect((await compare.locator('tr[data-metric="mds"] .value-b').getAttribute('title')) ?? '').toMatch(/^MDS: Mean Dice score/);
    await shots(page, 'wizard-quality', '.quality-panel');
  });

  it('Export: AmiraMesh of the labels with the voxel size in the header; a folder that does not exist is refused', async () => {
    await page.getByRole('button', { name: '7 Export' }).click();
    const panel = page.locator('.export-panel');
    await panel.locator('select[name="export-volume"]').selectOption('grey-otsu');
    await panel.locator('select[name="export-format"]').selectOption('nrrd');
    await expect(panel.locator('.format-text').textContent()).resolves.toMatch(/^NRRD: read by Fiji, ITK, 3D Slicer, pynrrd\..*The labels go out as plain uint8 0\/1\./);
    await panel.locator('select[name="export-format"]').selectOption('amira-mesh');
    await expect(panel.locator('select[name="export-format"] option:checked').textContent()).resolves.toBe('AmiraMesh (.am) — read by Avizo, Amira, Fiji (Bio-Formats)');
    await expect(panel.locator('.format-text').textContent()).resolves.toMatch(/The labels are marked as a label field\./);
    await expect(panel.locator('input[name="export-path"]').inputValue()).resolves.toBe(join(dir, 'grey-otsu.am'));
    const out = join(dir, 'exported.am');
    await panel.locator('input[name="export-path"]').fill(out);
    await panel.getByRole('button', { name: 'Run export' }).click();
    expect(await jobEnd(page, 'Exporting grey-otsu')).toBe('done');
    const line = panel.locator('.export-result[data-status="done"] .result-line');
    await expect(line.textContent()).resolves.toMatch(
      new RegExp(`^Wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${NZ} slices, \\d+\\.\\d MB \\(\\d+ bytes\\) \\(AmiraMesh, label field\\); voxel size 5 x 5 x 5 nm in the header\\.$`),
    );
    expect(existsSync(out)).toBe(true);
    const header = readFileSync(out).subarray(0, 2048).toString('latin1');
    expect(header).toMatch(/^# AmiraMesh BINARY-LITTLE-ENDIAN/);
    expect(header).toContain(`define Lattice ${NX} ${NY} ${NZ}`);
    expect(header).toContain(`BoundingBox 0 ${(NX - 1) * PX} 0 ${(NY - 1) * PX} 0 ${(NZ - 1) * PX},`);
    expect(header).toMatch(/Lattice \{ byte Labels \}/);
    // Materials named as what they are: 0 Pore, 1 Solid (not Amira's default "Exterior").
    expect(header).toMatch(/Materials \{\s+Pore \{\s+Id 0\s+\}\s+Solid \{\s+Id 1,/);
    expect(header).not.toContain('Exterior');
    await shots(page, 'wizard-export', '.export-panel');

    // The same destination again: the step asks before replacing, and replaces only on "Replace".
    const before = statSync(out).mtimeMs;
    await panel.getByRole('button', { name: 'Run export' }).click();
    expect(await jobEnd(page, 'Exporting grey-otsu', true)).toBe('failed');
    const ask = panel.getByRole('alertdialog', { name: 'Replace existing files' });
    await expect(ask.locator('.result-line').textContent()).resolves.toMatch(/exported\.am already exists: choose another name, or replace it/);
    await expect(page.locator('.error-banner').count()).resolves.toBe(0);
    expect(statSync(out).mtimeMs).toBe(before);
    await ask.getByRole('button', { name: 'Replace' }).click();
    expect(await jobEnd(page, 'Exporting grey-otsu')).toBe('done');
    await expect(panel.locator('.export-result[data-status="done"] .result-line').textContent()).resolves.toMatch(/^Wrote /);
    expect(readFileSync(out).subarray(0, 2048).toString('latin1')).toMatch(/^# AmiraMesh BINARY-LITTLE-ENDIAN/);

    const bad = join(dir, 'no-such-folder', 'x.am');
    await panel.locator('input[name="export-path"]').fill(bad);
    await panel.getByRole('button', { name: 'Run export' }).click();
    expect(await jobEnd(page, 'Exporting grey-otsu', true)).toBe('failed');
    await expect(panel.locator('.export-result[data-status="failed"] .result-line').textContent()).resolves.toMatch(/^Failed: .*folder .* does not exist/);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
