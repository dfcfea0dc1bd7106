// Held-out table of the domain-randomised model (training/domain_random.py, models/unet25d-w7-2kv-dr)
// through the app's engine: fresh stacks of every structure family of both generators, drawn
// like the training data but from seeds the data set never uses (50000+; the data set uses
// 10000-39999): the independent simulator (training/indep_sim --randomize, 2 kV) and the app's
// simulator with the training data's randomised parameters (domain_random.draw_app_params),
// plus the app's fixed HNPG preset (the default model's own setting) on seeds 100+.
// Per stack: MP (misclassified %) of the new model, the default model, Otsu, k-means (the app's)
// and method auto as it decides without annotations (the default model where its out-of-
// distribution score passes the calibrated threshold, else Otsu or k-means by edge contrast).
// Printed: the mean MP per generator and family, held-out families marked (from the new model's
// training record), then means over held-out and over trained families.
// Usage: node --import tsx bench/domain-random-table.ts [--n 4] [--slices 32] [--rows 128] [--columns 128]
//          [--seed 50000] [--preset-seeds 100,101] [--model unet25d-w7-2kv-dr] [--models-dir models] [--json FILE]
//        node --import tsx bench/domain-random-table.ts --trained-range [--data training/data/dr]
//          (the Otsu mean chord of the data set's training stacks, measured as the app's OOD check
//          measures a stack: the card's trainedRange.otsuChordPx / otsuChordNm)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Volume } from '../src-shared/volume';
import { DEFAULT_SEGMENT_MODEL } from '../src-shared/pipeline-methods';
import { readTiffVolume } from '../src-main/import/read-tiff-volume';
import { loadModel, type LoadedModel } from '../src-main/inference/load-model';
import { segmentStack } from '../src-main/inference/segment-stack';
import { compareToTruth } from '../src-main/metrics';
import { chooseClassical } from '../src-main/segment/auto-method';
import { kmeansSegment, otsuSegment, stackHistogram } from '../src-main/segment/classical';
import { classicalEvidence } from '../src-main/segment/classical-evidence';
import { blockSegmenter } from '../src-main/segment/model-block-runner';
import { modelsDir } from '../src-main/segment/model-files';
import { loadOodCalibration } from '../src-main/segment/ood-calibration-file';
import { assessOutOfDistribution } from '../src-main/segment/ood/assess';
import { sampleCrops } from '../src-main/segment/ood/flip-consistency';
import { hnpgPreset, writeSyntheticSample, type SyntheticSampleParams } from '../src-main/synth/write-synthetic-sample';
import { otsuChordOfStack, rawVolume } from './ood-stacks';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PYTHON = process.env.FIBRECON_PYTHON ?? '/usr/bin/python3';
const KV = 2;

const IS_MAIN = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
// options only when run as a script (a test imports makeStack / modelMP)
const { values } = parseArgs({
  args: IS_MAIN ? process.argv.slice(2) : [],
  options: {
    n: { type: 'string', default: '4' },
    slices: { type: 'string', default: '32' },
    rows: { type: 'string', default: '128' },
    columns: { type: 'string', default: '128' },
    seed: { type: 'string', default: '50000' },
    'preset-seeds': { type: 'string', default: '100,101' },
    model: { type: 'string', default: 'unet25d-w7-2kv-dr' },
    'models-dir': { type: 'string' },
    json: { type: 'string' },
    'trained-range': { type: 'boolean' },
    data: { type: 'string', default: 'training/data/dr' },
  },
});

const INDEP = ['spinodal', 'waves', 'grains', 'pores', 'fibres'];
const APP = ['hnpg', 'npg'];

export interface StackSpec {
  generator: 'indep' | 'app' | 'preset';
  family: string;
  seed: number;
}
interface StackResult extends StackSpec {
  label: string;
  mp: Record<string, number>;
  auto: string;
}

