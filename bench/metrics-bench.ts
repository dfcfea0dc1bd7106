// Metrics benchmark: time and peak memory of all isotropy metrics
// (S2 and lineal path along x, y, z, e_TPCF, e_LPF, ligament diameters, e_D)
// on leveled-wave volumes of 256^3 and 512^3, the time to generate the papers'
// preset structure, and numpy computing the same three S2 curves (FFT along
// each axis, non-periodic) for a ratio. Usage: node --import tsx bench/metrics-bench.ts [--sizes 256,512]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '256,512' } } });
const sizes = (values.sizes as string).split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'fibrecon-metrics-bench-'));

const PY_S2 = `
import json, resource, sys, time, numpy as np
n, rmax = int(sys.argv[2]), int(sys.argv[3])
a = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(n, n, n).astype(np.float64)
t0 = time.perf_counter()
curves = []
for axis in range(3):
    f = np.fft.rfft(a, n=2 * n, axis=axis)
    ac = np.fft.irfft(f * np.conj(f), n=2 * n, axis=axis)
    ac = np.moveaxis(ac, axis, 0)[: rmax + 1].sum(axis=(1, 2))
    pairs = (n - np.arange(rmax + 1)) * n * n
    curves.append((np.rint(ac) / pairs).tolist())
print(json.dumps({'seconds': time.perf_counter() - t0, 'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

const node = (args: string[]) =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/metrics-bench-child.ts', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop() as string);

console.log('size | generate s | all isotropy metrics s | peak RSS MB | rMax | e_TPCF | e_LPF | e_D | numpy S2 x/y/z s | numpy RSS MB | ratio (ours S2+L / numpy S2)');
for (const n of sizes) {
  const raw = join(dir, `v${n}.raw`);
  const ours = node(['metrics', String(n), raw]);
  const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY_S2, raw, String(n), String(ours.rMaxVoxels)], { encoding: 'utf8' }).trim());
  console.log(
    [n, ours.generateS.toFixed(1), ours.metricsS.toFixed(2), ours.maxRssMB.toFixed(0), ours.rMaxVoxels, ours.eTpcf.toFixed(4), ours.eLpf.toFixed(4), ours.eD.toFixed(4), py.seconds.toFixed(2), py.maxRssMB.toFixed(0), (ours.metricsS / py.seconds).toFixed(2)].join(' | '),
  );
  rmSync(raw, { force: true });
}
const preset = node(['preset', String(Math.min(...sizes.filter((s) => s >= 256), 256))]);
console.log(`HNPG preset (hierarchical leveled wave, 2.5 nm voxels, ${preset.n}^3): ${preset.seconds.toFixed(1)} s, peak ${preset.maxRssMB.toFixed(0)} MB`);
rmSync(dir, { recursive: true, force: true });
