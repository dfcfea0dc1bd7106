// Calibration of the out-of-distribution score (src-main/segment/ood) and of method
// auto's choice between Otsu and k-means, on held-out stacks (bench/ood-stacks.ts): the
// independent simulator's five families at 1, 2 and 4 kV with other detectors and fills,
// and the app's own HNPG preset on structure seeds never trained on. Per stack: MP of
// every shipped one-stack segmentation model, Otsu, k-means and hybrid against the truth,
// each model's OOD score (the app's own code: assessOutOfDistribution on the same blocks
// the app checks), and what auto would run. A model run "fails" when its MP is above
// Otsu's; the threshold is the one that misclassifies fewest runs (ties: the widest gap).
// Prints the table for docs/benchmarks.md; --write stores the threshold in
// models/ood-calibration.json, where the app reads it.
// --trained-range prints, per shipped model, the Otsu chord range of its training stacks
// (the cards' trainedRange).
// Usage: node --import tsx bench/ood-calibration.ts [--slices 24] [--rows 128] [--columns 128] [--app-seeds 100,101]
//          [--models unet25d-w7-2kv,unet2d-2kv,unet3d-2kv | all] [--write] [--json FILE]
//        node --import tsx bench/ood-calibration.ts --from FILE [--write]   (the table and threshold again from a --json file)
//        node --import tsx bench/ood-calibration.ts --trained-range [--kv 2]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEGMENT_MODEL } from '../src-shared/pipeline-methods';
import type { Volume } from '../src-shared/volume';
import { readTiffVolume } from '../src-main/import/read-tiff-volume';
import { loadModel, type LoadedModel } from '../src-main/inference/load-model';
import { inputStacks } from '../src-main/inference/model-card';
import { segmentStack } from '../src-main/inference/segment-stack';
import { compareToTruth } from '../src-main/metrics';
import { chooseClassical, OTSU_CONTRAST_RATIO } from '../src-main/segment/auto-method';
import { hybridSegment, kmeansSegment, otsuSegment, stackHistogram } from '../src-main/segment/classical';
import { classicalEvidence } from '../src-main/segment/classical-evidence';
import { blockSegmenter } from '../src-main/segment/model-block-runner';
import { listModelNames, modelsDir } from '../src-main/segment/model-files';
import { OOD_CALIBRATION_FILE } from '../src-main/segment/ood-calibration-file';
import { assessOutOfDistribution, type OodReport } from '../src-main/segment/ood/assess';
import { sampleCrops } from '../src-main/segment/ood/flip-consistency';
import { hnpgPreset, writeSyntheticSample } from '../src-main/synth/write-synthetic-sample';
import { crop, heldOutStacks, otsuChordOfStack, type HeldOutSpec, type StackShape } from './ood-stacks';

const { values } = parseArgs({
  options: {
    slices: { type: 'string', default: '24' },
    rows: { type: 'string', default: '128' },
    columns: { type: 'string', default: '128' },
    'app-seeds': { type: 'string', default: '100,101' },
    write: { type: 'boolean' },
    json: { type: 'string' },
    'trained-range': { type: 'boolean' },
    kv: { type: 'string', default: '2' },
    models: { type: 'string', default: 'unet25d-w7-2kv,unet2d-2kv,unet3d-2kv' },
    from: { type: 'string' },
  },
});
/** Points of solid fraction a model may lie below k-means before the score counts them (see ood-score.ts). */
const SOLID_GAP_ALLOWANCE = 0.05;
const COMMAND = 'npm run bench:ood -- --write';

/** The Otsu chords of the training stacks (HNPG preset, train seeds 1-8, 40 x 192 x 256), measured as the app measures a stack. */
async function trainedRange(kv: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fibrecon-ood-train-'));
  const px: number[] = [];
  const nm: number[] = [];
  try {
    for (let seed = 1; seed <= 8; seed++) {
      const params = hnpgPreset({ seed });
      params.beams = [{ energyKeV: kv, detector: 'TLD' }];
      const sample = await writeSyntheticSample(join(dir, String(seed)), params);
      const grey = crop(await readTiffVolume([sample.files.stacks[0].path]), sample.roi);
      const ch = await otsuChordOfStack(grey);
      px.push(ch.meanPx);
      nm.push(ch.meanNm);
      console.log(`seed ${seed} ${kv} kV: Otsu mean chord ${ch.meanPx.toFixed(2)} px = ${ch.meanNm.toFixed(1)} nm (solid ${ch.solidPx.toFixed(1)} px, pore ${ch.porePx.toFixed(1)} px)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const r = (xs: number[]) => [Math.min(...xs), Math.max(...xs)].map((x) => +x.toFixed(1));
  console.log(JSON.stringify({ otsuChordPx: r(px), otsuChordNm: r(nm) }));
}

interface ModelRow {
  mp: number;
  ood: OodReport;
  fails: boolean;
}
interface StackRow {
  spec: HeldOutSpec;
  otsu: number;
  kmeans: number;
  hybrid: number;
  truthSolid: number;
  classicalPick: 'otsu' | 'kmeans';
  contrastRatio: number;
  models: Record<string, ModelRow>;
  seconds: number;
}

async function modelMP(model: LoadedModel, grey: Volume, truth: Volume): Promise<number> {
  const out: Uint8Array[] = new Array(grey.shape[0]);
  await segmentStack(model, grey.shape, (z) => grey.slices[z], (z, labels) => void (out[z] = labels), { probabilities: false });
  return compareToTruth({ ...truth, slices: out }, truth).misplacedPercent;
}

async function collectRows(shape: StackShape): Promise<StackRow[]> {
  const dir = modelsDir();
  const loaded = await Promise.all(listModelNames(dir).map((name) => loadModel(join(dir, `${name}.onnx`), { ep: 'cpu' })));
  const wanted = values.models === 'all' ? undefined : String(values.models).split(',');
  const models = loaded.filter((m) => m.card.kind !== 'inpainting' && inputStacks(m.card) === 1 && (wanted === undefined || wanted.includes(m.card.name)));
  await Promise.all(loaded.filter((m) => !models.includes(m)).map((m) => m.session.release()));
  const names = models.map((m) => m.card.name);
  console.error(`Models: ${names.join(', ')}; stacks ${shape.join(' x ')}`);
  const rows: StackRow[] = [];
  for await (const s of heldOutStacks(shape, String(values['app-seeds']).split(',').map(Number))) {
    const t1 = performance.now();
    const mp = (labels: Volume) => compareToTruth(labels, s.truth).misplacedPercent;
    const otsu = otsuSegment(s.grey);
    const h = stackHistogram(s.grey);
    const getSlice = (z: number) => s.grey.slices[z];
    const { rows: cr, columns: cc, blocks } = await sampleCrops(getSlice, s.grey.shape);
    const cl = classicalEvidence(blocks.flatMap((b) => b.slices), cr, cc, h);
    const row: StackRow = {
      spec: s.spec,
      otsu: mp(otsu.labels),
      kmeans: mp(kmeansSegment(s.grey).labels),
      hybrid: mp(hybridSegment(s.grey).labels),
      truthSolid: compareToTruth(s.truth, s.truth).solidFractionTruth,
      classicalPick: chooseClassical(cl).method,
      contrastRatio: cl.otsu.boundaryContrast / cl.kmeans.boundaryContrast,
      models: {},
      seconds: 0,
    };
    for (const m of models) {
      const ood = await assessOutOfDistribution({
        model: { name: m.card.name, slices: m.card.input.slices, trainedRange: m.card.trainedRange },
        shape: s.grey.shape,
        voxelSizeNm: s.grey.voxelSizeNm,
        getSlice,
        histogram: h,
        segmentBlock: blockSegmenter(m),
      });
      const modelMp = await modelMP(m, s.grey, s.truth);
      row.models[m.card.name] = { mp: modelMp, ood, fails: modelMp > row.otsu };
    }
    row.seconds = (performance.now() - t1) / 1000;
    rows.push(row);
    console.error(
      `${s.spec.label}: Otsu ${row.otsu.toFixed(2)}, k-means ${row.kmeans.toFixed(2)}, hybrid ${row.hybrid.toFixed(2)}; ` +
        names.map((n) => `${n} ${row.models[n].mp.toFixed(2)} (score ${row.models[n].ood.score.toFixed(4)})`).join(', ') +
        ` [${row.seconds.toFixed(0)} s]`,
    );
  }
  await Promise.all(models.map((m) => m.session.release()));
  return rows;
}

function report(rows: StackRow[], shape: StackShape): void {
  const names = Object.keys(rows[0].models);
  // The threshold: fewest misclassified runs (a fail at or below it, a working run above it); ties: the widest gap.
  const runs = rows.flatMap((r) => names.map((n) => ({ stack: r.spec.label, source: r.spec.source, model: n, score: r.models[n].ood.score, fails: r.models[n].fails })));
  const scores = [...new Set(runs.map((r) => r.score))].sort((a, b) => a - b);
  let best = { errors: Infinity, gap: -1, threshold: NaN };
  for (let i = 0; i + 1 < scores.length; i++) {
    const t = (scores[i] + scores[i + 1]) / 2;
    const errors = runs.filter((r) => (r.fails ? r.score <= t : r.score > t)).length;
    const gap = scores[i + 1] - scores[i];
    if (errors < best.errors || (errors === best.errors && gap > best.gap)) best = { errors, gap, threshold: t };
  }
  const threshold = +best.threshold.toPrecision(3);
  const flagged = (r: (typeof runs)[number]) => r.score > threshold;
  const fails = runs.filter((r) => r.fails);
  const works = runs.filter((r) => !r.fails);
  const app = runs.filter((r) => r.source === 'app');
  const indep = runs.filter((r) => r.source === 'indep');
  const maxOf = (xs: number[]) => xs.reduce((a, b) => (b > a ? b : a), -Infinity);
  const minOf = (xs: number[]) => xs.reduce((a, b) => (b < a ? b : a), Infinity);

  // What auto runs with the default model: the model where its score passes, else the classical pick.
  const auto = rows.map((r) => {
    const m = r.models[DEFAULT_SEGMENT_MODEL];
    const useModel = m !== undefined && m.ood.score <= threshold;
    const mp = useModel ? m.mp : r[r.classicalPick];
    const bestMp = Math.min(r.otsu, r.kmeans, r.hybrid, ...names.map((n) => r.models[n].mp));
    return { choice: useModel ? DEFAULT_SEGMENT_MODEL : r.classicalPick, mp, bestMp };
  });
  const classicalRight = rows.filter((r) => r[r.classicalPick] <= Math.min(r.otsu, r.kmeans)).length;

  const f2 = (x: number) => x.toFixed(2);
  const short: Record<string, string> = { 'unet25d-w7-2kv': '2.5D w7', 'unet2d-2kv': '2D', 'unet3d-2kv': '3D' };
  const head = ['stack (family, kV, detector, fill)', 'truth solid', 'Otsu', 'k-means', 'hybrid', ...names.map((n) => `${short[n] ?? n} MP (OOD score)`), 'Otsu / k-means edge ratio', 'auto runs', 'auto MP'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  rows.forEach((r, i) => {
    const cells = names.map((n) => {
      const m = r.models[n];
      const mark = flagged({ score: m.ood.score } as (typeof runs)[number]) ? '**' : '';
      return `${m.fails ? '' : '_'}${f2(m.mp)}${m.fails ? '' : '_'} (${mark}${m.ood.score.toFixed(3)}${mark})`;
    });
    lines.push(`| ${r.spec.label} | ${(100 * r.truthSolid).toFixed(0)} % | ${f2(r.otsu)} | ${f2(r.kmeans)} | ${f2(r.hybrid)} | ${cells.join(' | ')} | ${r.contrastRatio.toFixed(3)} | ${short[auto[i].choice] ?? auto[i].choice} | ${f2(auto[i].mp)} |`);
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const summary = {
    stacks: rows.length,
    shape,
    models: names,
    runs: runs.length,
    failingRuns: fails.length,
    failingRunsFlagged: fails.filter(flagged).length,
    workingRuns: works.length,
    workingRunsPassed: works.filter((r) => !flagged(r)).length,
    misclassified: runs.filter((r) => flagged(r) !== r.fails).map((r) => `${r.model} on ${r.stack}: score ${r.score.toFixed(4)}, ${r.fails ? 'fails' : 'works'}`),
    appStacksScoreMax: +maxOf(app.map((r) => r.score)).toFixed(4),
    independentStacksScoreMin: +minOf(indep.map((r) => r.score)).toFixed(4),
    appRunsFlagged: app.filter(flagged).length,
    independentRunsFlagged: indep.filter(flagged).length,
    classicalPickRight: `${classicalRight} of ${rows.length} stacks (Otsu / k-means edge ratio >= ${OTSU_CONTRAST_RATIO}: Otsu, else k-means)`,
    autoMeanMp: +mean(auto.map((a) => a.mp)).toFixed(2),
    defaultModelMeanMp: +mean(rows.map((r) => r.models[DEFAULT_SEGMENT_MODEL]?.mp ?? NaN)).toFixed(2),
    otsuMeanMp: +mean(rows.map((r) => r.otsu)).toFixed(2),
    kmeansMeanMp: +mean(rows.map((r) => r.kmeans)).toFixed(2),
    bestMethodMeanMp: +mean(auto.map((a) => a.bestMp)).toFixed(2),
  };
  console.log(lines.join('\n'));
  console.log(`\nThreshold ${threshold} (solid-fraction allowance ${SOLID_GAP_ALLOWANCE}); ${JSON.stringify(summary, null, 2)}`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ threshold, summary, rows }, null, 1));
  if (values.write) {
    const file = join(modelsDir(), OOD_CALIBRATION_FILE);
    const date = new Date().toISOString().slice(0, 10);
    writeFileSync(file, `${JSON.stringify({ threshold, solidGapAllowance: SOLID_GAP_ALLOWANCE, date, command: COMMAND, summary }, null, 2)}\n`);
    console.log(`Wrote ${file}`);
  }
}

if (values['trained-range']) {
  await trainedRange(Number(values.kv));
} else if (values.from) {
  const saved = JSON.parse(readFileSync(values.from, 'utf8')) as { summary: { shape: StackShape }; rows: StackRow[] };
  report(saved.rows, saved.summary.shape);
} else {
  const shape: StackShape = [Number(values.slices), Number(values.rows), Number(values.columns)];
  const t0 = performance.now();
  const rows = await collectRows(shape);
  report(rows, shape);
  console.log(`${rows.length} stacks in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
