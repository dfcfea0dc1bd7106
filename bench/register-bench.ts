// Registration benchmark: neighbour-slice cross-correlation (Hann window, upsampled
// DFT to 1/20 px) on full FIB-SEM frames, default 3072 x 2048 px uint16, --pairs
// slice pairs, each slice a crop of one larger textured image moved by a known
// integer drift (so the truth is known). Times registerWithinStack over the whole
// frame and over a 512 x 512 fiducial region, prints seconds per slice pair,
// megapixels per second and the largest error against the known drift; beside it
// skimage.registration.phase_cross_correlation (upsample_factor 20, no window) on
// the same pairs, for a ratio. Usage: node --import tsx bench/register-bench.ts
//   [--width 3072] [--height 2048] [--pairs 4] [--no-reference]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { registerWithinStack } from '../src-main/geometry/register';

const { values } = parseArgs({ options: { width: { type: 'string', default: '3072' }, height: { type: 'string', default: '2048' }, pairs: { type: 'string', default: '4' }, 'no-reference': { type: 'boolean' } } });
const W = Number(values.width);
const H = Number(values.height);
const PAIRS = Number(values.pairs);
const MARGIN = 8 * PAIRS + 8;

// A textured mother image: sum of random sinusoids (blobs at several scales) plus noise, uint16.
function mother(w: number, h: number): Uint16Array {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const waves = Array.from({ length: 24 }, () => ({ kx: (rnd() - 0.5) * 0.2, ky: (rnd() - 0.5) * 0.2, p: 2 * Math.PI * rnd() }));
  const img = new Uint16Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (const q of waves) v += Math.cos(q.kx * x + q.ky * y + q.p);
      img[y * w + x] = Math.max(0, Math.min(65535, 30000 + 2500 * v + 2000 * (rnd() - 0.5)));
    }
  }
  return img;
}

const mw = W + 2 * MARGIN;
const big = mother(mw, H + 2 * MARGIN);
// Slice i is the crop at offset drift(i): slice_i(y, x) = big(y + drift_i), so reference slice_(i-1)(y, x) = slice_i(y - (drift_i - drift_(i-1))):
// the estimate for pair (i - 1, i) must be (dy, dx) = drift_i - drift_(i-1).
const drift = Array.from({ length: PAIRS + 1 }, (_, i) => ({ dy: Math.round(3 * Math.sin(i)), dx: 2 * i }));
const slices = drift.map(({ dy, dx }) => {
  const out = new Uint16Array(W * H);
  for (let y = 0; y < H; y++) out.set(big.subarray((y + MARGIN + dy) * mw + MARGIN + dx, (y + MARGIN + dy) * mw + MARGIN + dx + W), y * W);
  return out;
});

function run(label: string, region?: { x: number; y: number; width: number; height: number }) {
  const t0 = performance.now();
  const r = registerWithinStack(slices, W, H, { region, maxShiftPx: 64 });
  const s = (performance.now() - t0) / 1000;
  const err = Math.max(...r.pairs.slice(1).map((e, k) => Math.max(Math.abs(e.dy - (drift[k + 1].dy - drift[k].dy)), Math.abs(e.dx - (drift[k + 1].dx - drift[k].dx)))));
  const px = region ? region.width * region.height : W * H;
  console.log(`${label.padEnd(34)} ${(s / PAIRS).toFixed(3)} s per pair  ${((px * (PAIRS + 1)) / 1e6 / s).toFixed(1)} Mpx/s  largest error ${err.toFixed(2)} px`);
  return s / PAIRS;
}

console.log(`${PAIRS} neighbour pairs of ${W} x ${H} px uint16 (known integer drift per slice; one process, Node ${process.versions.node})`);
const full = run('ours, whole frame');
const roi = { x: (W >> 1) - 256, y: (H >> 1) - 256, width: 512, height: 512 };
run('ours, 512 x 512 region (fiducial)', roi);

if (!values['no-reference']) {
  const dir = mkdtempSync(join(tmpdir(), 'fibrecon-reg-bench-'));
  try {
    writeFileSync(join(dir, 'stack.raw'), Buffer.concat(slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength))));
    const py = `
import sys, time, numpy as np
from skimage.registration import phase_cross_correlation
d, n, h, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
v = np.fromfile(d + '/stack.raw', np.uint16).reshape(n, h, w).astype(np.float64)
t0 = time.perf_counter()
for i in range(1, n):
    phase_cross_correlation(v[i - 1], v[i], upsample_factor=20, normalization=None)
print((time.perf_counter() - t0) / (n - 1))`;
    const ref = Number(execFileSync('/usr/bin/python3', ['-c', py, dir, String(PAIRS + 1), String(H), String(W)], { encoding: 'utf8' }).trim());
    console.log(`${'skimage phase_cross_correlation'.padEnd(34)} ${ref.toFixed(3)} s per pair (whole frame, upsample 20, float64)`);
    console.log(`ratio ours / skimage, whole frame: ${(full / ref).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
