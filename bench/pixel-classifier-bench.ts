// Pixel classifier speed: "how long will it take on my stack". On a synthetic grey
// stack with known structure (bench/pixel-classifier-bench-stack.ts) a simulated
// user paints ~1 % of the pixels of 3 slices; we measure training (grey range +
// features at the painted pixels + random forest: the default 40 features and the
// default forest, DEFAULT_FOREST_OPTIONS' trees and depth unless --trees/--depth),
// prediction of every slice (features + forest, with predictSlice through one
// workspace) and the peak RSS, each run in a child process of its own; beside it
// the same features with scipy/skimage and the same forest settings with
// scikit-learn (n_jobs=1 and 2) on the same stack and strokes. Cases:
// 256 x 256 x 50 and 1024 x 1024 x K (default K = 12, extrapolated to 300 slices).
// Then the feature specs table: smaller specs against the default, MP on the
// held-out slices (truth known) and time per Mvoxel.
// Usage: npm run bench:classifier-speed [-- --slices 12] [--runs 1] [--cases small,large]
//          [--trees N] [--depth D] [--no-reference] [--no-variants]
// About 2.5 CPU minutes in all (both sides); ~5 min wall on a 2-core machine at load ~9.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FOREST_OPTIONS } from '../src-main/segment/pixel-classifier';
import { defaultFeatureSpec, type PixelFeatureSpec } from '../src-main/segment/pixel-features';
import type { ChildRequest } from './pixel-classifier-bench-child';
import { makeSyntheticStack, paintStrokes } from './pixel-classifier-bench-stack';
import { runSklearn, type Seconds, type SklearnRun } from './pixel-classifier-bench-sklearn';

const { values } = parseArgs({
  options: {
    slices: { type: 'string', default: '12' },
    runs: { type: 'string', default: '1' },
    cases: { type: 'string', default: 'small,large' },
    'no-reference': { type: 'boolean' },
    'no-variants': { type: 'boolean' },
    trees: { type: 'string', default: String(DEFAULT_FOREST_OPTIONS.nTrees) },
    depth: { type: 'string', default: String(DEFAULT_FOREST_OPTIONS.maxDepth) },
  },
});
const K = Number(values.slices);
const RUNS = Number(values.runs);
const TARGET_SLICES = 300;
const FRACTION = 0.01;
const FOREST = { nTrees: Number(values.trees), maxDepth: Number(values.depth) };
const CHILD = join(import.meta.dirname, 'pixel-classifier-bench-child.ts');

type Ours = {
  nFeatures: number;
  painted: number;
  rssLoadedMB: number;
  norm: Seconds;
  trainFeatures: Seconds;
  trainForest: Seconds;
  train: Seconds;
  cv: Seconds;
  predict: Seconds;
  trainPeakMB: number;
  peakMB: number;
  predictPeakMB: number;
  split: { features: number; forest: number; slices: number };
  mp: number;
};
type Variant = { name: string; nFeatures: number; trainS: number; featureS: number; forestS: number; voxels: number; mps: number[] };

function child<T>(req: ChildRequest): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(req)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

/** Element-wise median of runs of one JSON shape (numbers at the leaves). */
function median<T>(runs: T[]): T {
  const first = runs[0] as unknown;
  if (typeof first === 'number') {
    const s = (runs as number[]).slice().sort((a, b) => a - b);
    return (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) as T;
  }
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(first)) o[k] = median(runs.map((r) => (r as Record<string, unknown>)[k]));
    return o as T;
  }
  return first as T;
}

const load = (): string => loadavg()[0].toFixed(1);
const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '-');
const row = (label: string, cells: string[]): string => `${label.padEnd(44)}${cells.map((c) => c.padStart(14)).join('')}`;

function writeStack(dir: string, nz: number, n: number, strokeSeeds: number[]) {
  const stack = makeSyntheticStack(nz, n, n);
  writeFileSync(join(dir, 'grey.u8'), Buffer.concat(stack.grey));
  writeFileSync(join(dir, 'truth.u8'), Buffer.concat(stack.truth));
  const paintedSlices = [Math.floor(nz / 6), Math.floor(nz / 2), Math.floor((5 * nz) / 6)];
  const strokes = strokeSeeds.map((seed) => {
    const name = `strokes-${seed}.json`;
    writeFileSync(join(dir, name), JSON.stringify(paintStrokes(stack, paintedSlices, FRACTION, seed)));
    return name;
  });
  const heldOut = Array.from({ length: nz }, (_, z) => z).filter((z) => !paintedSlices.includes(z));
  return { strokes, heldOut, paintedSlices };
}

