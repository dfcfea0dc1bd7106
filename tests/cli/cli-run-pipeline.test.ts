// `fibrecon run`: a YAML pipeline drives the same steps as the command line,
// with paths relative to the pipeline file; a failing step stops the rest.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { listVolumes } from '../../src-main/project/volume-store';
import { tempDir } from '../helpers/python';
import { cli, cliOk } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

it('runs a whole pipeline from a YAML file', async () => {
  await cliOk(['synth', join(root, 'sample'), '--columns', '96', '--rows', '48', '--slices', '8', '--kv', '2', '--seed', '9']);
  writeFileSync(
    join(root, 'pipeline.yaml'),
    [
      'project: out/sample.fibrecon',
      'steps:',
      '  - import: { channels: { 2kV: sample/2kV_TLD.tif }, crop: [0, 24, 96, 48] }',
      '  - thickness: { volume: 2kV, asv: sample/ProjectData.dat, apply: true }',
      '  - register: { volume: [2kV] }',
      '  - segment: { volume: 2kV-reg, method: kmeans, out: labels }',
      '  - reconstruct: { volume: labels, method: cubic, out: filled }',
      '  - metrics: { volume: filled }',
      '  - export: { volume: filled, out: out/filled.nrrd }',
    ].join('\n'),
  );
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(root, 'out'));
  const r = await cli(['run', join(root, 'pipeline.yaml')]);
  expect(r.stderr.slice(-3000)).toContain('Pipeline done: 7 step(s).');
  expect(r.code).toBe(0);
  expect(existsSync(join(root, 'out/filled.nrrd'))).toBe(true);
  const p = openProject(join(root, 'out/sample.fibrecon'), { write: false });
  expect(listVolumes(p.db).map((v) => v.name)).toEqual(['2kV', '2kV-reg', 'labels', 'filled']);
  expect(listRuns(p.db).map((x) => `${x.step}:${x.status}`)).toEqual(['import:done', 'thickness:done', 'register:done', 'segment:done', 'reconstruct:done']);
  p.close();
});

it('stops at the first failing step and says which', async () => {
  writeFileSync(join(root, 'bad.json'), JSON.stringify({ project: 'bad.fibrecon', steps: [{ info: {} }, { reconstruct: { volume: 'missing', method: 'cubic' } }, { check: {} }] }));
  const r = await cli(['run', join(root, 'bad.json')]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('Step 2 (reconstruct) failed; the steps after it did not run');
  expect(r.stderr).not.toContain('Step 3:');
  const nonsense = await cli(['run', join(root, 'bad.json'), '--nope']);
  expect(nonsense.code).toBe(2);
});
