// Time per 512 x 512 plane of ML inpainting (RML) on the CPU beside the cubic
// spline on the same planes ([Sardhara2023]: 44 s vs 7 s per 128 planes on a K80).
// A 512 x 512 px label stack at 2.5 nm with slices at gamma depths (a 128 px milled
// HNPG-like stack tiled 4 x 4 in-plane, so that the content is realistic), repositioned
// on the 2.5 nm grid and cropped to 512 planes: its zx planes are 512 x 512.
// Per plane: the spline of the signed distance along z (what RCS thresholds) vs the
// spline plus the network's input and one engine pass over the plane; RML runs two
// passes (zx and zy) per output plane. Both exclude the signed distance of the measured
// slices, which both need. Then whole volumes: RCS (repositionAndFill 'cubic', with hole
// filling) vs RML (fill-ml.ts) end to end on the first --whole x --whole px and --whole
// planes (0: skipped), and scipy's CubicSpline on the same planes for reference.
// Usage: node --import tsx bench/inpaint-bench.ts [--model inpaint-small] [--planes 16] [--whole 256] [--threads 0 (ORT default)]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { npyBytes, stackPlanes } from '../src-main/export/npy-bytes';
import { distanceRows, measuredDistancePlanes } from '../src-main/geometry/distance-field';
import { fillGapsMl } from '../src-main/geometry/fill-ml';
import { fillGaps } from '../src-main/geometry/gap-fill';
import { INPAINT_CHANNELS, rowsToKnown, writePlaneInput } from '../src-main/geometry/inpaint-input';
import { repositionSlices } from '../src-main/geometry/reposition-slices';
import { buildRepositionedVolume, type RepositionedVolume } from '../src-main/geometry/reposition-volume';
import { loadModel } from '../src-main/inference';
import { runPlanes } from '../src-main/inference/plane-runner';
import { resolveModelPath } from '../src-main/segment/model-files';
import { milledStack } from '../src-main/synth/milled-stack';
import { DEFAULT_INPAINT_MODEL } from '../src-shared/pipeline-methods';
import type { Volume } from '../src-shared/volume';

const { values } = parseArgs({ options: { model: { type: 'string', default: DEFAULT_INPAINT_MODEL }, planes: { type: 'string', default: '16' }, whole: { type: 'string', default: '256' }, threads: { type: 'string', default: '0' } } });
const P = Number(values.planes);
const N = 512;
const TILE = 128;

function tiled(v: Volume): Volume {
  const slices = v.slices.map((s) => {
    const out = new Uint8Array(N * N);
    for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) out[y * N + x] = s[(y % TILE) * TILE + (x % TILE)];
    return out;
  });
  return { ...v, shape: [v.shape[0], N, N], slices };
}

function sec(t0: number): number {
  return (performance.now() - t0) / 1000;
}

const { measured } = milledStack({ size: TILE, slices: 130, structureSeed: 3000, millingSeed: 8000 });
const big = tiled(measured);
const placement = repositionSlices(big.zPositionsNm, 2.5);
const full = buildRepositionedVolume(big, placement);
const crop = (r: RepositionedVolume): RepositionedVolume => ({ ...r, known: r.known.slice(0, N), volume: { ...r.volume, shape: [N, N, N], slices: r.volume.slices.slice(0, N), zPositionsNm: r.volume.zPositionsNm.slice(0, N) } });
const rep = crop(full);
const measuredPlanes = rep.known.reduce((a, b) => a + b, 0);
const threads = Number(values.threads);
const model = await loadModel(resolveModelPath(values.model!), { ep: 'cpu', ...(threads > 0 ? { intraOpThreads: threads } : {}) });
console.log(`Stack: ${N} x ${N} px, ${N} planes of 2.5 nm (${measuredPlanes} measured slices, ${N - measuredPlanes} gap planes); model ${model.card.name} on ${model.ep.toUpperCase()} (${threads > 0 ? threads : 'default'} threads); ${P} zx planes of ${N} x ${N} timed.`);

let t = performance.now();
const dist = measuredDistancePlanes(rep.volume, rep.known);
const tDist = sec(t);

// spline of the distance for P planes, thresholded
t = performance.now();
const d = distanceRows(dist, rep.known, N, 0, P);
let solid = 0;
for (const plane of d) for (const v of plane) solid += v > 0 ? 1 : 0;
const tSpline = sec(t) / P;

