// fibrecon export, read back with python's tifffile (an independent reader):
// the pixels equal the arrays the test generated (after the data-bar crop and
// the region of interest the import applied), and the ImageJ metadata carries
// the voxel size in nm.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPython, tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';
import { cli, cliOk, feiIni } from './run-cli';

const READ = `
import sys, json, tifffile
path, raw = sys.argv[1], sys.argv[2]
with tifffile.TiffFile(path) as t:
    a = t.asarray()
    p = t.pages[0]
    ij = t.imagej_metadata or {}
    meta = {
        'shape': list(a.shape), 'dtype': str(a.dtype), 'pages': len(t.pages), 'is_imagej': t.is_imagej,
        'imagej': {k: v for k, v in ij.items() if isinstance(v, (int, float, str, bool))},
        'xres': list(p.tags['XResolution'].value), 'yres': list(p.tags['YResolution'].value),
    }
    a.astype(a.dtype.newbyteorder('<')).tofile(raw)
print(json.dumps(meta))
`;

interface TiffMeta {
  shape: number[];
  dtype: string;
  pages: number;
  is_imagej: boolean;
  imagej: Record<string, string | number | boolean>;
  xres: [number, number];
  yres: [number, number];
}

function readWithTifffile(path: string): { meta: TiffMeta; data: Buffer } {
  const raw = `${path}.read.raw`;
  const meta = JSON.parse(runPython(READ, [path, raw])) as TiffMeta;
  return { meta, data: readFileSync(raw) };
}

/** The region (x, y, w, h) of every slice, as the bytes tifffile gives back (little-endian). */
function expectedBytes(slices: (Uint8Array | Uint16Array)[], nx: number, rect: { x: number; y: number; w: number; h: number }): Buffer {
  const parts: Buffer[] = [];
  for (const s of slices) {
    const out = s instanceof Uint8Array ? new Uint8Array(rect.w * rect.h) : new Uint16Array(rect.w * rect.h);
    for (let y = 0; y < rect.h; y++) out.set(s.subarray((rect.y + y) * nx + rect.x, (rect.y + y) * nx + rect.x + rect.w), y * rect.w);
    parts.push(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  }
  return Buffer.concat(parts);
}

let root: string;
let cleanup: () => void;
let project: string;
const [nz, ny, nx, rows] = [6, 32, 28, 26];
const crop = { x: 3, y: 5, w: 20, h: 17 };
let tld: Uint16Array[];
let inlens: Uint8Array[];

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir('fibrecon-cli-export-'));
  tld = makeSlices(nz, ny, nx, 'uint16', 41) as Uint16Array[];
  const feiStack = join(root, 'tld.tif');
  writeStackWithTifffile(feiStack, tld, ny, nx, { layout: 'multipage', tags: [{ tag: 34682, text: feiIni({ rows }) }] });
  project = join(root, 'p.fibrecon');
  await cliOk(['create', project]);
  // Data bar (rows 26..31) cropped from the FEI metadata, then the region of interest inside the image.
  await cliOk(['import', project, feiStack, '--name', 'TLD 2kV', '--slice-spacing-nm', '7.5', '--crop', `${crop.x},${crop.y},${crop.w},${crop.h}`]);
});
afterAll(() => cleanup());

describe('fibrecon export', () => {
  it('writes an ImageJ TIFF that tifffile reads pixel-exact, with spacing, unit nm and XResolution = 1 / pixel size', async () => {
    const out = join(root, 'tld-export.tif');
    const r = await cli(['export', project, '--channel', 'TLD 2kV', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${nz} slices, \\d+\\.\\d MB`));
    expect(r.stderr).toMatch(/^100% Exporting "TLD 2kV": slice 6 of 6$/m);

    const { meta, data } = readWithTifffile(out);
    expect(meta.shape).toEqual([nz, crop.h, crop.w]);
    expect(meta.dtype).toBe('uint16');
    expect(meta.pages).toBe(nz);
    expect(meta.is_imagej).toBe(true);
    expect(meta.imagej).toMatchObject({ images: nz, slices: nz, unit: 'nm', spacing: 7.5 });
    expect(meta.xres[0] / meta.xres[1]).toBeCloseTo(1 / 2.5, 9);
    expect(meta.yres[0] / meta.yres[1]).toBeCloseTo(1 / 2.5, 9);
    // The crop lies inside the image rows, so the data bar never shows; compare bytes.
    expect(crop.y + crop.h).toBeLessThanOrEqual(rows);
    expect(data.equals(expectedBytes(tld, nx, crop))).toBe(true);
  });

  it('exports an 8-bit channel with the data bar cropped and a user pixel size', async () => {
    const [mz, my, mx, mrows] = [4, 12, 10, 9];
    inlens = makeSlices(mz, my, mx, 'uint8', 42) as Uint8Array[];
    const stack = join(root, 'inlens.tif');
    writeStackWithTifffile(stack, inlens, my, mx, { layout: 'multipage', tags: [{ tag: 34682, text: feiIni({ rows: mrows }) }] });
    const p = join(root, 'p8.fibrecon');
    await cliOk(['create', p]);
    await cliOk(['import', p, stack, '--name', 'InLens', '--pixel-size-nm', '4', '--pixel-size-y-nm', '4', '--slice-spacing-nm', '20']);
    const out = join(root, 'inlens-export.tif');
    await cliOk(['export', p, '--channel', 'InLens', '--out', out]);
    const { meta, data } = readWithTifffile(out);
    expect(meta.shape).toEqual([mz, mrows, mx]);
    expect(meta.dtype).toBe('uint8');
    expect(meta.imagej).toMatchObject({ unit: 'nm', spacing: 20 });
    expect(meta.xres[0] / meta.xres[1]).toBeCloseTo(1 / 4, 9);
    expect(data.equals(expectedBytes(inlens, mx, { x: 0, y: 0, w: mx, h: mrows }))).toBe(true);
  });

  it('an unknown channel exits 1, lists the channels there are, and writes no file', async () => {
    const out = join(root, 'nothing.tif');
    const r = await cli(['export', project, '--channel', 'SE', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[not_found]');
    expect(r.stderr).toContain('"SE"');
    expect(r.stderr).toContain('TLD 2kV');
    expect(existsSync(out)).toBe(false);
  });

  it('an --out in a folder that does not exist exits 1 and says so', async () => {
    const r = await cli(['export', project, '--channel', 'TLD 2kV', '--out', join(root, 'no', 'such', 'x.tif')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[file_not_found]');
    expect(r.stderr).toMatch(/folder .* does not exist/);
  });
});
