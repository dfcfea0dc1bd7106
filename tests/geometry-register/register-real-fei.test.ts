// Registration on a real Thermo Fisher / FEI Helios TIFF (rosettasciio test data,
// GPL: test input only, unpacked into a temporary folder; 512 x 471 px, 16 bit,
// with the vendor data bar). In these files the image area above the bar is blank;
// the bar (text, logo, scale bar) is the only structure, so it is the region to
// register on, as a fiducial would be. Python (tifffile, scipy.ndimage.fourier_shift)
// reads the file and makes two short stacks of it: one moved by a known sub-pixel
// drift, one not moved; each slice with its own noise. skimage's
// phase_cross_correlation on the same region is the independent reference.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTranslations, registerWithinStack } from '../../src-main/geometry/register';
import { runPython, tempDir } from '../helpers/python';
import { randomWalk, truthOntoFirst } from './drift-fixtures';

const ZIP_NAME = 'rosettasciio_tiff_FEI_Helios.zip';
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ZIP = [process.env.FIBRECON_TESTDATA ? resolve(process.env.FIBRECON_TESTDATA, ZIP_NAME) : undefined, resolve(REPO, '../shared/testdata', ZIP_NAME), resolve(REPO, 'shared/testdata', ZIP_NAME)]
  .filter((p): p is string => p !== undefined)
  .find((p) => existsSync(p));

// argv: zip, out dir; stdin: {drift: [[dy, dx]...], noise, seed}. Writes moved.f32 and still.f32
// (n slices each, float32), prints the frame size, the bar's first row and skimage's
// neighbour matches of the moved stack on the bar region.
const MAKE_STACKS = String.raw`
import json, sys, zipfile, pathlib
import numpy as np, tifffile
from scipy import ndimage
from skimage.registration import phase_cross_correlation
zip_path, out = sys.argv[1], pathlib.Path(sys.argv[2])
p = json.loads(sys.stdin.read())
with zipfile.ZipFile(zip_path) as z:
    z.extract('FEI-Helios-Ebeam-16bits.tif', out)
img = tifffile.imread(out / 'FEI-Helios-Ebeam-16bits.tif').astype(np.float64)
h, w = img.shape
bar = int(np.nonzero(img.any(axis=1))[0].min())
rng = np.random.default_rng(p['seed'])
moved, still = [], []
for dy, dx in p['drift']:
    m = np.real(np.fft.ifft2(ndimage.fourier_shift(np.fft.fft2(img), (dy, dx))))
    moved.append(m + rng.normal(0, p['noise'], img.shape))
    still.append(img + rng.normal(0, p['noise'], img.shape))
np.array(moved, np.float32).tofile(out / 'moved.f32')
np.array(still, np.float32).tofile(out / 'still.f32')
r0 = bar + 2
pairs = [[0.0, 0.0]]
for i in range(1, len(moved)):
    s, _, _ = phase_cross_correlation(moved[i - 1][r0:h - 2], moved[i][r0:h - 2], upsample_factor=20, normalization=None)
    pairs.append([float(s[0]), float(s[1])])
print(json.dumps({'height': h, 'width': w, 'bar': bar, 'skimagePairs': pairs}))
`;

const N = 8;
const rms = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);

describe.skipIf(!ZIP)('registration on a real FEI Helios frame (data bar as the region)', () => {
  const temp = tempDir('fibrecon-fei-reg-');
  const drift = randomWalk(N, 5, 3);
  const truth = truthOntoFirst(drift);
  let W = 0, H = 0, bar = 0;
  let moved: Float32Array[] = [];
  let still: Float32Array[] = [];
  let skimagePairs: [number, number][] = [];
  const read = (name: string) => {
    const b = readFileSync(join(temp.dir, name));
    const all = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    return Array.from({ length: N }, (_, i) => all.slice(i * W * H, (i + 1) * W * H));
  };

  beforeAll(() => {
    const info = JSON.parse(runPython(MAKE_STACKS, [ZIP!, temp.dir], JSON.stringify({ drift, noise: 1500, seed: 6 })));
    ({ width: W, height: H, bar, skimagePairs } = info);
    moved = read('moved.f32');
    still = read('still.f32');
  });
  afterAll(() => temp.cleanup());
  const region = () => ({ x: 0, y: bar + 2, width: W, height: H - bar - 4 });

  it('is the 512 x 471 frame with a data bar of about 30 rows', () => {
    expect([W, H]).toEqual([512, 471]);
    expect(H - bar).toBeGreaterThan(20);
    expect(H - bar).toBeLessThan(40);
  });

  it('a known sub-pixel drift is recovered within 0.2 px RMS on the bar, found significant, and agrees with skimage', () => {
    const reg = registerWithinStack(moved, W, H, { region: region() });
    expect(reg.significance.significant).toBe(true);
    expect(reg.failedSlices).toEqual([]);
    expect(rms(reg.shifts.flatMap((t, i) => [t.dy - truth[i].dy, t.dx - truth[i].dx]))).toBeLessThan(0.2);
    for (let i = 1; i < N; i++) {
      expect(Math.abs(reg.pairs[i].dy - skimagePairs[i][0])).toBeLessThan(0.15);
      expect(Math.abs(reg.pairs[i].dx - skimagePairs[i][1])).toBeLessThan(0.15);
    }
  });

  it('the same frame not moved, with independent noise: no significant drift, the output is the input', () => {
    const reg = registerWithinStack(still, W, H, { region: region() });
    expect(Math.max(...reg.fitted.map((t) => Math.hypot(t.dy, t.dx)))).toBeLessThan(0.2);
    expect(reg.significance.significant).toBe(false);
    const out = applyTranslations(still, W, H, reg.shifts, { interpolation: 'linear' });
    expect(out.crop).toEqual({ x: 0, y: 0, width: W, height: H });
    out.slices.forEach((s, i) => expect(Buffer.from(s.buffer).equals(Buffer.from(still[i].buffer))).toBe(true));
  });

  it('on the whole frame the blank image area hides the drift: nothing is matched, nothing is applied, the user is told', () => {
    const reg = registerWithinStack(moved.slice(0, 5), W, H);
    expect(reg.significance.significant).toBe(false);
    expect(reg.shifts.every((t) => t.dy === 0 && t.dx === 0)).toBe(true);
    expect(reg.significance.message).toMatch(/^no significant drift found/);
  });
});
