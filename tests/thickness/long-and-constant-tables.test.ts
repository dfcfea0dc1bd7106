// Thickness tables at the edges: a long run (130 000 rows, more values than a
// function call takes as arguments) and a constant table (every slice 10 nm, no
// spread to fit), through the CLI step on a real project and through the pure
// functions; numbers checked against python (numpy) and plain loops.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, openProject } from '../../src-main/project/open-project';
import { encodeSliceSync } from '../../src-main/project/slice-codec';
import { finishVolume, getVolume, insertVolume, sliceWriter } from '../../src-main/project/volume-store';
import {
  fitGamma,
  flagThickness,
  matchSliceCount,
  parseThicknessTable,
  resolveFlaggedThickness,
  summarizeThickness,
  tryFitGamma,
  zPositionsNmFromThickness,
} from '../../src-main/thickness';
import { cli } from '../cli/run-cli';
import { runPython, tempDir } from '../helpers/python';

const tmp = tempDir('fibrecon-thickness-long-');
afterAll(() => tmp.cleanup());

const ROWS = 130_000;
/** Deterministic thicknesses around 10 nm (a few digits, so the CSV text is exact). */
const thickness = (i: number) => Math.round((10 + 3 * Math.sin(i * 0.37) + ((i * 7919) % 101) / 100) * 1000) / 1000;

/** A project with one 1 x 1 px volume "g" of `slices` slices (rows written directly: one encoded blob for all). */
function projectWithSlices(name: string, slices: number): string {
  const path = join(tmp.dir, `${name}.fibrecon`);
  const p = createProject(path, { appVersion: 'test' });
  const blob = encodeSliceSync(new Uint8Array(1));
  p.db.exec('BEGIN');
  const id = insertVolume(p.db, { name: 'g', role: 'channel', kind: 'grey', dtype: 'uint8', shape: [slices, 1, 1], voxelSizeNm: { x: 10, y: 10, z: 10 }, voxelSizeSource: { x: 'test', y: 'test', z: 'test' } });
  const write = sliceWriter(p.db, id);
  for (let z = 0; z < slices; z++) write(z, 10 * z, blob);
  finishVolume(p.db, id);
  p.db.exec('COMMIT');
  p.close();
  return path;
}

describe('a 130 000-row thickness table', () => {
  let csv: string;
  beforeAll(() => {
    const lines = ['slice,thickness_nm'];
    for (let i = 0; i < ROWS; i++) lines.push(`${i},${thickness(i)}`);
    csv = join(tmp.dir, 'long.csv');
    writeFileSync(csv, lines.join('\n') + '\n');
  });

  it('is read, flagged, resolved and summarised without running out of stack; numbers match numpy', () => {
    const text = `slice,thickness_nm\n${Array.from({ length: ROWS }, (_, i) => `${i},${thickness(i)}`).join('\n')}\n`;
    const parsed = parseThicknessTable(text);
    expect(parsed.thicknessNm.length).toBe(ROWS);
    const matched = matchSliceCount(parsed, ROWS + 1);
    const flagged = flagThickness(matched.thicknessNm);
    const resolved = resolveFlaggedThickness(matched.thicknessNm, flagged.flags, { nan: 'interpolate', tiny: 'interpolate', outlier: 'keep' }, { targetNm: 10 });
    const s = summarizeThickness(resolved.thicknessNm);
    const ref = JSON.parse(
      runPython(
        'import sys, json, numpy as np\nfrom scipy import stats\nx = np.array(json.loads(sys.stdin.read()))\n' +
          'k, loc, th = stats.gamma.fit(x, floc=0)\nprint(json.dumps([float(x.min()), float(x.max()), float(x.mean()), float(x.std(ddof=1)), float(np.median(x)), float(k), float(th)]))',
        [],
        JSON.stringify(parsed.thicknessNm),
      ),
    ) as number[];
    expect(s.minNm).toBe(ref[0]);
    expect(s.maxNm).toBe(ref[1]);
    expect(s.meanNm).toBeCloseTo(ref[2], 9);
    expect(s.sdNm).toBeCloseTo(ref[3], 9);
    expect(s.medianNm).toBe(ref[4]);
    const g = fitGamma(resolved.thicknessNm);
    expect(Math.abs(g.shape - ref[5]) / ref[5]).toBeLessThan(1e-5);
    const z = zPositionsNmFromThickness(resolved.thicknessNm);
    expect(z.length).toBe(ROWS + 1);
  });

  it('is applied by `fibrecon thickness --table --apply` to a 130 001-slice volume (exit 0, z = cumulative sum)', async () => {
    const project = projectWithSlices('long', ROWS + 1);
    const r = await cli(['thickness', project, '--volume', 'g', '--table', csv, '--apply']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/130000 values/);
    const p = openProject(project, { write: false });
    const zs = getVolume(p.db, 'g').zPositionsNm;
    p.close();
    let z = 0;
    let worst = 0;
    for (let i = 0; i < ROWS; i++) {
      z += thickness(i);
      worst = Math.max(worst, Math.abs(zs[i + 1] - z));
    }
    expect(zs[0]).toBe(0);
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('a constant thickness table (every slice 10 nm)', () => {
  it('tryFitGamma skips the fit and says why; fitGamma still refuses', () => {
    const r = tryFitGamma([10, 10, 10, 10]);
    expect(r.fit).toBeNull();
    expect(r.fit === null && r.skipped).toMatch(/gamma fit skipped: all thicknesses are equal \(4 values of 10 nm\), so there is no spread/);
    expect(() => fitGamma([10, 10, 10])).toThrow(/all thicknesses are equal \(3 values of 10 nm\).*the mean alone describes the series/);
    expect(tryFitGamma([9, 11]).fit).not.toBeNull();
  });

  it('is applied by the CLI with the gamma fit skipped and the reason in the notices', async () => {
    const project = projectWithSlices('constant', 6);
    const csv = join(tmp.dir, 'constant.csv');
    writeFileSync(csv, 'slice,thickness_nm\n0,10\n1,10\n2,10\n3,10\n4,10\n');
    const r = await cli(['thickness', project, '--volume', 'g', '--table', csv, '--apply']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('mean 10.00 nm, sd 0.00 nm');
    expect(r.stdout).toContain('gamma fit skipped');
    expect(r.stderr).toMatch(/notice: gamma fit skipped: all thicknesses are equal \(5 values of 10 nm\).*the table is used as it is/);
    const p = openProject(project, { write: false });
    expect(getVolume(p.db, 'g').zPositionsNm).toEqual([0, 10, 20, 30, 40, 50]);
    p.close();
  });
});
