// The Thickness step in Chromium with the real backend: the ruler band drawn with
// the mouse on a slice of the synthetic 2 kV stack (the fields follow, and the
// measurement runs with that band), then the sample's ProjectData.dat imported
// too: the ruler vs ASV comparison plots both series and shows ruler − ASV
// statistics equal to the ones computed here from the stored tables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThicknessSeries } from '../../src-shared/contract';
import { openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { getThicknessTable, listThicknessTables } from '../../src-main/thickness';
import { rendererBuilt, saveScreenshot } from './chromium';
import { createProjectInUi, importStackInUi, jobEnd, startWizardSession, synthSample, type SynthSample, type WizardSession } from './wizard-session';

async function colourCount(canvas: Locator, hex: string): Promise<number> {
  return canvas.evaluate((el, c) => {
    const cv = el as HTMLCanvasElement;
    const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
    const w = [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === w[0] && d[i + 1] === w[1] && d[i + 2] === w[2]) n++;
    return n;
  }, hex);
}

describe.skipIf(!rendererBuilt('thickness ruler/compare e2e'))('Thickness step: ruler band drawn on a slice, ruler vs ASV comparison', () => {
  let session: WizardSession;
  let page: Page;
  let sample: SynthSample;
  let projectPath: string;
  let manifest: { ruler: { rows: number; angleDeg: number; columns: number } };

  beforeAll(async () => {
    session = await startWizardSession({ name: 'thickness-ruler' });
    page = session.page;
    sample = await synthSample(session.dir, { columns: 256, rows: 48, slices: 8 });
    manifest = JSON.parse(readFileSync(join(session.dir, 'sample', 'manifest.json'), 'utf8'));
    projectPath = join(session.dir, 'ruler.fibrecon');
    await createProjectInUi(page, projectPath);
    await importStackInUi(page, '2kV', sample.files.stacks.find((s) => s.beam.energyKeV === 2)!.path);
    await page.getByRole('button', { name: '2 Thickness' }).click();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('a band dragged on the slice fills the fields, and the ruler measurement runs with it', async () => {
    const panel = page.locator('.thickness-panel');
    await panel.locator('select[name="thickness-source"]').selectOption('ruler');
    const canvas = panel.locator('.ruler-picker canvas');
    await canvas.waitFor();
    const [nx, ny] = ((await canvas.getAttribute('data-image-size')) ?? '').split('x').map(Number);
    expect(nx).toBe(manifest.ruler.columns);
    const box = (await canvas.boundingBox())!;
    // From the top-left corner across the whole width (out past the right edge: the band is clamped to the image), down to row rows − 1.
    const rows = manifest.ruler.rows - 1;
    await page.mouse.move(box.x + 0.2, box.y + 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + (box.height * rows) / ny / 2, { steps: 3 });
    // The end 0.4 px below the band's last edge: the edge is rounded to the nearest pixel boundary, and the
    // picker may be drawn at under 2 screen px per image px (the steps panel is narrower than the canvas's box),
    // where a pointer position on whole screen px can miss an exact boundary by more than half a pixel.
    await page.mouse.move(box.x + box.width + 6, box.y + (box.height * (rows + 0.4)) / ny, { steps: 3 });
    await page.mouse.up();
    const field = (k: string) => panel.locator(`input[name="ruler-${k}"]`).inputValue();
    expect([await field('x'), await field('y'), await field('width'), await field('height')]).toEqual(['0', '0', String(nx), String(rows)]);
    // The rectangle is drawn in the band colour on the slice.
    expect(await colourCount(canvas, '#ffc400')).toBeGreaterThan(100);
    // Typing keeps the drawing in sync, and a band outside the image is refused before anything runs.
    await panel.locator('input[name="ruler-width"]').fill(String(nx + 5));
    await expect(panel.locator('.ruler-problem').textContent()).resolves.toContain(`does not fit in the ${nx} × ${ny} px image`);
    await panel.locator('input[name="ruler-width"]').fill(String(nx));
    await panel.locator('input[name="ruler-angle"]').fill(String(manifest.ruler.angleDeg));
    await panel.locator('input[name="thickness-apply"]').uncheck();
    await panel.getByRole('button', { name: 'Import thickness' }).click();
    expect(await jobEnd(page, 'Thickness of 2kV')).toBe('done');
    const r = await session.backend.call('getThickness', { volume: '2kV' });
    const s = (r.ok ? r.value : null) as ThicknessSeries;
    expect(s.source).toBe('ruler');
    expect(s.thicknessNm).toHaveLength(7);
    await panel.locator(`.thickness-result[data-table="${s.tableId}"]`).waitFor();
    const p = openProject(projectPath, { write: false });
    try {
      const run = listRuns(p.db).filter((x) => x.step === 'thickness').at(-1)!;
      expect(run.params).toMatchObject({ rulerRegion: `0,0,${nx},${rows}`, angleDeg: String(manifest.ruler.angleDeg) });
    } finally {
      p.close();
    }
  }, 120_000);

  it('with the ProjectData.dat too: both series on one plot, ruler − ASV statistics as computed from the stored tables', async () => {
    const panel = page.locator('.thickness-panel');
    await panel.locator('select[name="thickness-source"]').selectOption('asv');
    await panel.locator('input[name="thickness-path"]').fill(sample.files.projectData);
    await panel.getByRole('button', { name: 'Import thickness' }).click();
    expect(await jobEnd(page, 'Thickness of 2kV')).toBe('done');
    // Independent: the latest asv and ruler tables of the volume, read from the project file.
    const p = openProject(projectPath, { write: false });
    let asv: (number | null)[];
    let ruler: (number | null)[];
    try {
      const tables = listThicknessTables(p.db);
      asv = getThicknessTable(p.db, tables.filter((t) => t.source === 'asv').at(-1)!.id).values.map((v) => v.thicknessNm);
      ruler = getThicknessTable(p.db, tables.filter((t) => t.source === 'ruler').at(-1)!.id).values.map((v) => v.thicknessNm);
    } finally {
      p.close();
    }
    const pairs = asv.map((a, i) => [a, ruler[i]] as const).filter((q): q is readonly [number, number] => q[0] !== null && q[1] !== null);
    const d = pairs.map(([a, b]) => b - a);
    const n = d.length;
    const mean = d.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    const maxAbs = Math.max(...d.map(Math.abs));
    const ma = pairs.reduce((s, q) => s + q[0], 0) / n;
    const mb = pairs.reduce((s, q) => s + q[1], 0) / n;
    const cov = pairs.reduce((s, q) => s + (q[0] - ma) * (q[1] - mb), 0);
    const r = cov / Math.sqrt(pairs.reduce((s, q) => s + (q[0] - ma) ** 2, 0) * pairs.reduce((s, q) => s + (q[1] - mb) ** 2, 0));
    expect(n).toBe(7);

    const view = panel.locator('.thickness-comparison');
    await view.waitFor();
    await expect(view.locator('.diff-n').textContent()).resolves.toBe(String(n));
    await expect(view.locator('.diff-mean').textContent()).resolves.toBe(`${mean.toFixed(2)} nm`);
    await expect(view.locator('.diff-sd').textContent()).resolves.toBe(`${sd.toFixed(2)} nm`);
    await expect(view.locator('.diff-max').textContent()).resolves.toBe(`${maxAbs.toFixed(2)} nm`);
    await expect(view.locator('.diff-r').textContent()).resolves.toBe(r.toFixed(3));
    // The ruler measures the same milling as the ASV file within a few nm.
    expect(Math.abs(mean)).toBeLessThan(5);
    // Both lines drawn: ASV blue, ruler orange.
    expect(await colourCount(view.locator('canvas'), '#1c6ed6')).toBeGreaterThan(50);
    expect(await colourCount(view.locator('canvas'), '#e8590c')).toBeGreaterThan(50);
    await saveScreenshot(page, 'wizard-thickness-compare.png');
    expect(session.pageErrors).toEqual([]);
  }, 120_000);
});