/** The app generator's parameters of the training data's randomisation (one Python call for all seeds). */
export function drawAppParams(specs: StackSpec[], shape: [number, number, number]): SyntheticSampleParams[] {
  if (!specs.length) return [];
  const code = [
    'import sys, json',
    "sys.path.insert(0, 'training')",
    'import domain_random as d',
    'specs = json.loads(sys.argv[1])',
    `print(json.dumps([d.draw_app_params(f, s, ${JSON.stringify(shape)}, ${KV}) for f, s in specs]))`,
  ].join('\n');
  const out = execFileSync(PYTHON, ['-c', code, JSON.stringify(specs.map((s) => [s.family, s.seed]))], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as SyntheticSampleParams[];
}

export async function makeStack(spec: StackSpec, shape: [number, number, number], appParams?: SyntheticSampleParams): Promise<{ grey: Volume; truth: Volume; label: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fibrecon-dr-bench-'));
  try {
    if (spec.generator === 'indep') {
      execFileSync(PYTHON, ['-m', 'training.indep_sim', dir, '--family', spec.family, '--seed', String(spec.seed), '--shape', shape.join(','), '--kv', String(KV), '--randomize', '--raw'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      const label = `${m.params.detector.toUpperCase()} ${m.params.fill}, ${Number(m.voxel_size_nm.x).toFixed(1)} nm, ${Number(m.params.feature_px).toFixed(0)} px, solid ${(100 * m.solid_fraction_true).toFixed(0)} %`;
      return {
        label,
        grey: rawVolume(readFileSync(join(dir, m.files.grey_raw)), shape, m.dtype, m.voxel_size_nm),
        truth: rawVolume(readFileSync(join(dir, m.files.truth_raw)), shape, 'uint8', m.voxel_size_nm),
      };
    }
    const params = spec.generator === 'preset' ? { ...hnpgPreset({ slices: shape[0], rows: shape[1], columns: shape[2], seed: spec.seed }), rulerRows: 0 } : appParams!;
    if (spec.generator === 'preset') params.beams = [{ energyKeV: KV, detector: 'TLD' }];
    const sample = await writeSyntheticSample(dir, params);
    const grey = await readTiffVolume([sample.files.stacks[0].path]);
    const truth = await readTiffVolume([sample.files.truth]);
    const b = params.beams[0];
    const label = `${b.detector} ${params.fill}, ${params.voxelNm.toFixed(1)} nm, wave ${params.coarse.wavelengthNm.toFixed(0)} nm${params.fine ? ` + ${params.fine.wavelengthNm.toFixed(0)} nm` : ''}, solid ${(100 * params.solidFraction).toFixed(0)} %`;
    return { label, grey, truth };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function modelMP(model: LoadedModel, grey: Volume, truth: Volume): Promise<number> {
  const out: Uint8Array[] = new Array(grey.shape[0]);
  await segmentStack(model, grey.shape, (z) => grey.slices[z], (z, labels) => void (out[z] = labels.slice()), { probabilities: false });
  return compareToTruth({ ...truth, slices: out }, truth).misplacedPercent;
}

/** Held-out families of the new model, from its training record (generator:family). */
function heldOutFamilies(dir: string, name: string): Set<string> {
  const rec = join(dir, `${name}.training.json`);
  if (!existsSync(rec)) return new Set(['indep:grains', 'app:npg']);
  return new Set((JSON.parse(readFileSync(rec, 'utf8')).trainedOn.heldOutFamilies as string[]) ?? []);
}

async function main(): Promise<void> {
  const shape: [number, number, number] = [Number(values.slices), Number(values.rows), Number(values.columns)];
  const n = Number(values.n);
  const seed0 = Number(values.seed);
  const newDir = values['models-dir'] ?? modelsDir();
  const newName = String(values.model);
  const held = heldOutFamilies(newDir, newName);
  const models = {
    new: await loadModel(join(newDir, `${newName}.onnx`), { ep: 'cpu' }),
    default: await loadModel(join(modelsDir(), `${DEFAULT_SEGMENT_MODEL}.onnx`), { ep: 'cpu' }),
  };
  const threshold = loadOodCalibration()?.threshold ?? Infinity;
  const specs: StackSpec[] = [
    ...INDEP.flatMap((family, fi) => Array.from({ length: n }, (_, i): StackSpec => ({ generator: 'indep', family, seed: seed0 + 100 * fi + i }))),
    ...APP.flatMap((family, fi) => Array.from({ length: n }, (_, i): StackSpec => ({ generator: 'app', family, seed: seed0 + 1000 + 100 * fi + i }))),
    ...String(values['preset-seeds'])
      .split(',')
      .filter(Boolean)
      .map((s): StackSpec => ({ generator: 'preset', family: 'hnpg preset', seed: Number(s) })),
  ];
  const appSpecs = specs.filter((s) => s.generator === 'app');
  const appParams = new Map(drawAppParams(appSpecs, shape).map((p, i) => [appSpecs[i], p]));
  console.error(`new model ${newName} (${newDir}), default ${DEFAULT_SEGMENT_MODEL}; ${specs.length} stacks of ${shape.join(' x ')} at ${KV} kV; held out: ${[...held].join(', ')}`);
  const results: StackResult[] = [];
  const t0 = performance.now();
  for (const spec of specs) {
    const t1 = performance.now();
    const { grey, truth, label } = await makeStack(spec, shape, appParams.get(spec));
    const mp = (labels: Volume) => compareToTruth(labels, truth).misplacedPercent;
    const otsu = mp(otsuSegment(grey).labels);
    const kmeans = mp(kmeansSegment(grey).labels);
    const mNew = await modelMP(models.new, grey, truth);
    const mDefault = await modelMP(models.default, grey, truth);
    // method auto without annotations: the default model where its OOD score passes, else the classical pick
    const h = stackHistogram(grey);
    const getSlice = (z: number) => grey.slices[z];
    const { rows: cr, columns: cc, blocks } = await sampleCrops(getSlice, grey.shape);
    const pick = chooseClassical(classicalEvidence(blocks.flatMap((b) => b.slices), cr, cc, h)).method;
    const d = models.default;
    const ood = await assessOutOfDistribution({
      model: { name: d.card.name, slices: d.card.input.slices, trainedRange: d.card.trainedRange },
      shape: grey.shape,
      voxelSizeNm: grey.voxelSizeNm,
      getSlice,
      histogram: h,
      segmentBlock: blockSegmenter(d),
    });
    const auto = ood.score <= threshold ? 'default' : pick;
    const r: StackResult = { ...spec, label, mp: { new: mNew, default: mDefault, otsu, kmeans }, auto };
    r.mp.auto = auto === 'default' ? mDefault : auto === 'otsu' ? otsu : kmeans;
    results.push(r);
    console.error(
      `${spec.generator} ${spec.family} seed ${spec.seed} (${label}): new ${mNew.toFixed(2)}, default ${mDefault.toFixed(2)}, Otsu ${otsu.toFixed(2)}, k-means ${kmeans.toFixed(2)}, auto ${auto} ${r.mp.auto.toFixed(2)} [${((performance.now() - t1) / 1000).toFixed(0)} s]`,
    );
  }
  await Promise.all(Object.values(models).map((m) => m.session.release()));
  report(results, held, newName, shape, n);
  console.log(`\n${results.length} stacks in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ shape, n, held: [...held], results }, null, 1));
}

/** A uint8 (z, y, x) .npy file (version 1 header) as a Volume. */
function readNpyU8(path: string, voxelNm: number): Volume {
  const b = readFileSync(path);
  const headerLen = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + headerLen).toString('latin1');
  if (!header.includes("'|u1'")) throw new Error(`${path}: not uint8`);
  const shape = (header.match(/'shape': \(([^)]*)\)/)![1].split(',').filter((x) => x.trim()).map(Number)) as [number, number, number];
  return rawVolume(b.subarray(10 + headerLen), shape, 'uint8', { x: voxelNm, y: voxelNm, z: voxelNm });
}

/** Otsu mean chord (px, nm) range of the data set's training stacks, as bench:ood --trained-range measures it. */
async function trainedRange(dataDir: string): Promise<void> {
  const index = JSON.parse(readFileSync(join(dataDir, 'index.json'), 'utf8')) as { stacks: { id: string; split: string; heldOut: boolean; pixelNm: number }[] };
  const px: number[] = [];
  const nm: number[] = [];
  for (const e of index.stacks.filter((s) => s.split === 'train' && !s.heldOut)) {
    const grey = readNpyU8(join(dataDir, e.id, 'grey.npy'), e.pixelNm);
    const ch = await otsuChordOfStack(grey);
    px.push(ch.meanPx);
    nm.push(ch.meanNm);
  }
  const r = (xs: number[]) => [Math.min(...xs), Math.max(...xs)].map((x) => +x.toFixed(1));
  console.log(JSON.stringify({ stacks: px.length, otsuChordPx: r(px), otsuChordNm: r(nm) }));
}

const METHODS = ['new', 'default', 'otsu', 'kmeans', 'auto'] as const;

function report(results: StackResult[], held: Set<string>, newName: string, shape: number[], n: number): void {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const groups = new Map<string, StackResult[]>();
  for (const r of results) groups.set(`${r.generator}:${r.family}`, [...(groups.get(`${r.generator}:${r.family}`) ?? []), r]);
  const f2 = (x: number) => x.toFixed(2);
  const head = ['generator', 'family', 'held out', 'stacks', `${newName}`, `${DEFAULT_SEGMENT_MODEL} (default)`, 'Otsu', 'k-means', 'auto (runs)'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`];
  const row = (name: string, fam: string, h: string, rs: StackResult[]) => {
    const m = Object.fromEntries(METHODS.map((k) => [k, mean(rs.map((r) => r.mp[k]))]));
    const best = Math.min(m.new, m.default, m.otsu, m.kmeans);
    const cell = (k: string) => (m[k] === best ? `**${f2(m[k])}**` : f2(m[k]));
    const runs = ['default', 'otsu', 'kmeans'].map((c) => [c, rs.filter((r) => r.auto === c).length] as const).filter(([, k]) => k > 0);
    lines.push(`| ${name} | ${fam} | ${h} | ${rs.length} | ${cell('new')} | ${cell('default')} | ${cell('otsu')} | ${cell('kmeans')} | ${f2(m.auto)} (${runs.map(([c, k]) => `${c} ${k}`).join(', ')}) |`);
  };
  for (const [key, rs] of groups) {
    const [gen, fam] = key.split(':');
    const isHeld = held.has(key);
    const genName = gen === 'indep' ? 'independent' : gen === 'app' ? 'app (randomised)' : 'app (fixed preset)';
    row(genName, fam, gen === 'preset' ? 'no (default model\'s own)' : isHeld ? '**yes**' : 'no', rs);
  }
  const heldRs = results.filter((r) => held.has(`${r.generator}:${r.family}`));
  const trainedRs = results.filter((r) => r.generator !== 'preset' && !held.has(`${r.generator}:${r.family}`));
  if (heldRs.length) row('mean', 'held-out families', 'yes', heldRs);
  if (trainedRs.length) row('mean', 'trained families', 'no', trainedRs);
  console.log(`\nMP % (misclassified voxels) at ${KV} kV, ${shape.join(' x ')} stacks, mean of ${n} randomised stacks per family (fixed preset: ${results.filter((r) => r.generator === 'preset').length}); best per row in bold\n`);
  console.log(lines.join('\n'));
}

if (IS_MAIN) {
  if (values['trained-range']) await trainedRange(String(values.data));
  else await main();
}
