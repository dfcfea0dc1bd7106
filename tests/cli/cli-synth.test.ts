// `fibrecon synth` writes a sample that the app imports as channels with the
// right voxel size, with truth and thickness tables beside it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runPython, tempDir } from '../helpers/python';
import { cli, cliOk, infoJson } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

it('writes stacks per kV and detector with FEI metadata, truth and tables; import takes them as channels', async () => {
  const out = join(root, 'sample');
  const r = JSON.parse(await cliOk(['synth', out, '--columns', '96', '--rows', '40', '--slices', '8', '--kv', '1,2', '--detector', 'TLD,ICD', '--seed', '7', '--json']));
  expect(r.files.stacks).toHaveLength(4);
  expect(r.roi).toEqual({ x: 0, y: 24, width: 96, height: 40 });
  const meta = JSON.parse(
    runPython(
      `import sys, json, tifffile
t = tifffile.TiffFile(sys.argv[1]); m = t.fei_metadata
print(json.dumps({'pages': len(t.pages), 'shape': list(t.pages[0].shape), 'px': m['Scan']['PixelWidth'], 'hv': m['Beam']['HV'], 'det': m['Detectors']['Name']}))`,
      [join(out, '2kV_ICD.tif')],
    ),
  );
  expect(meta).toMatchObject({ pages: 8, shape: [64, 96], hv: 2000, det: 'ICD' });
  expect(meta.px).toBeCloseTo(2.5e-9, 15);
  const z = readFileSync(join(out, 'z-positions.csv'), 'utf8').trim().split('\n');
  expect(z).toHaveLength(9); // header + 8 slices
  expect(readFileSync(join(out, 'ProjectData.dat'), 'utf8')).toContain('MeasuredThickness');

  const project = join(root, 's.fibrecon');
  await cliOk(['create', project]);
  const channels = r.files.stacks.map((s: { beam: { energyKeV: number; detector: string }; path: string }) => `--channel=${s.beam.energyKeV}kV-${s.beam.detector}=${s.path}`);
  await cliOk(['import', project, ...channels, '--crop', '0,24,96,40']);
  const info = await infoJson(project);
  expect(info.channels.map((c) => c.name).sort()).toEqual(['1kV-ICD', '1kV-TLD', '2kV-ICD', '2kV-TLD']);
  for (const c of info.channels) {
    expect(c.shape).toEqual([8, 40, 96]);
    expect(c.voxelSizeNm.x).toBeCloseTo(2.5, 9);
  }
  // Same seed, same bytes.
  const again = join(root, 'again');
  await cliOk(['synth', again, '--columns', '96', '--rows', '40', '--slices', '8', '--kv', '1,2', '--detector', 'TLD,ICD', '--seed', '7']);
  expect(readFileSync(join(again, '2kV_TLD.tif')).equals(readFileSync(join(out, '2kV_TLD.tif')))).toBe(true);
});

it('refuses a bad detector with exit 1', async () => {
  const r = await cli(['synth', join(root, 'x'), '--detector', 'ETD']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('--detector takes TLD and/or ICD');
});