function runCase(dir: string, nz: number, n: number) {
  const { strokes, heldOut, paintedSlices } = writeStack(dir, nz, n, [7]);
  const shape: [number, number, number] = [nz, n, n];
  const loads: string[] = [load()];
  const ours: Ours[] = [];
  const ref: SklearnRun[] = [];
  for (let r = 0; r < RUNS; r++) {
    ours.push(child<Ours>({ mode: 'case', dir, shape, heldOut, strokes, forest: FOREST }));
    if (!values['no-reference']) ref.push(runSklearn(dir, shape, strokes[0], heldOut, defaultFeatureSpec(1), FOREST));
    loads.push(load());
  }
  return { nz, n, paintedSlices, heldOut, loads, ours: median(ours), ref: ref.length ? median(ref) : null };
}

type CaseResult = ReturnType<typeof runCase>;

function printCase(c: CaseResult): void {
  const { nz, n, ours: o, ref } = c;
  const mvox = (nz * n * n) / 1e6;
  const sum = (a: Seconds, b: Seconds): Seconds => ({ wall: a.wall + b.wall, cpu: a.cpu + b.cpu });
  const featShare = o.split.features / (o.split.features + o.split.forest);
  const t1 = ref ? sum(ref.trainCommon, ref.fit['1']) : null;
  const t2 = ref ? sum(ref.trainCommon, ref.fit['2']) : null;
  const p1 = ref ? sum(ref.predictFeatures, ref.predictForest['1']) : null;
  const p2 = ref ? sum(ref.predictFeatures, ref.predictForest['2']) : null;
  /** A row of ours, sklearn n_jobs=1, n_jobs=2 (the reference columns only when it ran). */
  const line = (label: string, ours: number, r1: number | undefined, r2: number | undefined, d = 2) => console.log(row(label, ref ? [f(ours, d), f(r1 ?? NaN, d), f(r2 ?? NaN, d)] : [f(ours, d)]));
  console.log(
    `\n${n} x ${n} x ${nz} uint8 (${f(mvox)} Mvoxel): ${o.painted} painted px (${f((100 * o.painted) / (3 * n * n))} % of slices ${c.paintedSlices.join(', ')}), ${c.heldOut.length} held-out slices; ${RUNS === 1 ? 'one run' : `median of ${RUNS} runs`}; load average ${c.loads.join(' -> ')}`,
  );
  console.log(row('', ref ? ['ours', 'sklearn j=1', 'sklearn j=2'] : ['ours']));
  line('training, wall s', o.train.wall, t1?.wall, t2?.wall);
  line('training, CPU s', o.train.cpu, t1?.cpu, t2?.cpu);
  line('  grey range + features at painted px, CPU s', o.norm.cpu + o.trainFeatures.cpu, ref?.trainCommon.cpu, ref?.trainCommon.cpu);
  line('  forest, CPU s', o.trainForest.cpu, ref?.fit['1'].cpu, ref?.fit['2'].cpu);
  line('  (+ cross-validation, 3 folds, CPU s)', o.cv.cpu, NaN, NaN);
  line('prediction, wall s', o.predict.wall, p1?.wall, p2?.wall);
  line('prediction, CPU s', o.predict.cpu, p1?.cpu, p2?.cpu);
  line('  features, CPU s', featShare * o.predict.cpu, ref?.predictFeatures.cpu, ref?.predictFeatures.cpu);
  line('  forest, CPU s', (1 - featShare) * o.predict.cpu, ref?.predictForest['1'].cpu, ref?.predictForest['2'].cpu);
  line('prediction, s per slice (wall)', o.predict.wall / nz, (p1?.wall ?? NaN) / nz, (p2?.wall ?? NaN) / nz, 3);
  line('prediction, s per slice (CPU)', o.predict.cpu / nz, (p1?.cpu ?? NaN) / nz, (p2?.cpu ?? NaN) / nz, 3);
  line('prediction, Mvoxel/s (wall)', mvox / o.predict.wall, mvox / (p1?.wall ?? NaN), mvox / (p2?.wall ?? NaN));
  line('prediction, Mvoxel per CPU s', mvox / o.predict.cpu, mvox / (p1?.cpu ?? NaN), mvox / (p2?.cpu ?? NaN));
  line('peak RSS, MB', o.predictPeakMB, ref?.peakMB, ref?.peakMB, 0);
  line('  peak RSS after training, MB', o.trainPeakMB, ref?.trainPeakMB, ref?.trainPeakMB, 0);
  line('  RSS with the stack loaded, MB', o.rssLoadedMB, ref?.loadedMB, ref?.loadedMB, 0);
  line('MP on the held-out slices, %', o.mp, ref?.mp, ref?.mp);
  if (ref && t1 && t2 && p1 && p2) {
    console.log(row('ratio ours / sklearn: training wall', ['', f(o.train.wall / t1.wall), f(o.train.wall / t2.wall)]));
    console.log(row('ratio ours / sklearn: training CPU', ['', f(o.train.cpu / t1.cpu), f(o.train.cpu / t2.cpu)]));
    console.log(row('ratio ours / sklearn: prediction wall', ['', f(o.predict.wall / p1.wall), f(o.predict.wall / p2.wall)]));
    console.log(row('ratio ours / sklearn: prediction CPU', ['', f(o.predict.cpu / p1.cpu), f(o.predict.cpu / p2.cpu)]));
    console.log(row('ratio ours / sklearn: peak RSS', ['', f(o.predictPeakMB / ref.peakMB), f(o.predictPeakMB / ref.peakMB)]));
  }
  const trainFeat = o.norm.cpu + o.trainFeatures.cpu;
  console.log(
    `what dominates (CPU): training ${f((100 * trainFeat) / (trainFeat + o.trainForest.cpu), 0)} % features (grey range included), ${f((100 * o.trainForest.cpu) / (trainFeat + o.trainForest.cpu), 0)} % forest; prediction ${f(100 * featShare, 0)} % features, ${f(100 * (1 - featShare), 0)} % forest (split measured on ${o.split.slices} slices after a warm-up slice, by predictSlice's bands)`,
  );
  if (n === 1024 && nz < TARGET_SLICES) printExtrapolation(c, t1, t2, p1, p2);
}

