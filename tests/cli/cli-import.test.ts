// fibrecon import that succeeds: a positional stack with --name, two channels in
// one call with --channel NAME=PATH, the metadata overrides and the crop. The
// result goes to stdout, progress and notices to stderr.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';
import { cli, cliOk, feiIni, infoJson, runsJson } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir('fibrecon-cli-import-')));
afterAll(() => cleanup());

let n = 0;
async function newProject(): Promise<string> {
  const p = join(root, `p${n++}.fibrecon`);
  await cliOk(['create', p]);
  return p;
}

describe('fibrecon import', () => {
  it('imports a positional multipage stack under --name; result on stdout, progress and notices on stderr', async () => {
    const [nz, ny, nx] = [5, 9, 11];
    const stack = join(root, 'plain.tif');
    writeStackWithTifffile(stack, makeSlices(nz, ny, nx, 'uint16', 2), ny, nx, { layout: 'multipage' });
    const project = await newProject();
    const r = await cli(['import', project, stack, '--name', 'SE2', '--pixel-size-nm', '4']);
    expect(r.code, r.stderr).toBe(0);
    // stdout: only the result.
    expect(r.stdout.trim()).toMatch(new RegExp(`^Imported "SE2" \\(${nz} slices of ${nx} x ${ny} px\\) in \\d+\\.\\d s$`));
    // stderr: the notices (no metadata; no slice spacing) and progress lines ending at 100%.
    expect(r.stderr).toMatch(/^notice: SE2: .*no instrument metadata/m);
    expect(r.stderr).toMatch(/^notice: SE2: No slice spacing in the metadata: slices assumed 4 nm apart/m);
    expect(r.stderr).toMatch(/^ *\d+% Importing "SE2": slice \d+ of 5/m);
    expect(r.stderr).toMatch(/^100% Imported "SE2": 5 slices/m);
    expect(r.stdout).not.toMatch(/%|notice/);

    const s = await infoJson(project);
    expect(s.channels.map((c) => [c.name, c.shape])).toEqual([['SE2', [nz, ny, nx]]]);
    expect(s.channels[0].voxelSizeNm).toEqual({ x: 4, y: 4, z: 4 });
    expect(s.channels[0].voxelSizeSource.x).toBe('user override');
    expect(s.channels[0].voxelSizeSource.z).toMatch(/^assumed equal to the pixel size x/);
  });

  it('a positional stack without --name becomes a channel named after the file', async () => {
    const folder = join(root, 'BSE-stack');
    mkdirSync(folder);
    writeStackWithTifffile(folder, makeSlices(3, 6, 7, 'uint8', 4), 6, 7, { layout: 'folder' });
    const project = await newProject();
    await cliOk(['import', project, folder, '--pixel-size-nm', '3', '--slice-spacing-nm', '6']);
    const s = await infoJson(project);
    expect(s.channels.map((c) => [c.name, c.shape, c.sourceFileCount])).toEqual([['BSE-stack', [3, 6, 7], 3]]);
  });

  it('two channels in one call with --channel NAME=PATH, overrides, crop and --json', async () => {
    const [nz, ny, nx, rows] = [4, 24, 20, 18];
    const fei = join(root, 'tld.tif');
    const plain = join(root, 'etd.tif');
    writeStackWithTifffile(fei, makeSlices(nz, ny, nx, 'uint16', 5), ny, nx, { layout: 'multipage', tags: [{ tag: 34682, text: feiIni({ rows }) }] });
    // The second stack has no data bar: the same size as the first one's image rows.
    writeStackWithTifffile(plain, makeSlices(nz, rows, nx, 'uint16', 6), rows, nx, { layout: 'multipage' });
    const project = await newProject();
    const args = ['import', project, '--channel', `TLD=${fei}`, '--channel', `ETD=${plain}`];
    const r = await cli([
      ...args,
      ...['--pixel-size-nm', '3', '--pixel-size-y-nm', '3.5', '--slice-spacing-nm', '12', '--beam-kv', '1.5', '--detector', 'ETD+TLD', '--crop', '2,3,15,10', '--json'],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.channels).toEqual([
      expect.objectContaining({ name: 'TLD', slices: nz, width: 15, height: 10, rawBytes: nz * 15 * 10 * 2 }),
      expect.objectContaining({ name: 'ETD', slices: nz, width: 15, height: 10, rawBytes: nz * 15 * 10 * 2 }),
    ]);
    expect(Number.isInteger(result.runId)).toBe(true);
    expect(result.notices.join('\n')).toMatch(/TLD: Data bar cropped: rows 18\.\.23 removed/);
    expect(r.stderr).toMatch(/^notice: TLD: Data bar cropped/m);
    expect(r.stderr).toMatch(/^100% Imported "TLD", "ETD": 8 slices/m);

    const s = await infoJson(project);
    expect(s.channels.map((c) => c.name)).toEqual(['TLD', 'ETD']);
    for (const c of s.channels) {
      expect(c.shape).toEqual([nz, 10, 15]);
      expect(c.voxelSizeNm).toEqual({ x: 3, y: 3.5, z: 12 });
      expect(c.voxelSizeSource).toEqual({ x: 'user override', y: 'user override', z: 'user override' });
      expect(c.beamVoltageV).toEqual({ value: 1500, source: 'user override' });
      expect(c.detector).toEqual({ value: 'ETD+TLD', source: 'user override' });
      expect(c.depthNm).toBe(36);
    }
    expect((await runsJson(project)).map((x) => x.status)).toEqual(['done']);
  });

  // --pixel-size-nm alone means square pixels: y = X unless --pixel-size-y-nm is given.
  it('--pixel-size-nm alone overrides both x and y, also on a stack whose metadata has a pixel height', async () => {
    const [nz, ny, nx] = [2, 6, 6];
    const fei = join(root, 'fei-override.tif');
    writeStackWithTifffile(fei, makeSlices(nz, ny, nx, 'uint8', 9), ny, nx, { layout: 'multipage', tags: [{ tag: 34682, text: feiIni({ rows: ny }) }] });
    const project = await newProject();
    await cliOk(['import', project, fei, '--name', 'c', '--pixel-size-nm', '4']);
    const c = (await infoJson(project)).channels[0];
    expect(c.voxelSizeNm.x).toBe(4);
    expect(c.voxelSizeSource.x).toBe('user override');
    expect(c.voxelSizeNm.y).toBe(4);
    expect(c.voxelSizeSource.y).toMatch(/^user override/);
  });
});
