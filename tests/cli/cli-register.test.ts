// `fibrecon register`: known drifts within a stack and an offset between two
// channels are found and undone; results are new volumes with their translations.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { getVolume } from '../../src-main/project/volume-store';
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