function printExtrapolation(c: CaseResult, t1: Seconds | null, t2: Seconds | null, p1: Seconds | null, p2: Seconds | null): void {
  const { nz, n, ours: o, ref } = c;
  const scale = TARGET_SLICES / nz;
  // The grey range reads every floor(nz / 32)-th slice (12 slices now, 34 at 300); the rest of training does not depend on nz.
  const normSlices = (z: number) => Math.ceil(z / Math.max(1, Math.floor(z / 32)));
  const extra = normSlices(TARGET_SLICES) / normSlices(nz) - 1;
  const stackMB = ((TARGET_SLICES - nz) * n * n) / 1e6;
  console.log(
    `\nEXTRAPOLATED to ${n} x ${n} x ${TARGET_SLICES} from the ${nz} slices measured above (not measured): training as measured plus the grey range over ${normSlices(TARGET_SLICES)} instead of ${normSlices(nz)} slices; prediction = ${TARGET_SLICES} x the measured time per slice; peak RSS + ${f(stackMB, 0)} MB for the rest of the stack in memory (the app streams slices from the project instead)`,
  );
  console.log(row('', ref ? ['ours', 'sklearn j=1', 'sklearn j=2'] : ['ours']));
  const line = (label: string, ours: number, r1: number | undefined, r2: number | undefined, d = 1) => console.log(row(label, ref ? [f(ours, d), f(r1 ?? NaN, d), f(r2 ?? NaN, d)] : [f(ours, d)]));
  const train = (t: Seconds, norm: Seconds, k: 'wall' | 'cpu') => t[k] + norm[k] * extra;
  line('training, wall s', train(o.train, o.norm, 'wall'), t1 && ref ? train(t1, ref.norm, 'wall') : NaN, t2 && ref ? train(t2, ref.norm, 'wall') : NaN);
  line('training, CPU s', train(o.train, o.norm, 'cpu'), t1 && ref ? train(t1, ref.norm, 'cpu') : NaN, t2 && ref ? train(t2, ref.norm, 'cpu') : NaN);
  line('prediction, wall min (at this load)', (o.predict.wall * scale) / 60, ((p1?.wall ?? NaN) * scale) / 60, ((p2?.wall ?? NaN) * scale) / 60);
  line('prediction, CPU min (all threads)', (o.predict.cpu * scale) / 60, ((p1?.cpu ?? NaN) * scale) / 60, ((p2?.cpu ?? NaN) * scale) / 60);
  line('peak RSS, MB', o.predictPeakMB + stackMB, (ref?.peakMB ?? NaN) + stackMB, (ref?.peakMB ?? NaN) + stackMB, 0);
}

const VARIANTS: { name: string; spec: PixelFeatureSpec }[] = (() => {
  const d = defaultFeatureSpec(1);
  const noST = d.families.filter((x) => x !== 'structure-tensor-eigenvalues');
  return [
    { name: 'default (0.7 1.6 3.5 5, all)', spec: d },
    { name: 'no structure-tensor eigenvalues', spec: { ...d, families: noST } },
    { name: 'scales 0.7 1.6 3.5', spec: { ...d, scalesPx: [0.7, 1.6, 3.5] } },
    { name: 'scales 0.7 1.6 3.5, no structure t.', spec: { ...d, scalesPx: [0.7, 1.6, 3.5], families: noST } },
    { name: 'no neighbouring slices', spec: { ...d, neighbours: { ...d.neighbours, offsets: [], scalesPx: [] } } },
  ];
})();

function runVariants(dir: string): void {
  const nz = 50;
  const n = 256;
  const seeds = [7, 8, 9];
  const written = writeStack(dir, nz, n, seeds);
  // Every second held-out slice, to keep the bench short.
  const heldOut = written.heldOut.filter((_, i) => i % 2 === 0);
  const before = load();
  const rows = child<Variant[]>({ mode: 'variants', dir, shape: [nz, n, n], heldOut, strokes: written.strokes, variants: VARIANTS, forest: FOREST });
  const mvox = rows[0].voxels / 1e6;
  const base = rows[0];
  const perMvox = (v: Variant) => (v.featureS + v.forestS) / mvox;
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  console.log(
    `\nFeature specs: ${n} x ${n} x ${nz}, each trained on 3 stroke sets (seeds ${seeds.join(', ')}, ~1 % of 3 slices each), scored on ${heldOut.length} held-out slices (every second one, ${f(mvox)} Mvoxel); CPU s, one run; load average ${before} -> ${load()}`,
  );
  const cols = ['features', 'train s', 'feat s/Mvox', 'forest s/Mvox', 'total s/Mvox', 'time / def', 'MP % per set', 'MP % mean', 'dMP vs def', '1024^2x300 min'];
  const widths = [9, 9, 12, 14, 13, 11, 18, 10, 11, 15];
  const cells = (c: string[]) => c.map((x, i) => x.padStart(widths[i])).join('');
  console.log(`${'spec'.padEnd(38)}${cells(cols)}`);
  for (const v of rows) {
    const dmp = mean(v.mps.map((m, i) => m - base.mps[i]));
    const est = (perMvox(v) * 1024 * 1024 * TARGET_SLICES) / 1e6 / 60;
    console.log(
      `${v.name.padEnd(38)}${cells([String(v.nFeatures), f(v.trainS), f(v.featureS / mvox), f(v.forestS / mvox), f(perMvox(v)), f(perMvox(v) / perMvox(base)), v.mps.map((m) => f(m, 1)).join(' '), f(mean(v.mps)), (dmp >= 0 ? '+' : '') + f(dmp), f(est, 1)])}`,
    );
  }
  console.log('train s: CPU per stroke set (features at the painted px + forest); 1024^2x300 min: CPU minutes on one core from s/Mvox (an estimate); dMP: mean over the stroke sets of (MP - default MP) with the same strokes');
}

/** The commit measured, and whether the classifier's sources differ from it (others may be editing them). */
function sourceState(): string {
  try {
    const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git(['status', '--porcelain', '--', 'src-main/segment/pixel-features', 'src-main/segment/pixel-classifier', 'src-main/segment/trained-classifier']);
    return `commit ${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' with uncommitted changes to the classifier sources' : ''}`;
  } catch {
    return 'commit unknown';
  }
}

const cpu = cpus();
console.log(`Pixel classifier speed. Node ${process.versions.node}, ${cpu.length} x ${cpu[0]?.model ?? 'CPU'}, ${f(totalmem() / 2 ** 30, 0)} GiB; ours runs on one thread; load average now ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`${sourceState()}; forest ${FOREST.nTrees} trees of depth ${FOREST.maxDepth} (mtry sqrt, balanced class weights, bootstrap) on both sides; default feature spec (${defaultFeatureSpec(1).scalesPx.join(', ')} px, every family, slices -2..+2)`);
const dir = mkdtempSync(join(tmpdir(), 'fibrecon-classifier-speed-'));
try {
  const cases = values.cases!.split(',');
  let versions = '';
  for (const [name, nz, n] of [['small', 50, 256], ['large', K, 1024]] as const) {
    if (!cases.includes(name)) continue;
    const c = runCase(dir, nz, n);
    versions = c.ref?.versions ?? versions;
    printCase(c);
  }
  if (versions) console.log(`\nreference: ${versions}, float64 features stacked as float32; OMP/OpenBLAS threads 1`);
  if (!values['no-variants']) runVariants(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
