// Random forest benchmark: training time for N samples x 40 features,
// prediction throughput (labels and probabilities, 1 and 2 worker threads),
// peak RSS, each job in a child process of its own; the same with
// scikit-learn's RandomForestClassifier (n_jobs = 1 and 2, Debian's python3)
// on the same data for a ratio; then test accuracy against trees and depth on
// two Gaussian blobs, XOR and the pixel-like problem with the prediction time
// that setting costs, extrapolated to a 1024 x 1024 x 300 volume (3.1e8 voxels)
// on 2 threads. Data: bench/random-forest-bench-child.ts pixelLikeProblem.
// Usage: npm run bench:forest [-- --sizes 20000,200000] [--pixels 1000000] [--repeats 2]
//          [--trees 16] [--depth 10] [--no-sklearn] [--no-grid] [--grid-trees 8,16,32,64] [--grid-depths 8,10,12]
//
// ml-random-forest 2.1.0 (mljs, tried in a scratch folder, not a dependency):
// 2000 samples x 40 features, 8 trees of depth 10: training 21.4 s wall /
// 7.1 s CPU, prediction 36 k pixels/s, accuracy 0.63 (it draws a feature
// subset per tree, not per split); our forest on the same data: 0.23-0.37 s
// CPU, ~290 k pixels/s at that size, accuracy 0.76. 20000 samples with 32
// trees did not finish training in 15 minutes. Hence our own implementation.
//
// Run of 2026-12-07 (2 x AMD EPYC vCPU, load average 10-16 from other jobs, so
// wall times are inflated ~3x; CPU times are the better guide), 16 trees of
// depth 10, 40 features, balanced weights:
//   train 20k:  ours 1.13 s CPU (3.5 s wall), 102 MB; sklearn 6.7 / 6.4 s wall (n_jobs 1 / 2), 379 MB
//   train 200k: ours 2.60 s CPU (9.7 s wall), 138 MB; sklearn 83 / 74 s wall, 183 MB (8.6x our CPU)
//   predict 1e6 px x 2: labels 1.96 M px per CPU s (1 thread), 1.64 M (2 threads);
//     probabilities 1.32 M / 1.10 M px per CPU s; sklearn predict_proba 245 k / 182 k px/s wall
//     (ours 1.5x faster in wall time on the same loaded machine); peak 480 MB with 1e6 x 40 features
//   accuracy on the 1e6 test pixels: ours 89.36 %, sklearn 89.05 %
//   3.1e8 voxels on 2 free cores, forest only: labels ~96 s, probabilities ~144 s
//   grid (accuracy %, blobs / XOR / pixel-like; CPU ns per pixel labels / probabilities):
//     16 x 8   80.63 / 94.70 / 90.67;  467 /  709     8 x 10  80.39 / 94.16 / 87.92;  300 /  443
//     16 x 10  81.14 / 94.85 / 89.98;  490 /  653    32 x 10  81.67 / 94.95 / 90.74; 1066 / 1664
//     32 x 8   81.22 / 94.89 / 91.01;  902 /  953    64 x 10  81.95 / 94.95 / 91.25; 3274 / 4576
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FOREST_OPTIONS } from '../src-main/segment/pixel-classifier';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '20000,200000' },
    pixels: { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '2' },
    trees: { type: 'string', default: String(DEFAULT_FOREST_OPTIONS.nTrees) },
    depth: { type: 'string', default: String(DEFAULT_FOREST_OPTIONS.maxDepth) },
    features: { type: 'string', default: '40' },
    'no-sklearn': { type: 'boolean' },
    'no-grid': { type: 'boolean' },
    'grid-trees': { type: 'string', default: '8,16,32,64' },
    'grid-depths': { type: 'string', default: '8,10,12' },
  },
});
const sizes = (values.sizes as string).split(',').map(Number);
const [pixels, repeats, trees, depth, F] = [values.pixels, values.repeats, values.trees, values.depth, values.features].map(Number);
const VOXELS = 1024 * 1024 * 300;
const dir = mkdtempSync(join(tmpdir(), 'fibrecon-forest-bench-'));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const child = (args: (string | number)[]): any =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/random-forest-bench-child.ts', ...args.map(String)], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop() as string);

const SKLEARN = `
import json, resource, sys, time, numpy as np
from sklearn.ensemble import RandomForestClassifier
a = json.loads(sys.argv[1])
def load(p):
    y = np.fromfile(p + '.y', dtype=np.uint8); return np.fromfile(p + '.x', dtype=np.float32).reshape(len(y), -1), y
X, y = load(a['train'])
out = {}
for jobs in (1, 2):
    m = RandomForestClassifier(n_estimators=a['trees'], max_depth=a['depth'], max_features='sqrt', class_weight='balanced', random_state=0, n_jobs=jobs)
    t0, c0 = time.perf_counter(), time.process_time(); m.fit(X, y)
    out['train%d' % jobs] = {'wallS': time.perf_counter() - t0, 'cpuS': time.process_time() - c0}
    if a.get('test'):
        Xt, yt = load(a['test'])
        m.predict_proba(Xt[:10000])
        t0 = time.perf_counter()
        for r in range(a['repeats']): p = m.predict_proba(Xt)
        out['probabilitiesPxPerS%d' % jobs] = len(yt) * a['repeats'] / (time.perf_counter() - t0)
        out['accuracy'] = float(np.mean((p[:, 1] > p[:, 0]) == yt))
        del Xt, yt
out['maxRssMB'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
`;
const sklearn = (train: string, test: string | null): Record<string, any> => // eslint-disable-line @typescript-eslint/no-explicit-any
  JSON.parse(execFileSync('/usr/bin/python3', ['-c', SKLEARN, JSON.stringify({ train, test, trees, depth, repeats })], { encoding: 'utf8' }).trim());

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const kpx = (x: number) => `${(x / 1000).toFixed(0)} k`;
console.log(`Random forest, ${trees} trees of depth ${depth}, ${F} features, mtry = floor(sqrt(${F})), balanced class weights`);
console.log(`Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg().map(f1).join(' ')}, Node ${process.version}\n`);

