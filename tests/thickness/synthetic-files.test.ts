// The readers against the files our synthetic run writes (src-main/synth):
// what was written must come back, in nm, in the DOMAIN.md convention.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asvMeasuredThicknessNm, asvProjectDataXml } from '../../src-main/synth/milling/asv-project-data';
import { mixSeed } from '../../src-main/synth/seeded-random';
import { hnpgPreset, writeSyntheticSample, type SyntheticSampleResult } from '../../src-main/synth/write-synthetic-sample';
import { matchSliceCount, parseAsvProjectData, parseThicknessTable, zPositionsNmFromThickness } from '../../src-main/thickness';
import { tempDir } from '../helpers/python';

let root: string;
let cleanup: () => void;
let result: SyntheticSampleResult;
const params = { ...hnpgPreset({ columns: 96, rows: 32, slices: 12, seed: 11 }), beams: [{ energyKeV: 2, detector: 'TLD' as const }] };

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  result = await writeSyntheticSample(join(root, 'sample'), params);
}, 60_000);
afterAll(() => cleanup());

function expectClose(actual: readonly (number | null)[], expected: readonly number[], tolNm: number) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (Number.isNaN(expected[i])) expect(a).toBeNull();
    else expect(Math.abs(a! - expected[i])).toBeLessThanOrEqual(tolNm);
  });
}

describe('synthetic run files', () => {
  it('ProjectData.dat reads back as the ASV estimates written, with the target, one per gap between slices', () => {
    const text = readFileSync(result.files.projectData, 'utf8');
    const parsed = parseAsvProjectData(text);
    expect(parsed.source).toBe('asv');
    expect(parsed.sliceNumbers).toEqual(Array.from({ length: params.slices - 1 }, (_, i) => i + 1));
    expect(parsed.targetNm!.every((t) => Math.abs(t! - params.milling.targetNm) < 1e-9)).toBe(true);
    // The writer's draw, with writeSyntheticSample's seed for the ASV stream (mixSeed(seed, 4)).
    const written = asvMeasuredThicknessNm(result.thicknessNm, mixSeed(params.seed, 4));
    const stack = matchSliceCount(parsed, params.slices);
    expect(stack.thicknessNm).toHaveLength(params.slices - 1);
    expectClose(stack.thicknessNm, written, 1e-5);
  });

  it('asvProjectDataXml values (with NaN and tiny ones) parse back to 7 significant digits', () => {
    const truth = Array.from({ length: 200 }, (_, i) => 10 + ((i * 7) % 11) - 5);
    const measured = asvMeasuredThicknessNm(truth, 5);
    expect(measured.some((m) => Number.isNaN(m))).toBe(true);
    expect(measured.some((m) => m <= 1)).toBe(true);
    const parsed = parseAsvProjectData(asvProjectDataXml(10, measured));
    parsed.thicknessNm.forEach((t, i) => {
      if (Number.isNaN(measured[i])) expect(t).toBeNull();
      else expect(Math.abs(t! - measured[i])).toBeLessThanOrEqual(1e-6 * measured[i]);
    });
    expect(parsed.notes.join(' ')).toMatch(/not measured \(NaN\)/);
  });

  it('thickness-true.csv and thickness-ruler.csv read back as written (nm from the header)', () => {
    const trueT = parseThicknessTable(readFileSync(result.files.thicknessTrue, 'utf8'), { fileName: 'thickness-true.csv' });
    expect(trueT.firstSliceNumber).toBe(0);
    expectClose(matchSliceCount(trueT, params.slices).thicknessNm, result.thicknessNm, 1e-9);
    const ruler = parseThicknessTable(readFileSync(result.files.thicknessRuler!, 'utf8'), { source: 'ruler', fileName: 'thickness-ruler.csv' });
    expect(ruler.source).toBe('ruler');
    expectClose(matchSliceCount(ruler, params.slices).thicknessNm, result.rulerThicknessNm!, 5e-4);
  });

  it('z-positions.csv differences into the true thicknesses, and positions come back', () => {
    const z = parseThicknessTable(readFileSync(result.files.zPositions, 'utf8'), { fileName: 'z-positions.csv' });
    const stack = matchSliceCount(z, params.slices);
    expectClose(stack.thicknessNm, result.thicknessNm, 1e-9);
    expectClose(zPositionsNmFromThickness(stack.thicknessNm), result.zPositionsNm, 1e-9);
  });
});
