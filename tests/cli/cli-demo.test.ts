// fibrecon demo: a project from the bundled FEI-style sample, summary on stdout.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/python';
import { cli, cliOk, infoJson, runsJson } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir('fibrecon-cli-demo-')));
afterAll(() => cleanup());

function expectDemoSummary(stdout: string) {
  expect(stdout).toContain('TLD 2kV');
  expect(stdout).toContain('40 slices');
  expect(stdout).toContain('5 nm');
  expect(stdout).toContain('FEI tag 34682');
}

describe('fibrecon demo', () => {
  it('makes the project in the folder given (created if needed), prints the summary; a second run replaces it', async () => {
    const project = join(root, 'sub', 'x.fibrecon');
    const first = await cli(['demo', '--project', project]);
    expect(first.code, first.stderr).toBe(0);
    expectDemoSummary(first.stdout);
    expect(first.stdout).toContain(`File     ${project}`);
    expect(first.stderr).toMatch(/^notice: TLD 2kV: Data bar cropped/m);
    expect(first.stderr).toMatch(/^Imported "TLD 2kV" \(40 slices of \d+ x \d+ px\)/m);
    expect(existsSync(project)).toBe(true);
    // The rest of the pipeline: segmentation by the shipped model on the CPU, reconstruction, metrics.
    expect(first.stdout).toMatch(/Wrote "labels": 40 slices of labels, solid fraction (\d+\.\d+) %, by model "unet25d-w7-2kv" on CPU/);
    const solid = Number(/solid fraction (\d+\.\d+) %/.exec(first.stdout)?.[1]);
    expect(solid).toBeGreaterThan(20);
    expect(solid).toBeLessThan(50);
    expect(first.stdout).toMatch(/Wrote "labels-cubic": 79 planes of 5 nm from 40 slices \(cubic\)/);
    expect(first.stdout).toMatch(/Quality of "labels-cubic": e_TPCF \d\.\d+, e_LPF \d\.\d+, e_D \d\.\d+, D_xy \d+\.\d nm/);
    const createdAt = (await infoJson(project)).createdAt;

    const second = await cli(['demo', '--project', project]);
    expect(second.code, second.stderr).toBe(0);
    expectDemoSummary(second.stdout);
    expect(second.stderr).toContain(`Replacing the earlier demo project ${project}`);

    // A fresh project, with one channel and one import run, not the two of both runs.
    const s = await infoJson(project);
    expect(s.createdAt).not.toBe(createdAt);
    expect(s.channels.map((c) => [c.name, c.shape[0]])).toEqual([['TLD 2kV', 40]]);
    expect(s.channels[0].voxelSizeNm.x).toBe(5);
    expect(s.channels[0].voxelSizeSource.x).toContain('FEI tag 34682');
    expect((await runsJson(project)).map((r) => `${r.step}:${r.status}`)).toEqual(['import:done', 'segment:done', 'reconstruct:done', 'metrics:done']);
    expect((await cli(['check', project])).code).toBe(0);
    // Two whole demos (each ~20 s on a quiet 2-core machine, several times that on a busy one).
  }, 300_000);

  // demo must replace only its own earlier project, never someone's real project at --project.
  it('does not delete a project that is not a demo project', async () => {
    const project = join(root, 'mine.fibrecon');
    await cliOk(['create', project, '--name', 'my precious sample']);
    const r = await cli(['demo', '--project', project]);
    expect((await infoJson(project)).name).toBe('my precious sample');
    expect(r.code).toBe(1);
  });
});