// Prediction first: its 1e6-pixel test set is also scikit-learn's.
const pred1 = child(['predict', F, trees, depth, pixels, repeats, 1]);
const pred2 = child(['predict', F, trees, depth, pixels, repeats, 2]);
const rows: string[][] = [];
let skPredict: Record<string, number> | null = null;
for (const n of sizes) {
  const ours = child(['train', n, F, trees, depth]);
  let sk: Record<string, any> | null = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!values['no-sklearn']) {
    child(['write', n, F, 1, join(dir, `train${n}`)]);
    const withTest = skPredict === null;
    if (withTest) child(['write', pixels, F, 2, join(dir, 'test')]);
    sk = sklearn(join(dir, `train${n}`), withTest ? join(dir, 'test') : null);
    if (withTest) skPredict = sk;
    rmSync(join(dir, `train${n}.x`), { force: true });
  }
  rows.push([
    `train ${n} x ${F}`,
    `${f2(ours.wallS)} s wall, ${f2(ours.cpuS)} s CPU, ${ours.nodes} nodes, ${ours.maxRssMB.toFixed(0)} MB`,
    sk ? `${f2(sk.train1.wallS)} s / ${f2(sk.train2.wallS)} s wall, ${sk.maxRssMB.toFixed(0)} MB` : '-',
    sk ? `${f1(sk.train1.wallS / ours.wallS)}x / ${f1(sk.train1.cpuS / ours.cpuS)}x CPU` : '-',
  ]);
}
rows.push([
  `predict ${pixels} px x ${repeats}, labels`,
  `${kpx(pred1.labelsPxPerS)} px/s (${kpx(pred1.labelsPxPerCpuS)} per CPU s); 2 threads ${kpx(pred2.labelsPxPerS)} px/s (${kpx(pred2.labelsPxPerCpuS)} per CPU s)`,
  '-',
  '-',
]);
rows.push([
  `predict ${pixels} px x ${repeats}, probabilities`,
  `${kpx(pred1.probabilitiesPxPerS)} px/s (${kpx(pred1.probabilitiesPxPerCpuS)} per CPU s); 2 threads ${kpx(pred2.probabilitiesPxPerS)} px/s (${kpx(pred2.probabilitiesPxPerCpuS)} per CPU s), ${pred2.maxRssMB.toFixed(0)} MB`,
  skPredict ? `${kpx(skPredict.probabilitiesPxPerS1)} / ${kpx(skPredict.probabilitiesPxPerS2)} px/s` : '-',
  skPredict ? `${f1(pred1.probabilitiesPxPerS / skPredict.probabilitiesPxPerS1)}x / ${f1(pred2.probabilitiesPxPerS / skPredict.probabilitiesPxPerS2)}x faster` : '-',
]);
rows.push([
  'accuracy on the 1e6 test pixels',
  f2(pred1.accuracy * 100) + ' %',
  skPredict ? f2(skPredict.accuracy * 100) + ' %' : '-',
  '-',
]);
console.log('| measure | ours | scikit-learn n_jobs=1 / 2 | ratio (sklearn time / ours) |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
// On a busy machine wall time says little; CPU time per pixel times the pixels, over two cores, is what two free cores would take.
console.log(
  `\n${VOXELS.toExponential(2)} voxels, forest only (features not included): on 2 free cores (from the 2-thread CPU time) labels ${f1(VOXELS / pred2.labelsPxPerCpuS / 2)} s, probabilities ${f1(VOXELS / pred2.probabilitiesPxPerCpuS / 2)} s; at the 2-thread wall rates here ${f1(VOXELS / pred2.labelsPxPerS)} / ${f1(VOXELS / pred2.probabilitiesPxPerS)} s\n`,
);

if (!values['no-grid']) {
  const grid = child(['grid', values['grid-trees'] as string, values['grid-depths'] as string]);
  console.log('Accuracy (%) against trees and depth (20k training samples, no class weights), and what prediction costs:');
  console.log('| trees | depth | blobs 10-D | XOR | pixel-like 40-D | labels CPU ns/px | probabilities CPU ns/px | 3.1e8 voxels on 2 free cores, labels / probabilities | training 20k CPU s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of grid.rows) {
    console.log(
      `| ${r.nTrees} | ${r.depth} | ${f2(100 * r.blobs)} | ${f2(100 * r.xor)} | ${f2(100 * r.pixelLike)} | ${r.labelsNsPerPx.toFixed(0)} | ${r.probabilitiesNsPerPx.toFixed(0)} | ${f1((VOXELS * r.labelsNsPerPx * 1e-9) / 2)} / ${f1((VOXELS * r.probabilitiesNsPerPx * 1e-9) / 2)} s | ${f2(r.trainCpuS)} |`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });
