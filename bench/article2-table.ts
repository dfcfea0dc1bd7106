// [Sardhara2023] Tables 2-3 on held-out synthetic data: N mimicking stacks, each
// an HNPG-like structure (the `fibrecon synth` preset: hierarchical leveled wave,
// 2.5 nm voxels, ~110 nm ligaments carrying ~15 nm pores) imaged at its own
// gamma-distributed depths (mean 10.16 nm, sd 3.12 nm, whole voxels: slice i is
// plane z_i / 2.5 of the structure), with its own seeds. Each stack is rebuilt on
// the 2.5 nm grid by DNN, SRCS, RNN, RCS and RCS-labels (src-main/geometry/
// gap-baselines.ts; binary; RCS through the signed distance to the boundary,
// RCS-labels and SRCS through the 0/1 labels at 0.5; holes < 20 px filled) and
// compared with the truth over
// the planes all cover: MP, MGP, MDS (compareToTruth) and the isotropy errors
// e_TPCF, e_LPF, e_D of the reconstruction (anisotropyMetrics, one rMax for all).
// RML: the same repositioning, gaps filled by the shipped inpainting model through the
// app's engine (fill-ml.ts; --model NAME, '' to leave it out), timed beside RCS.
// Usage: node --import tsx bench/article2-table.ts [--n 20] [--size 96] [--slices 60] [--seed 1000] [--structure hnpg|wave] [--model inpaint-small]
import { parseArgs } from 'node:util';
import { directNearestNeighbour, repositionAndFill, repositionAndFillMl, standardRepositionCubic, type Reconstruction } from '../src-main/geometry/gap-baselines';
import { loadModel, type LoadedModel } from '../src-main/inference';
import { anisotropyMetrics, compareToTruth, meanAndSd } from '../src-main/metrics';
import { resolveModelPath } from '../src-main/segment/model-files';
import { cropPlanes as crop, milledStack, type MilledStructure } from '../src-main/synth/milled-stack';
import { DEFAULT_INPAINT_MODEL } from '../src-shared/pipeline-methods';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20' },
    size: { type: 'string', default: '96' },
    slices: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1000' },
    structure: { type: 'string', default: 'hnpg' },
    model: { type: 'string', default: DEFAULT_INPAINT_MODEL },
  },
});
const N = Number(values.n);
const SIZE = Number(values.size);
const SLICES = Number(values.slices);
const SEED = Number(values.seed);
const TARGET = 10;
const R_MAX = Math.floor(SIZE / 4);
const METHODS = ['DNN', 'SRCS', 'RNN', 'RCS', 'RCS-labels', 'RML'] as const;
type Method = (typeof METHODS)[number];
const SEEDS_MP: Record<Method, number> = { DNN: 19.97, SRCS: 5.29, RNN: 4.89, RCS: 3.12, 'RCS-labels': 3.12, RML: 2.35 };
const model: LoadedModel | undefined = values.model ? await loadModel(resolveModelPath(values.model), { ep: 'auto' }) : undefined;
const methods = METHODS.filter((m) => m !== 'RML' || model);

type Row = { mp: number; mgp: number; mds: number; eTpcf: number; eLpf: number; eD: number };
const rows: Record<Method | 'truth', Row[]> = { DNN: [], SRCS: [], RNN: [], RCS: [], 'RCS-labels': [], RML: [], truth: [] };
const seconds: Partial<Record<Method, number>> = {};
async function timed(m: Method, f: () => Reconstruction | Promise<Reconstruction>): Promise<[Method, Reconstruction]> {
  const t = performance.now();
  const r = await f();
  seconds[m] = (seconds[m] ?? 0) + (performance.now() - t) / 1000;
  return [m, r];
}
let lost = 0;
const t0 = performance.now();
let planes = 0;
for (let i = 0; i < N; i++) {
  const { truth, measured } = milledStack({ size: SIZE, slices: SLICES, structureSeed: SEED + i, millingSeed: SEED + 5000 + i, structure: values.structure as MilledStructure });
  const nzTruth = truth.shape[0];
  const runs: [Method, Reconstruction][] = [
    await timed('DNN', () => directNearestNeighbour(measured, TARGET, { binary: true })),
    await timed('SRCS', () => standardRepositionCubic(measured, TARGET, { binary: true })),
    await timed('RNN', () => repositionAndFill(measured, 'nearest', { binary: true })),
    await timed('RCS', () => repositionAndFill(measured, 'cubic', { binary: true })),
    await timed('RCS-labels', () => repositionAndFill(measured, 'cubic', { binary: true, binaryInterpolant: 'labels' })),
  ];
  if (model) runs.push(await timed('RML', () => repositionAndFillMl(measured, { model })));
  lost += runs[1][1].lostSlices?.length ?? 0;
  const nz = Math.min(nzTruth, ...runs.map(([, r]) => r.volume.shape[0]));
  planes += nz;
  const t = crop(truth, nz);
  const tm = anisotropyMetrics(t, { rMaxVoxels: R_MAX });
  rows.truth.push({ mp: 0, mgp: 0, mds: 1, eTpcf: tm.eTpcf, eLpf: tm.eLpf, eD: tm.eD });
  for (const [name, r] of runs) {
    const v = crop(r.volume, nz);
    const c = compareToTruth(v, t);
    const m = anisotropyMetrics(v, { rMaxVoxels: R_MAX });
    rows[name].push({ mp: c.misplacedPercent, mgp: c.misplacedSolidPercent ?? 0, mds: c.meanDice, eTpcf: m.eTpcf, eLpf: m.eLpf, eD: m.eD });
  }
}
const totalSeconds = (performance.now() - t0) / 1000;
await model?.session.release();

