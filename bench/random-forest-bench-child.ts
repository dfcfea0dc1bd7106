// One measured job of the random forest benchmark in its own process (so that
// its peak RSS is its own); prints one JSON line. Jobs:
//   train N F TREES DEPTH                 training time of N samples x F features
//   predict F TREES DEPTH PIXELS REPEATS THREADS
//                                         labels and probabilities of PIXELS pixels, REPEATS times, on 1 or 2 worker threads
//   grid TREES,.. DEPTHS,..               test accuracy (blobs, XOR, pixel-like) and single-thread prediction time per setting
//   write N F SEED PREFIX                 the pixel-like problem as raw files for scikit-learn
import { writeFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../src-main/jobs/spawn-worker';
import { type RandomForest, predictLabels, predictProbabilities, serialiseForest, trainRandomForest } from '../src-main/segment/pixel-classifier';
import { type Problem, accuracy, gaussianBlobs, pixelLikeProblem, xorProblem } from '../tests/segment/random-forest-data';

const maxRssMB = () => process.resourceUsage().maxRSS / 1024;

function timeIt<T>(fn: () => T): { value: T; wallS: number; cpuS: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const cpu = process.cpuUsage(c0);
  return { value, wallS: (performance.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6 };
}

function train(F: number, nTrees: number, maxDepth: number, n: number): RandomForest {
  return trainRandomForest(pixelLikeProblem(n, F, 1), { nTrees, maxDepth, classWeight: 'balanced' });
}

/** Predicts pixels on `threads` worker threads (features in shared memory), each a contiguous range; wall seconds. */
async function predictOnWorkers(workers: Worker[], forest: RandomForest, shared: Float32Array, mode: 'labels' | 'probabilities'): Promise<number> {
  const nPixels = shared.length / forest.nFeatures;
  const t0 = performance.now();
  await Promise.all(
    workers.map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
          const start = Math.floor((i * nPixels) / workers.length);
          const end = Math.floor(((i + 1) * nPixels) / workers.length);
          w.postMessage({ mode, start, end });
        }),
    ),
  );
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const [job, ...a] = process.argv.slice(2);
  if (job === 'train') {
    const [n, F, nTrees, depth] = a.map(Number);
    const data = pixelLikeProblem(n, F, 1);
    // Warm: in the app the training worker has grown trees before; the first forest of a process pays for compiling.
    trainRandomForest(pixelLikeProblem(3000, F, 3), { nTrees: 4, maxDepth: depth });
    const t = timeIt(() => trainRandomForest(data, { nTrees, maxDepth: depth, classWeight: 'balanced' }));
    console.log(JSON.stringify({ job, n, F, nTrees, depth, wallS: t.wallS, cpuS: t.cpuS, nodes: t.value.nodeFeature.length, maxRssMB: maxRssMB() }));
  } else if (job === 'predict') {
    const [F, nTrees, depth, nPixels, repeats, threads] = a.map(Number);
    const forest = train(F, nTrees, depth, 20000);
    const test = pixelLikeProblem(nPixels, F, 2);
    const out: Record<string, number> = {};
    if (threads === 1) {
      // One untimed round of each so that both are compiled.
      predictLabels(forest, test.features, { end: Math.min(nPixels, 50000) });
      predictProbabilities(forest, test.features, { end: Math.min(nPixels, 50000) });
      for (const mode of ['labels', 'probabilities'] as const) {
        let wall = 0;
        let cpu = 0;
        for (let r = 0; r < repeats; r++) {
          const t = timeIt(() => (mode === 'labels' ? predictLabels(forest, test.features) : predictProbabilities(forest, test.features)));
          wall += t.wallS;
          cpu += t.cpuS;
        }
        out[`${mode}PxPerS`] = (nPixels * repeats) / wall;
        out[`${mode}PxPerCpuS`] = (nPixels * repeats) / cpu;
      }
      const labels = predictLabels(forest, test.features);
      out.accuracy = accuracy(test.labels, labels);
    } else {
      const shared = new Float32Array(new SharedArrayBuffer(test.features.byteLength));
      shared.set(test.features);
      const workers = Array.from({ length: threads }, () => spawnWorker(import.meta.url, 'random-forest-bench-worker', { workerData: { forest: serialiseForest(forest), features: shared } }));
      await Promise.all(workers.map((w) => new Promise((r) => w.once('online', r))));
      // One untimed round so that every worker has compiled its code.
      await predictOnWorkers(workers, forest, shared, 'labels');
      for (const mode of ['labels', 'probabilities'] as const) {
        let wall = 0;
        const c0 = process.cpuUsage(); // all threads of the process
        for (let r = 0; r < repeats; r++) wall += await predictOnWorkers(workers, forest, shared, mode);
        const cpu = process.cpuUsage(c0);
        out[`${mode}PxPerS`] = (nPixels * repeats) / wall;
        out[`${mode}PxPerCpuS`] = (nPixels * repeats) / ((cpu.user + cpu.system) / 1e6);
      }
      await Promise.all(workers.map((w) => w.terminate()));
    }
    console.log(JSON.stringify({ job, F, nTrees, depth, nPixels, repeats, threads, ...out, maxRssMB: maxRssMB() }));
  } else if (job === 'grid') {
    const trees = a[0].split(',').map(Number);
    const depths = a[1].split(',').map(Number);
    const problems: Record<string, [Problem, Problem]> = {
      blobs: [gaussianBlobs(20000, 21), gaussianBlobs(20000, 22)],
      xor: [xorProblem(20000, 23), xorProblem(20000, 24)],
      pixelLike: [pixelLikeProblem(20000, 40, 25), pixelLikeProblem(200000, 40, 26)],
    };
    const rows = [];
    // Compile prediction once before anything is timed.
    const warm = trainRandomForest(problems.pixelLike[0], { nTrees: 4, maxDepth: 6 });
    predictLabels(warm, problems.pixelLike[1].features);
    predictProbabilities(warm, problems.pixelLike[1].features);
    const bestCpu = (fn: () => unknown) => Math.min(timeIt(fn).cpuS, timeIt(fn).cpuS);
    for (const depth of depths) {
      for (const nTrees of trees) {
        const row: Record<string, number> = { nTrees, depth };
        for (const [name, [tr, te]] of Object.entries(problems)) {
          const forest = trainRandomForest(tr, { nTrees, maxDepth: depth, classWeight: 'none', seed: 1 });
          row[name] = accuracy(te.labels, predictLabels(forest, te.features));
          if (name === 'pixelLike') {
            row.labelsNsPerPx = (bestCpu(() => predictLabels(forest, te.features)) * 1e9) / te.labels.length;
            row.probabilitiesNsPerPx = (bestCpu(() => predictProbabilities(forest, te.features)) * 1e9) / te.labels.length;
            row.trainCpuS = timeIt(() => trainRandomForest(tr, { nTrees, maxDepth: depth, classWeight: 'none', seed: 1 })).cpuS;
          }
        }
        rows.push(row);
      }
    }
    console.log(JSON.stringify({ job, rows, maxRssMB: maxRssMB() }));
  } else if (job === 'write') {
    const [n, F, seed] = a.slice(0, 3).map(Number);
    const p = pixelLikeProblem(n, F, seed);
    writeFileSync(`${a[3]}.x`, Buffer.from(p.features.buffer, p.features.byteOffset, p.features.byteLength));
    writeFileSync(`${a[3]}.y`, p.labels);
    console.log(JSON.stringify({ job, n, F }));
  } else {
    throw new Error(`unknown job ${job}`);
  }
}

await main();
