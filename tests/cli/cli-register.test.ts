// `fibrecon register`: known drifts within a stack and an offset between two
// channels are found and undone; results are new volumes with their translations,
// the drift with its standard error and confidence per slice, and the verdict. A
// stack that did not drift, under noise, comes out bit for bit as it went in, with
// the verdict said; --whole-pixels keeps the raw grey values and crops exactly the
// range of the shifts.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { getVolume } from '../../src-main/project/volume-store';
import { loadVolume } from '../../src-main/project/save-volume';
import { writeTiffStack } from '../../src-main/tiff-write';
import { random } from '../helpers/random';
import { tempDir } from '../helpers/python';
import { cliOk } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

const W = 128;
const H = 96;

/** A textured image with sharp edges (thresholded random blobs, like phase boundaries), its content moved by (sy, sx). */
function image(sy: number, sx: number, contrast: number): Uint16Array {
  const r = random(42);
  const blobs = Array.from({ length: 60 }, () => ({ y: r() * H * 1.4 - 0.2 * H, x: r() * W * 1.4 - 0.2 * W, s: 3 + 6 * r(), a: r() }));
  const out = new Uint16Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let v = 0;
      for (const b of blobs) v += b.a * Math.exp(-(((y - sy - b.y) ** 2 + (x - sx - b.x) ** 2) / (2 * b.s * b.s)));
      out[y * W + x] = Math.round(1000 + contrast * (v > 0.45 ? 1 : 0.2));
    }
  return out;
}

it('undoes a known drift within a stack and a known offset between channels', async () => {
  const drift = [
    [0, 0],
    [1, -2],
    [3, -1],
    [2, 2],
    [4, 3],
  ];
  const offset = [2, -3]; // the second channel sees the sample moved by this much more
  const a = drift.map(([sy, sx]) => image(sy, sx, 20000));
  const b = drift.map(([sy, sx]) => image(sy + offset[0], sx + offset[1], 12000));
  const info = { shape: [5, H, W] as const, dtype: 'uint16' as const, voxelSizeNm: { x: 5, y: 5, z: 10 } };
  await writeTiffStack(join(root, '2kV.tif'), info, a);
  await writeTiffStack(join(root, '4kV.tif'), info, b);
  const project = join(root, 'p.fibrecon');
  await cliOk(['create', project]);
  await cliOk(['import', project, `--channel=2kV=${join(root, '2kV.tif')}`, `--channel=4kV=${join(root, '4kV.tif')}`]);
  const r = JSON.parse(await cliOk(['register', project, '--volume', '4kV,2kV', '--json']));
  expect(r.reference).toBe('2kV');
  const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(0.15);
  drift.forEach(([sy, sx], i) => {
    near(r.channels['2kV'].translationsPx[i].dy, -sy);
    near(r.channels['2kV'].translationsPx[i].dx, -sx);
    near(r.channels['4kV'].translationsPx[i].dy, -sy - offset[0]);
    near(r.channels['4kV'].translationsPx[i].dx, -sx - offset[1]);
  });
  // Crop: rows that every translated slice covers.
  expect(r.crop.height).toBeLessThanOrEqual(H - 6);
  const p = openProject(project, { write: false });
  const reg = getVolume(p.db, '4kV-reg');
  expect(reg.shape).toEqual([5, r.crop.height, r.crop.width]);
  expect(reg.metadata.reference).toBe('2kV');
  p.close();
});

/** Gaussian noise of sd 1 (Box-Muller on the test's generator). */
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

describe('a still stack and a drifting one in one project', () => {
  const drift = [[0, 0], [1, -2], [3, -1], [2, 2], [4, 3]];
  const moving = drift.map(([sy, sx]) => image(sy, sx, 20000));
  const r = random(7);
  const still = drift.map(() => image(0, 0, 3000)).map((b) => Uint16Array.from(b, (v) => Math.max(0, Math.min(65535, Math.round(v + 1500 * gauss(r))))));
  const project = () => join(root, 'two.fibrecon');

  beforeAll(async () => {
    const info = { shape: [5, H, W] as const, dtype: 'uint16' as const, voxelSizeNm: { x: 5, y: 5, z: 10 } };
    await writeTiffStack(join(root, 'still.tif'), info, still);
    await writeTiffStack(join(root, 'moving.tif'), info, moving);
    await cliOk(['create', project()]);
    await cliOk(['import', project(), `--channel=still=${join(root, 'still.tif')}`, `--channel=moving=${join(root, 'moving.tif')}`]);
  }, 60_000);

  it('a stack that did not drift, under strong noise: no shift, nothing cropped, the volume bit for bit as imported, the verdict printed and logged', async () => {
    const text = await cliOk(['register', project(), '--volume', 'still']);
    expect(text).toMatch(/no shift applied, nothing cropped/);
    expect(text).toMatch(/no significant drift found: max \|d\| [0-9.]+ px/);
    expect(text).toMatch(/warning: .*slices kept as they are/);
    const p = openProject(project(), { write: false });
    try {
      const reg = getVolume(p.db, 'still-reg');
      expect(reg.shape).toEqual([5, H, W]);
      expect(reg.metadata.driftSignificant).toBe(false);
      expect((reg.metadata.translationsPx as unknown[]).every((t) => JSON.stringify(t) === '{"dy":0,"dx":0}')).toBe(true);
      expect(reg.metadata.driftSigmaPx).toHaveLength(5);
      expect(reg.metadata.driftConfidence).toHaveLength(5);
      const stored = await loadVolume(p.db, 'still-reg');
      stored.slices.forEach((s, i) => expect(Buffer.from(s.buffer, s.byteOffset, s.byteLength).equals(Buffer.from(still[i].buffer))).toBe(true));
      const log = (p.db.prepare("SELECT log FROM run WHERE step = 'register'").get() as { log: string }).log;
      expect(log).toMatch(/still: no significant drift found/);
      expect(log).toMatch(/still: drift as fitted \(dy, dx px\) .*; standard error \(dy, dx px\)/);
    } finally {
      p.close();
    }
  });

  it('--whole-pixels: the rounded drift, raw grey values, a crop of exactly the range of the shifts', async () => {
    const res = JSON.parse(await cliOk(['register', project(), '--volume', 'moving', '--whole-pixels', '--json']));
    expect(res.wholePixels).toBe(true);
    const t = res.channels.moving.translationsPx as { dy: number; dx: number }[];
    expect(t).toEqual(drift.map(([sy, sx]) => ({ dy: -sy + 0, dx: -sx + 0 })));
    // dy from -4 to 0, dx from -3 to 2.
    expect(res.crop).toEqual({ x: 2, y: 0, width: W - 5, height: H - 4 });
    const p = openProject(project(), { write: false });
    try {
      const stored = await loadVolume(p.db, 'moving-reg');
      stored.slices.forEach((s, i) => {
        for (let y = 0; y < res.crop.height; y += 7)
          for (let x = 0; x < res.crop.width; x += 5) expect(s[y * res.crop.width + x]).toBe(moving[i][(y + res.crop.y - t[i].dy) * W + x + res.crop.x - t[i].dx]);
      });
    } finally {
      p.close();
    }
  });
});