const f = (xs: number[], d: number) => {
  const m = meanAndSd(xs);
  return `${m.mean.toFixed(d)} +- ${m.sd.toFixed(d)}`;
};
const what = values.structure === 'wave' ? 'leveled-wave (60 nm wavelength, solid 0.35)' : 'HNPG-like preset (coarse 180 nm, fine 25 nm wavelength, solid 0.3)';
console.log(`${N} held-out stacks: ${what} structures of ${SIZE} x ${SIZE} px at 2.5 nm, ${SLICES} slices each at gamma depths (mean 10.16 nm, sd 3.12 nm; structure seeds ${SEED}..${SEED + N - 1}, milling seeds ${SEED + 5000}..${SEED + 5000 + N - 1}); compared over the ${(planes / N).toFixed(0)} planes (mean) all methods cover; rMax ${R_MAX} voxels for all. ${totalSeconds.toFixed(0)} s.`);
const head = 'method     | MP %            | MGP %           | MDS             | e_TPCF          | e_LPF           | e_D             | paper MP %';
console.log([head, head.replace(/[^|]/g, '-')].join('\n'));
for (const k of [...methods, 'truth'] as const) {
  const r = rows[k];
  const metric = (key: keyof Row, d: number) => f(r.map((x) => x[key]), d).padEnd(15);
  const q = k === 'truth' ? ['-'.padEnd(15), '-'.padEnd(15), '-'.padEnd(15)] : [metric('mp', 2), metric('mgp', 2), metric('mds', 3)];
  console.log([k.padEnd(10), ...q, metric('eTpcf', 3), metric('eLpf', 3), metric('eD', 3), k === 'truth' ? '-' : SEEDS_MP[k].toFixed(2)].join(' | '));
}
const mp = (k: Method, i: number) => rows[k][i].mp;
const count = (pred: (i: number) => boolean) => Array.from({ length: N }, (_, i) => i).filter(pred).length;
console.log(
  `Ordering by MP (paper: DNN > SRCS > RNN > RCS): all four on ${count((i) => mp('DNN', i) > mp('SRCS', i) && mp('SRCS', i) > mp('RNN', i) && mp('RNN', i) > mp('RCS', i))}/${N} stacks; ` +
    `DNN > SRCS ${count((i) => mp('DNN', i) > mp('SRCS', i))}/${N}, SRCS > RNN ${count((i) => mp('SRCS', i) > mp('RNN', i))}/${N}, RNN > RCS ${count((i) => mp('RNN', i) > mp('RCS', i))}/${N}, SRCS > RCS ${count((i) => mp('SRCS', i) > mp('RCS', i))}/${N}.`,
);
console.log(`SRCS lost ${lost} of ${N * SLICES} slices (${((100 * lost) / (N * SLICES)).toFixed(1)} %) to a later slice on the same 10 nm cell. RCS-labels vs RNN: RCS-labels lower on ${count((i) => mp('RCS-labels', i) < mp('RNN', i))}/${N}.`);
if (model) {
  const mds = (k: Method, j: number) => rows[k][j].mds;
  console.log(
    `RML (${model.card.name} on ${model.ep.toUpperCase()}) vs RCS: MP lower on ${count((j) => mp('RML', j) < mp('RCS', j))}/${N}, MDS higher on ${count((j) => mds('RML', j) > mds('RCS', j))}/${N}; ` +
      `time ${seconds.RML!.toFixed(1)} s vs ${seconds.RCS!.toFixed(1)} s for all stacks (${(seconds.RML! / seconds.RCS!).toFixed(1)} x; both include repositioning and the signed distances).`,
  );
}
console.log('Paper ([Sardhara2023] Tables 2-3, 250 synthetic stacks): MP only as listed (RML = their ML inpainting, 2.35 %); DNN MDS 0.53, RCS MDS 0.93, RML MDS 0.95.');
