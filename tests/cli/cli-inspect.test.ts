// fibrecon inspect: what an import would find in a stack (pixel size and its
// source, HV, detector, image rows above the data bar), without writing anything.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackInspection } from '../../src-shared/contract';
import { tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';
import { cli, cliOk, feiIni } from './run-cli';

let root: string;
let cleanup: () => void;
let stack: string;
const [nz, ny, nx, rows] = [3, 20, 16, 15];

beforeAll(() => {
  ({ dir: root, cleanup } = tempDir('fibrecon-cli-inspect-'));
  stack = join(root, 'fei.tif');
  writeStackWithTifffile(stack, makeSlices(nz, ny, nx, 'uint16', 31), ny, nx, {
    layout: 'multipage',
    tags: [{ tag: 34682, text: feiIni({ rows, hv: 2000, detector: 'TLD' }) }],
  });
});
afterAll(() => cleanup());

/** Every file under root with its size, mtime and content hash. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(root)) {
    const p = join(root, name);
    const st = statSync(p);
    out[name] = `${st.size} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
  }
  return out;
}

describe('fibrecon inspect', () => {
  it('prints the pixel size 2.5 nm with its source, HV, detector and image rows of an FEI stack', async () => {
    const out = await cliOk(['inspect', stack]);
    expect(out).toMatch(/^Files +1 \(.*fei\.tif\)$/m);
    expect(out).toMatch(/^Slices +3$/m);
    expect(out).toMatch(/^Image +16 x 20 px, uint16$/m);
    expect(out).toMatch(/^Vendor +thermo-fei$/m);
    expect(out).toMatch(/^Pixel x +2\.5 nm \(FEI tag 34682 \[Scan\] PixelWidth\)$/m);
    expect(out).toMatch(/^Pixel y +2\.5 nm \(FEI tag 34682 \[Scan\] PixelHeight\)$/m);
    expect(out).toMatch(/^Spacing z +not found$/m);
    expect(out).toMatch(/^Beam +2000 V \(FEI tag 34682 \[Beam\] HV\)$/m);
    expect(out).toMatch(/^Detector +TLD \(FEI tag 34682 \[Detectors\] Name\)$/m);
    expect(out).toMatch(/^Image rows 15 \(FEI tag 34682 \[Image\] ResolutionY.*\).*data bar/m);
  });

  it('--json parses and holds the same values with their sources', async () => {
    const s = JSON.parse(await cliOk(['inspect', stack, '--json'])) as StackInspection;
    expect(s).toMatchObject({
      files: [stack],
      slices: nz,
      width: nx,
      height: ny,
      dtype: 'uint16',
      vendor: 'thermo-fei',
      pixelSizeXNm: { value: 2.5, source: 'FEI tag 34682 [Scan] PixelWidth' },
      pixelSizeYNm: { value: 2.5, source: 'FEI tag 34682 [Scan] PixelHeight' },
      beamVoltageV: { value: 2000, source: 'FEI tag 34682 [Beam] HV' },
      detector: { value: 'TLD', source: 'FEI tag 34682 [Detectors] Name' },
      imageRows: { value: rows },
    });
    expect(s.imageRows?.source).toContain('ResolutionY');
    expect(s.sliceSpacingNm).toBeUndefined();
    expect(Array.isArray(s.notices)).toBe(true);
  });

  it('writes nothing: no new file, the stack untouched', async () => {
    const before = snapshot();
    await cliOk(['inspect', stack]);
    await cliOk(['inspect', stack, '--json']);
    expect(snapshot()).toEqual(before);
  });

  it('a stack without metadata: the pixel size is "not found" and a notice says to enter it', async () => {
    const plain = join(root, 'plain.tif');
    writeStackWithTifffile(plain, makeSlices(2, 5, 5, 'uint8', 32), 5, 5, { layout: 'multipage' });
    const out = await cliOk(['inspect', plain]);
    expect(out).toMatch(/^Pixel x +not found$/m);
    expect(out).toMatch(/^Notice +.*no instrument metadata/m);
  });

  it('a missing path exits 1 with file_not_found', async () => {
    const r = await cli(['inspect', join(root, 'absent.tif')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[file_not_found]');
    expect(r.stderr).toContain('absent.tif');
  });
});
