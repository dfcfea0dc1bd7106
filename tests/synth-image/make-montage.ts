// Makes docs/synthetic-montage.png: one slice at 1/2/4 kV, TLD (top row) and
// ICD (bottom row), beside its ground truth. Run: npx tsx tests/synth-image/make-montage.ts
import { join } from 'node:path';
import { hnpgPreset, writeSyntheticSample } from '../../src-main/synth/write-synthetic-sample';
import { runPython, tempDir } from '../helpers/python';

async function main(): Promise<void> {
  const { dir, cleanup } = tempDir('fibrecon-montage-');
  try {
    const beams = (['TLD', 'ICD'] as const).flatMap((detector) => [1, 2, 4].map((energyKeV) => ({ energyKeV, detector })));
    const params = { ...hnpgPreset({ columns: 256, rows: 256, slices: 12 }), beams };
    await writeSyntheticSample(dir, params);
    const out = join(process.cwd(), 'docs', 'synthetic-montage.png');
    runPython(
      `
import sys, numpy as np, tifffile
from skimage import io
d, out = sys.argv[1], sys.argv[2]
s = 6
truth = tifffile.imread(d + '/truth.tif')[s]
pad = 24  # ruler rows above the structure
gap = lambda h: np.full((h, 6), 255, np.uint8)
def row(det):
    parts = []
    for k in (1, 2, 4):
        parts += [tifffile.imread(f'{d}/{k}kV_{det}.tif')[s], gap(256 + pad)]
    t = np.zeros((256 + pad, 256), np.uint8); t[pad:] = truth * 255
    return np.concatenate(parts + [t], 1)
m = np.concatenate([row('TLD'), np.full((6, row('TLD').shape[1]), 255, np.uint8), row('ICD')], 0)
io.imsave(out, m, check_contrast=False)
`,
      [dir, out],
    );
    console.log(`wrote ${out}`);
  } finally {
    cleanup();
  }
}
void main();
