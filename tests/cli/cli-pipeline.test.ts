// The geometry pipeline from the command line on a synthetic sample whose truth
// is known: import, thickness from ProjectData.dat applied as z positions,
// repositioning + cubic gap filling, export to Avizo, read back independently.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { getVolume } from '../../src-main/project/volume-store';
import { PYTHON, tempDir } from '../helpers/python';
import { cli, cliOk, REPO } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

it('imports, applies ASV thicknesses, reconstructs on the pixel grid and exports AmiraMesh with the voxel size', async () => {
  const sample = join(root, 'sample');
  const s = JSON.parse(await cliOk(['synth', sample, '--columns', '96', '--rows', '48', '--slices', '10', '--kv', '2', '--seed', '3', '--json']));
  const project = join(root, 'p.fibrecon');
  await cliOk(['create', project]);
  await cliOk(['import', project, `--channel=2kV=${s.files.stacks[0].path}`, '--crop', `${s.roi.x},${s.roi.y},${s.roi.width},${s.roi.height}`]);

  const th = JSON.parse(await cliOk(['thickness', project, '--volume', '2kV', '--asv', join(sample, 'ProjectData.dat'), '--apply', '--json']));
  expect(th.applied).toBe(true);
  expect(th.statistics.validCount).toBe(9);
  const trueZ = readFileSync(join(sample, 'z-positions.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1])); // slice,z_nm,plane
  const p = openProject(project, { write: false });
  const v = getVolume(p.db, '2kV');
  // Measured (ASV) z positions are applied: increasing, starting at 0, near the truth on average.
  expect(v.zPositionsNm[0]).toBe(0);
  expect(v.zPositionsNm.every((z, i) => i === 0 || z > v.zPositionsNm[i - 1])).toBe(true);
  expect(Math.abs(v.zPositionsNm.at(-1)! - (trueZ.at(-1)! - trueZ[0])) / (trueZ.at(-1)! - trueZ[0])).toBeLessThan(0.35);
  p.close();

  const rec = await cliOk(['reconstruct', project, '--volume', '2kV', '--method', 'cubic', '--out', 'rcs']);
  expect(rec).toMatch(/Wrote "rcs": \d+ planes of 2.5 nm from 10 slices/);
  const am = join(root, 'rcs.am');
  await cliOk(['export', project, '--volume', 'rcs', '--out', am]);
  const raw = join(root, 'rcs.raw');
  const info = JSON.parse(execFileSync(PYTHON, [join(REPO, 'tests/export/read_export.py'), 'amira-mesh', am, raw], { encoding: 'utf8' }));
  const q = openProject(project, { write: false });
  const rcs = getVolume(q.db, 'rcs');
  expect(info.shape).toEqual(rcs.shape);
  expect(info.spacing_nm[0]).toBeCloseTo(2.5, 9);
  expect(info.spacing_nm[2]).toBeCloseTo(2.5, 9);
  expect(listRuns(q.db).map((r) => `${r.step}:${r.status}`)).toEqual(['import:done', 'thickness:done', 'reconstruct:done']);
  q.close();

  const bad = await cli(['export', project, '--volume', 'rcs', '--out', join(root, 'x.unknown')]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('give --format');
  // Uneven z cannot go into a uniform format: the message says what to do.
  const uneven = await cli(['export', project, '--volume', '2kV', '--out', join(root, 'uneven.nrrd')]);
  expect(uneven.code).toBe(1);
  expect(uneven.stderr).toMatch(/reposition|stacked/i);
});