// the same spline + input + one engine pass
const gap = rowsToKnown(rep.known);
t = performance.now();
const d2 = distanceRows(dist, rep.known, N, 0, P);
const inputs = Array.from({ length: P }, (_, i) => {
  const x = new Float32Array(INPAINT_CHANNELS * N * N);
  writePlaneInput(x, 0, d2, rep.known, gap, { offset: i * N, stride: 1, width: N }, model.card.input.inpainting!);
  return x;
});
const logits = await runPlanes(model.session, inputs, INPAINT_CHANNELS, N, N, { tile: model.card.input.tile, overlap: model.card.input.overlap ?? 32, batchSize: 4 });
const tMl = sec(t) / P;
if (logits.length !== P || solid < 0) throw new Error('unexpected');

// scipy reference: CubicSpline (not-a-knot) through the measured rows of the same P planes
const dir = mkdtempSync(join(tmpdir(), 'inpaint-bench-'));
let tScipy = NaN;
try {
  const knownIdx = [...rep.known].flatMap((k, z) => (k ? [z] : []));
  writeFileSync(join(dir, 'd.npy'), npyBytes('<f4', [knownIdx.length, P * N], stackPlanes(knownIdx.map((z) => dist[z]!.subarray(0, P * N)), (n) => new Float32Array(n))));
  writeFileSync(join(dir, 'k.npy'), npyBytes('<f4', [knownIdx.length], new Float32Array(knownIdx)));
  const py = `import sys, time, numpy as np
from scipy.interpolate import CubicSpline
d = np.load(sys.argv[1] + '/d.npy').astype(np.float64); k = np.load(sys.argv[1] + '/k.npy').astype(np.float64)
t = time.perf_counter(); s = CubicSpline(k, d, axis=0)(np.arange(${N})) > 0; print((time.perf_counter() - t) / ${P})`;
  tScipy = Number(execFileSync(process.env.FIBRECON_PYTHON ?? '/usr/bin/python3', ['-c', py, dir], { encoding: 'utf8' }).trim());
} catch (e) {
  console.log(`(scipy reference skipped: ${(e as Error).message.split('\n')[0]})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('per 512 x 512 zx plane (CPU)                 | s / plane | x spline');
console.log('---------------------------------------------|-----------|---------');
const row = (name: string, s: number) => console.log(`${name.padEnd(45)}| ${s.toFixed(4).padStart(9)} | ${(s / tSpline).toFixed(1).padStart(7)}`);
row('cubic spline of the signed distance (ours)', tSpline);
row('scipy CubicSpline, same planes (reference)', tScipy);
row('ML: spline + input + one engine pass', tMl);
row('RML per output plane (zx + zy passes)', 2 * tMl);
console.log(`Signed distance of the ${measuredPlanes} measured slices (both methods): ${tDist.toFixed(2)} s.`);

// whole volume, end to end
const W = Number(values.whole);
if (W > 0) {
  const part = (r: RepositionedVolume): RepositionedVolume => {
    const slices = r.volume.slices.slice(0, W).map((p) => {
      const out = new Uint8Array(W * W);
      for (let y = 0; y < W; y++) out.set(p.subarray(y * N, y * N + W), y * W);
      return out;
    });
    return { ...r, known: r.known.slice(0, W), volume: { ...r.volume, shape: [W, W, W], slices, zPositionsNm: r.volume.zPositionsNm.slice(0, W) } };
  };
  const a = part(rep);
  t = performance.now();
  fillGaps(a, { method: 'cubic', binary: true, inPlace: true });
  const tRcs = sec(t);
  const b = part(rep);
  t = performance.now();
  const r = await fillGapsMl(b, { model, inPlace: true });
  const tRml = sec(t);
  console.log(`Whole ${W} x ${W} x ${W} volume, end to end (signed distances included): RCS ${tRcs.toFixed(1)} s (with hole filling), RML ${tRml.toFixed(1)} s (${(tRml / tRcs).toFixed(1)} x; the passes disagreed on ${((100 * r.passDisagreement) / r.gapVoxels).toFixed(2)} % of gap voxels).`);
}
console.log('Paper ([Sardhara2023], K80 GPU): ML 44 s vs spline 7 s per 128 planes (6.3 x).');
await model.session.release();
