// create, info and check: making a project file and reading what it holds.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';
import { cli, cliOk, feiIni, infoJson, runsJson } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir('fibrecon-cli-project-')));
afterAll(() => cleanup());

describe('fibrecon create', () => {
  it('creates the project file; a second create on the same path exits 1 and says the file exists', async () => {
    const path = join(root, 'first.fibrecon');
    const out = await cliOk(['create', path, '--name', 'NPG sample 7']);
    expect(existsSync(path)).toBe(true);
    expect(out).toContain(path);
    expect(out).toContain('NPG sample 7');

    const again = await cli(['create', path]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(path);
    expect(again.stderr).toMatch(/already exists/);
    // The first project is still there, with its name.
    expect((await infoJson(path)).name).toBe('NPG sample 7');
  });

  it('--json prints the project summary: schemaVersion, name, no channels', async () => {
    const path = join(root, 'json.fibrecon');
    const s = JSON.parse(await cliOk(['create', path, '--name', 'js', '--json']));
    expect(s).toMatchObject({ path, name: 'js', channels: [], interruptedRuns: 0 });
    expect(Number.isInteger(s.schemaVersion) && s.schemaVersion > 0).toBe(true);
    expect(Number.isNaN(Date.parse(s.createdAt))).toBe(false);
    // Without --name the project is named after the file.
    const bare = JSON.parse(await cliOk(['create', join(root, 'unnamed-sample.fibrecon'), '--json']));
    expect(bare.name).toBe('unnamed-sample');
  });
});

describe('fibrecon info and check', () => {
  const [nz, ny, nx, rows] = [4, 14, 12, 10];
  let project: string;
  beforeAll(async () => {
    const stack = join(root, 'fei.tif');
    writeStackWithTifffile(stack, makeSlices(nz, ny, nx, 'uint8', 11), ny, nx, { layout: 'multipage', tags: [{ tag: 34682, text: feiIni({ rows }) }] });
    project = join(root, 'info.fibrecon');
    await cliOk(['create', project, '--name', 'info test']);
    await cliOk(['import', project, stack, '--name', 'InLens', '--slice-spacing-nm', '7.5']);
  });

  it('text output names the channel, its slice count, voxel sizes in nm and where each came from', async () => {
    const out = await cliOk(['info', project]);
    expect(out).toContain('Project  info test');
    expect(out).toContain('Channels 1');
    expect(out).toContain(`InLens: ${nz} slices x ${rows} rows x ${nx} columns, uint8`);
    expect(out).toMatch(/x 2\.5 nm \(FEI tag 34682 \[Scan\] PixelWidth\)/);
    expect(out).toMatch(/y 2\.5 nm \(FEI tag 34682 \[Scan\] PixelHeight\)/);
    expect(out).toMatch(/z 7\.5 nm \(user override\)/);
    expect(out).toMatch(/beam +2 kV \(FEI tag 34682 \[Beam\] HV\)/);
    expect(out).toMatch(/detector +TLD \(FEI tag 34682 \[Detectors\] Name\)/);
    // Extent: 12 px x 2.5 nm by 10 rows x 2.5 nm; 4 slices 7.5 nm apart span 22.5 nm.
    expect(out).toContain('extent      30 nm x 25 nm; slices span 22.5 nm');
  });

  it('--json has the structure: channels[].shape, voxelSizeNm, voxelSizeSource', async () => {
    const s = await infoJson(project);
    expect(s.name).toBe('info test');
    expect(s.channels).toHaveLength(1);
    const c = s.channels[0];
    expect(c).toMatchObject({
      name: 'InLens',
      shape: [nz, rows, nx],
      dtype: 'uint8',
      voxelSizeNm: { x: 2.5, y: 2.5, z: 7.5 },
      voxelSizeSource: { x: 'FEI tag 34682 [Scan] PixelWidth', y: 'FEI tag 34682 [Scan] PixelHeight', z: 'user override' },
      depthNm: 22.5,
      beamVoltageV: { value: 2000 },
      detector: { value: 'TLD' },
      sourceFileCount: 1,
      rawBytes: nz * rows * nx,
    });
    expect(c.storedBytes).toBeGreaterThan(0);
  });

  it('--runs lists the runs with their status, in text and in JSON', async () => {
    const text = await cliOk(['info', project, '--runs']);
    expect(text).toMatch(/^run 1: import done \S+ \(\d+\.\d s\)$/m);
    const runs = await runsJson(project);
    expect(runs.map((r) => [r.id, r.step, r.status, r.error])).toEqual([[1, 'import', 'done', null]]);
  });

  it('check prints ok and exits 0 on a good project', async () => {
    const r = await cli(['check', project]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`${project}: ok`);
  });

  it('info on a file that is not a project exits 1 with not_a_project and leaves the file alone', async () => {
    const notes = join(root, 'notes.txt');
    writeFileSync(notes, 'just some text, not SQLite\n');
    const r = await cli(['info', notes]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[not_a_project]');
    expect(r.stderr).toContain('notes.txt');
    const c = await cli(['check', join(root, 'fei.tif')]);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('[not_a_project]');
    const missing = await cli(['info', join(root, 'nowhere.fibrecon')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[file_not_found]');
    expect(existsSync(join(root, 'nowhere.fibrecon'))).toBe(false);
  });
});
