import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRequest } from '../../src-shared/contract';
import { importChannels } from '../../src-main/import/import-channels';
import { createProject, integrityCheck, type Project } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { getVolume, listVolumes, readSlice } from '../../src-main/project/volume-store';
import { runPython, tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

let n = 0;
function newProject(): Project {
  return createProject(join(root, `p${n++}.fibrecon`), { name: 'test', appVersion: 'test' });
}
const ctx = { appVersion: 'test' };
const doImport = (p: Project, req: ImportRequest, signal?: AbortSignal) => importChannels(p, req, { ...ctx, signal });

function snapshot(p: Project) {
  const count = (t: string) => p.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get();
  return { volumes: count('volume'), slices: count('slice'), files: count('input_file'), names: listVolumes(p.db).map((v) => v.name) };
}

const FEI_INI = (rows: number) =>
  ['[Beam]', 'HV=2000', '[Scan]', 'PixelWidth=2.5e-009', 'PixelHeight=2.5e-009', '[Detectors]', 'Name=TLD', 'Mode=SE', '[Image]', 'ResolutionX=40', `ResolutionY=${rows}`, ''].join('\r\n');

describe('import', () => {
  it('imports a multipage 16-bit FEI-style stack: pixel size, HV, detector from the metadata, data bar cropped, pixels exact', async () => {
    const [nz, ny, nx, rows] = [6, 30, 40, 24];
    const slices = makeSlices(nz, ny, nx, 'uint16', 3);
    const file = join(root, 'fei.tif');
    writeStackWithTifffile(file, slices, ny, nx, { layout: 'multipage', tags: [{ tag: 34682, text: FEI_INI(rows) }] });
    const p = newProject();
    const r = await doImport(p, { channels: [{ name: '2kV', paths: [file] }] });
    expect(r.channels[0]).toMatchObject({ name: '2kV', slices: nz, width: nx, height: rows });
    expect(r.notices.join('\n')).toMatch(/Data bar cropped/);
    const v = getVolume(p.db, '2kV');
    expect(v.shape).toEqual([nz, rows, nx]);
    expect(v.voxelSizeNm.x).toBeCloseTo(2.5, 12);
    expect(v.voxelSizeSource.x).toContain('34682');
    expect(v.metadata).toMatchObject({ vendor: 'thermo-fei', beamVoltageV: { value: 2000 }, detector: { value: 'TLD' } });
    for (let z = 0; z < nz; z++) expect(await readSlice(p.db, v, z)).toEqual(slices[z].subarray(0, rows * nx));
    // Provenance: path, size and the SHA-256 of the file (checked against python's hashlib).
    const f = p.db.prepare('SELECT * FROM input_file').get() as { path: string; size_bytes: number; sha256: string; pages: number };
    const sha = runPython('import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())', [file]).trim();
    expect(f).toMatchObject({ path: file, size_bytes: readFileSync(file).length, sha256: sha, pages: nz });
    expect(listRuns(p.db).map((x) => x.status)).toEqual(['done']);
    expect(integrityCheck(p.db)).toEqual([]);
    p.close();
  });

  it('imports a folder in natural order (slice_2 before slice_10), with user overrides recorded as such', async () => {
    const [nz, ny, nx] = [12, 8, 9];
    const slices = makeSlices(nz, ny, nx, 'uint8', 5);
    const folder = join(root, 'folder');
    mkdirSync(folder);
    writeStackWithTifffile(folder, slices, ny, nx, { layout: 'folder' });
    writeFileSync(join(folder, 'notes.txt'), 'not an image');
    const p = newProject();
    await doImport(p, { channels: [{ name: 'SE', paths: [folder] }], overrides: { pixelSizeXNm: 4, sliceSpacingNm: 12.5 } });
    const v = getVolume(p.db, 'SE');
    expect(v.voxelSizeNm).toEqual({ x: 4, y: 4, z: 12.5 });
    expect(v.voxelSizeSource.x).toBe('user override');
    expect(v.zPositionsNm).toEqual(Array.from({ length: nz }, (_, i) => i * 12.5));
    for (let z = 0; z < nz; z++) expect(await readSlice(p.db, v, z)).toEqual(slices[z]);
    p.close();
  });

  it('converts an RGB stack to grey with one notice, not one per slice', async () => {
    const file = join(root, 'rgb.tif');
    runPython(
      `import sys, numpy as np, tifffile
rng = np.random.default_rng(3)
a = rng.integers(0, 256, size=(5, 6, 7, 3), dtype=np.uint8)
tifffile.imwrite(sys.argv[1], a, photometric='rgb')
np.save(sys.argv[1] + '.npy', np.round(a[..., 0] * 0.299 + a[..., 1] * 0.587 + a[..., 2] * 0.114).astype(np.uint8))`,
      [file],
    );
    const p = newProject();
    const r = await doImport(p, { channels: [{ name: 'rgb', paths: [file] }], overrides: { pixelSizeXNm: 1 } });
    const rgbNotices = r.notices.filter((n) => /Converted RGB/.test(n));
    expect(rgbNotices).toHaveLength(1);
    const v = getVolume(p.db, 'rgb');
    expect(v.shape).toEqual([5, 6, 7]);
    const expected = JSON.parse(runPython('import sys, numpy as np; print(np.load(sys.argv[1]).tolist())', [`${file}.npy`])) as number[][][];
    for (let z = 0; z < 5; z++) {
      const got = [...(await readSlice(p.db, v, z))];
      // Luminance rounding may differ by one grey level between implementations at exact .5 ties.
      got.forEach((g, i) => expect(Math.abs(g - expected[z][Math.floor(i / 7)][i % 7])).toBeLessThanOrEqual(1));
    }
    p.close();
  });

  it('crops a region of interest', async () => {
    const slices = makeSlices(3, 20, 30, 'uint16', 9);
    const file = join(root, 'roi.tif');
    writeStackWithTifffile(file, slices, 20, 30, { layout: 'multipage' });
    const p = newProject();
    await doImport(p, { channels: [{ name: 'a', paths: [file] }], overrides: { pixelSizeXNm: 3 }, crop: { x: 5, y: 4, width: 10, height: 7 } });
    const v = getVolume(p.db, 'a');
    expect(v.shape).toEqual([3, 7, 10]);
    const got = await readSlice(p.db, v, 2);
    for (let y = 0; y < 7; y++) for (let x = 0; x < 10; x++) expect(got[y * 10 + x]).toBe(slices[2][(y + 4) * 30 + x + 5]);
    await expect(doImport(p, { channels: [{ name: 'b', paths: [file] }], overrides: { pixelSizeXNm: 3 }, crop: { x: 25, y: 0, width: 10, height: 5 } })).rejects.toMatchObject({
      tag: 'invalid_input',
    });
    p.close();
  });

  it('imports the real Thermo Fisher Helios files with their pixel size, HV and detector, data bar cropped', async () => {
    const dir = join(root, 'helios');
    mkdirSync(dir);
    execFileSync('unzip', ['-q', '/work/shared/testdata/rosettasciio_tiff_FEI_Helios.zip', '-d', dir].map((a) => a.replace('/work/shared', join(process.cwd(), '../shared'))));
    for (const name of ['FEI-Helios-Ebeam-8bits.tif', 'FEI-Helios-Ebeam-16bits.tif']) {
      const file = join(dir, name);
      const ref = JSON.parse(
        runPython(
          `import sys, json, tifffile, hashlib
t = tifffile.TiffFile(sys.argv[1]); m = t.fei_metadata; rows = int(m['Image']['ResolutionY'])
a = t.pages[0].asarray()[:rows]
print(json.dumps({'px': m['Scan']['PixelWidth'], 'hv': m['Beam']['HV'], 'det': m['Detectors']['Name'], 'rows': rows, 'width': a.shape[1], 'sum': int(a.astype('int64').sum()), 'md5': hashlib.md5(a.tobytes()).hexdigest()}))`,
          [file],
        ),
      );
      const p = newProject();
      await doImport(p, { channels: [{ name: 'ETD', paths: [file] }] });
      const v = getVolume(p.db, 'ETD');
      expect(v.shape).toEqual([1, ref.rows, ref.width]);
      expect(v.voxelSizeNm.x).toBeCloseTo(ref.px * 1e9, 6);
      expect(v.metadata).toMatchObject({ beamVoltageV: { value: ref.hv }, detector: { value: ref.det } });
      const s = await readSlice(p.db, v, 0);
      const md5 = (await import('node:crypto')).createHash('md5').update(Buffer.from(s.buffer, s.byteOffset, s.byteLength)).digest('hex');
      expect(md5).toBe(ref.md5);
      p.close();
    }
    // A navigation-camera image has no pixel size: the import says how to give one.
    const nav = join(dir, 'FEI-Helios-navcam.tif');
    const p = newProject();
    await expect(doImport(p, { channels: [{ name: 'nav', paths: [nav] }] })).rejects.toMatchObject({ tag: 'invalid_input', message: expect.stringMatching(/pixel size/i) });
    await doImport(p, { channels: [{ name: 'nav', paths: [nav] }], overrides: { pixelSizeXNm: 1000 } });
    expect(getVolume(p.db, 'nav').shape).toEqual([1, 512, 768]);
    p.close();
  });

  it('imports several channels of one sample, and refuses one whose size differs, naming it; nothing is written', async () => {
    const a = join(root, 'ch1kv.tif');
    const b = join(root, 'ch2kv.tif');
    const c = join(root, 'ch4kv-wrong.tif');
    writeStackWithTifffile(a, makeSlices(4, 10, 12, 'uint8', 1), 10, 12, { layout: 'multipage' });
    writeStackWithTifffile(b, makeSlices(4, 10, 12, 'uint8', 2), 10, 12, { layout: 'multipage' });
    writeStackWithTifffile(c, makeSlices(5, 10, 12, 'uint8', 3), 10, 12, { layout: 'multipage' });
    const p = newProject();
    const o = { pixelSizeXNm: 2.5 };
    await doImport(p, { channels: [{ name: '1kV', paths: [a] }, { name: '2kV', paths: [b] }], overrides: o });
    const before = snapshot(p);
    expect(before.names).toEqual(['1kV', '2kV']);
    await expect(doImport(p, { channels: [{ name: '4kV', paths: [c] }], overrides: o })).rejects.toMatchObject({
      tag: 'size_mismatch',
      message: expect.stringContaining('ch4kv-wrong.tif'),
    });
    await expect(doImport(p, { channels: [{ name: '1kV', paths: [b] }], overrides: o })).rejects.toMatchObject({ tag: 'invalid_input' });
    expect(snapshot(p)).toEqual(before);
    p.close();
  });

  it('refuses a folder with one slice of another size, naming the file; nothing is written', async () => {
    const folder = join(root, 'mixed');
    mkdirSync(folder);
    writeStackWithTifffile(folder, makeSlices(3, 6, 7, 'uint16'), 6, 7, { layout: 'folder', names: ['s_1.tif', 's_2.tif', 's_3.tif'] });
    writeStackWithTifffile(folder, makeSlices(1, 6, 8, 'uint16'), 6, 8, { layout: 'folder', names: ['s_4.tif'] });
    const p = newProject();
    await expect(doImport(p, { channels: [{ name: 'x', paths: [folder] }], overrides: { pixelSizeXNm: 1 } })).rejects.toMatchObject({
      tag: 'size_mismatch',
      message: expect.stringContaining('s_4.tif'),
    });
    expect(snapshot(p)).toEqual({ volumes: 0, slices: 0, files: 0, names: [] });
    p.close();
  });

  it('rolls back when a slice turns out truncated halfway through, and records the failed run', async () => {
    const folder = join(root, 'truncated');
    mkdirSync(folder);
    const files = writeStackWithTifffile(folder, makeSlices(6, 64, 64, 'uint16'), 64, 64, { layout: 'folder' });
    // Cut the pixel data of the 5th slice (its header stays valid).
    truncateSync(files[4], readFileSync(files[4]).length - 3000);
    const p = newProject();
    await expect(doImport(p, { channels: [{ name: 'x', paths: [folder] }], overrides: { pixelSizeXNm: 1 } })).rejects.toMatchObject({
      tag: 'corrupt_file',
      message: expect.stringContaining('slice_5.tif'),
    });
    expect(snapshot(p)).toEqual({ volumes: 0, slices: 0, files: 0, names: [] });
    const runs = listRuns(p.db);
    expect(runs.map((r) => r.status)).toEqual(['failed']);
    expect(runs[0].error?.tag).toBe('corrupt_file');
    expect(integrityCheck(p.db)).toEqual([]);
    p.close();
  });

  it('answers a missing path, an empty folder, a non-TIFF and a zero voxel size clearly', async () => {
    const p = newProject();
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const text = join(root, 'fake.tif');
    writeFileSync(text, 'hello, I am not a TIFF');
    await expect(doImport(p, { channels: [{ name: 'x', paths: [join(root, 'nope')] }] })).rejects.toMatchObject({ tag: 'file_not_found' });
    await expect(doImport(p, { channels: [{ name: 'x', paths: [empty] }] })).rejects.toMatchObject({ tag: 'empty_folder', message: expect.stringContaining(empty) });
    await expect(doImport(p, { channels: [{ name: 'x', paths: [text] }] })).rejects.toMatchObject({ tag: 'corrupt_file', message: expect.stringContaining('fake.tif') });
    const { ImportRequestSchema } = await import('../../src-shared/contract');
    expect(ImportRequestSchema.safeParse({ channels: [{ name: 'x', paths: ['a'] }], overrides: { pixelSizeXNm: 0 } }).success).toBe(false);
    expect(ImportRequestSchema.safeParse({ channels: [{ name: 'x', paths: ['a'] }], overrides: { sliceSpacingNm: -2 } }).success).toBe(false);
    expect(snapshot(p).volumes).toBe(0);
    p.close();
  });

  it('stops on cancel and leaves the project unchanged', async () => {
    const file = join(root, 'cancel.tif');
    writeStackWithTifffile(file, makeSlices(40, 128, 128, 'uint16'), 128, 128, { layout: 'multipage' });
    const p = newProject();
    const ac = new AbortController();
    let seen = 0;
    const run = importChannels(
      p,
      { channels: [{ name: 'x', paths: [file] }], overrides: { pixelSizeXNm: 1 } },
      {
        ...ctx,
        signal: ac.signal,
        onProgress: (pr) => {
          seen++;
          if (pr.fraction > 0) ac.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ tag: 'cancelled' });
    expect(seen).toBeGreaterThan(0);
    expect(snapshot(p)).toEqual({ volumes: 0, slices: 0, files: 0, names: [] });
    expect(listRuns(p.db).map((r) => r.status)).toEqual(['cancelled']);
    p.close();
  });
});
