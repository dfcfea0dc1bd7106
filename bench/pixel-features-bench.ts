// Pixel-feature benchmark: the default feature spec (one channel) on a
// synthetic uint16 FIB-SEM-like stack (smooth blobs plus noise), streamed
// slice by slice through one workspace as prediction does; prints the feature
// count, seconds per slice (steady state: the mean over --slices slices after
// a first warm-up slice) for 1024 x 1024 and 256 x 256 px, the time per
// 256 x 256 x 50 and projected per 1024 x 1024 x 300 volume on one core, and
// beside it the same features with scipy.ndimage / skimage.feature in
// python3 (float64, also one process) for a ratio.
// Usage: node --import tsx bench/pixel-features-bench.ts [--slices 4] [--no-reference]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  channelFromVolume,
  computeGreyNormalisation,
  computeSliceFeatures,
  defaultFeatureSpec,
  FeatureWorkspace,
} from '../src-main/segment/pixel-features';
import type { Volume } from '../src-shared/volume';

const { values } = parseArgs({ options: { slices: { type: 'string', default: '4' }, 'no-reference': { type: 'boolean' } } });
const SLICES = Number(values.slices);
const PYTHON = process.env.FIBRECON_PYTHON ?? '/usr/bin/python3';

function syntheticStack(nz: number, n: number): Volume {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const waves = Array.from({ length: 16 }, () => ({ kx: (rnd() - 0.5) * 0.3, ky: (rnd() - 0.5) * 0.3, kz: (rnd() - 0.5) * 0.3, p: 2 * Math.PI * rnd() }));
  const slices = Array.from({ length: nz }, (_, z) => {
    const img = new Uint16Array(n * n);
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        let v = 0;
        for (const q of waves) v += Math.cos(q.kx * x + q.ky * y + q.kz * z + q.p);
        img[y * n + x] = Math.max(0, Math.min(65535, 20000 + (v > 0 ? 15000 : 0) + 3000 * v + 2000 * (rnd() - 0.5)));
      }
    }
    return img;
  });
  return { shape: [nz, n, n], dtype: 'uint16', voxelSizeNm: { x: 5, y: 5, z: 10 }, zPositionsNm: slices.map((_, i) => 10 * i), slices };
}

const spec = defaultFeatureSpec(1);

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function timeOurs(vol: Volume): { perSlice: number; cpuPerSlice: number; first: number; nFeatures: number } {
  const ch = [channelFromVolume(vol)];
  const norm = computeGreyNormalisation(ch);
  const ws = new FeatureWorkspace();
  const nz = vol.shape[0];
  let out: Float32Array | undefined;
  const t0 = performance.now();
  const first = computeSliceFeatures(ch, 0, spec, norm, { workspace: ws });
  out = first.data;
  const t1 = performance.now();
  const c1 = cpuSeconds();
  for (let z = 1; z < nz; z++) computeSliceFeatures(ch, z, spec, norm, { workspace: ws, out });
  const t2 = performance.now();
  const c2 = cpuSeconds();
  return { perSlice: (t2 - t1) / 1000 / (nz - 1), cpuPerSlice: (c2 - c1) / (nz - 1), first: (t1 - t0) / 1000, nFeatures: first.nFeatures };
}

// The same features with scipy/skimage: neighbouring slices smoothed once per slice (as our workspace does).
const PY = `
import sys, json, time
import numpy as np
from scipy import ndimage as ndi
from skimage.feature import structure_tensor, structure_tensor_eigenvalues, hessian_matrix_eigvals
a = json.loads(sys.argv[1])
vol = np.fromfile(a['raw'], dtype=np.uint16).reshape(a['shape'])
spec = a['spec']
M = dict(mode='reflect', truncate=4.0)
lo, hi = np.percentile(vol, [0.5, 99.5])
nz = vol.shape[0]
t0, c0 = time.perf_counter(), time.process_time()
norm = (vol.astype(np.float64) - lo) / (hi - lo)
nb = spec['neighbours']
G = {s: [ndi.gaussian_filter(norm[k], s, **M) for k in range(nz)] for s in nb['scalesPx']}
for z in range(nz):
    img = norm[z]
    feats = [img]
    g = {}
    for s in spec['scalesPx']:
        g[s] = ndi.gaussian_filter(img, s, **M)
        feats.append(g[s])
        feats.append(ndi.gaussian_gradient_magnitude(img, s, **M))
        feats.append(ndi.gaussian_laplace(img, s, **M))
        feats.extend(hessian_matrix_eigvals([ndi.gaussian_filter(img, s, order=o, **M) for o in [(2, 0), (1, 1), (0, 2)]]))
        feats.extend(structure_tensor_eigenvalues(structure_tensor(img, sigma=s, mode='reflect', order='rc')))
    sc = spec['scalesPx']
    feats.extend(g[sc[k]] - g[sc[k + 1]] for k in range(len(sc) - 1))
    for s in nb['scalesPx']:
        for o in nb['offsets']:
            k = z + o
            k = -k - 1 if k < 0 else (2 * nz - 1 - k if k >= nz else k)
            feats.append(G[s][k] - G[s][z])
    data = np.stack(feats, axis=-1).astype(np.float32)
t1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({'perSlice': (t1 - t0) / nz, 'cpuPerSlice': (c1 - c0) / nz, 'nFeatures': data.shape[-1]}))
`;

function timeScipy(vol: Volume, dir: string): { perSlice: number; cpuPerSlice: number; nFeatures: number } | null {
  const raw = join(dir, `v${vol.shape[2]}.raw`);
  writeFileSync(raw, Buffer.concat(vol.slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength))));
  try {
    return JSON.parse(execFileSync(PYTHON, ['-c', PY, JSON.stringify({ raw, shape: vol.shape, spec })], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    console.log(`(no python reference: ${(e as Error).message.split('\n')[0]})`);
    return null;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'fibrecon-features-bench-'));
try {
  console.log(`default spec: ${spec.scalesPx.length} scales ${spec.scalesPx.join(', ')} px, neighbours ${spec.neighbours.offsets.join(', ')} at ${spec.neighbours.scalesPx.join(', ')} px (${spec.neighbours.mode}); Node ${process.versions.node}, one thread`);
  for (const n of [256, 1024]) {
    const nz = SLICES + 1;
    const vol = syntheticStack(nz, n);
    const ours = timeOurs(vol);
    const ref = values['no-reference'] ? null : timeScipy(vol, dir);
    const mpx = (n * n) / 1e6 / ours.cpuPerSlice;
    console.log(
      `${n} x ${n} px, ${ours.nFeatures} features: ${ours.perSlice.toFixed(3)} s per slice wall, ${ours.cpuPerSlice.toFixed(3)} s CPU (${mpx.toFixed(2)} Mpx/s per core; first slice ${ours.first.toFixed(3)} s wall)`,
    );
    if (ref) {
      console.log(
        `  scipy/skimage (${ref.nFeatures} features, float64): ${ref.perSlice.toFixed(3)} s per slice wall, ${ref.cpuPerSlice.toFixed(3)} s CPU; CPU ratio scipy / ours ${(ref.cpuPerSlice / ours.cpuPerSlice).toFixed(2)}`,
      );
    }
    if (n === 256) console.log(`  256 x 256 x 50 volume: ${(50 * ours.cpuPerSlice).toFixed(1)} s CPU on one thread`);
    if (n === 1024) console.log(`  1024 x 1024 x 300 volume: ${(300 * ours.cpuPerSlice).toFixed(0)} s CPU on one thread, ${((300 * ours.cpuPerSlice) / 8).toFixed(0)} s on 8 worker threads if it scales`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
