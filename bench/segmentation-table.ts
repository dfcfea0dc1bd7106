// Segmentation on held-out synthetic stacks ([Sardhara2022] Tables 6-8,
// [Sardhara2024] Table 3): the papers' HNPG preset (`fibrecon synth`: 2.5 nm pixels, 1/2/4
// kV TLD, epoxy, gamma slice thicknesses around 10 nm), structure seeds never used in
// training (training/README.md: train 1-8, validation 9; here 100+). Every classical
// method and every model in models/ (or --models DIR) segments each kV; printed per
// method and kV: MP, MGP, MDS, solid-fraction error (percentage points) against the
// truth, and, for models, voxels per second and the execution provider.
// Isotropy errors (e_TPCF, e_LPF, e_D) need isotropic voxels, so --iso also generates
// stacks milled every 2.5 nm (sd 0.01 nm) and reports each method's isotropy errors
// beside the truth's: note that 2.5D models then see neighbours 4x closer than in
// training.
// Usage: node --import tsx bench/segmentation-table.ts [--n 3] [--seed 100] [--columns 256] [--rows 192] [--slices 40] [--iso] [--models DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Volume } from '../src-shared/volume';
import { readTiffVolume } from '../src-main/import/read-tiff-volume';
import { loadModel } from '../src-main/inference/load-model';
import { segmentStack } from '../src-main/inference/segment-stack';
import { anisotropyMetrics, compareToTruth, meanAndSd } from '../src-main/metrics';
import { hybridSegment, kmeansSegment, multiOtsuSegment, otsuSegment } from '../src-main/segment/classical';
import { listModelNames, modelsDir } from '../src-main/segment/model-files';
import { hnpgPreset, writeSyntheticSample } from '../src-main/synth/write-synthetic-sample';
import { crop } from './ood-stacks';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '3' },
    seed: { type: 'string', default: '100' },
    columns: { type: 'string', default: '256' },
    rows: { type: 'string', default: '192' },
    slices: { type: 'string', default: '40' },
    iso: { type: 'boolean' },
    models: { type: 'string' },
  },
});
const N = Number(values.n);
const SEED = Number(values.seed);
const KV = [1, 2, 4];
const dir = mkdtempSync(join(tmpdir(), 'fibrecon-seg-bench-'));
const mDir = values.models ?? modelsDir();
// segmentation models only (models/ also holds the inpainting model of `reconstruct --method ml`)
const loaded = await Promise.all(listModelNames(mDir).map((name) => loadModel(join(mDir, `${name}.onnx`), { ep: 'auto' })));
const models = loaded.filter((m) => m.card.kind.startsWith('segmentation'));
await Promise.all(loaded.filter((m) => !models.includes(m)).map((m) => m.session.release()));
const CLASSICAL = { otsu: otsuSegment, 'multi-otsu': multiOtsuSegment, kmeans: kmeansSegment, hybrid: hybridSegment } as const;

type Row = { mp: number; mgp: number; mds: number; sfErr: number; eTpcf?: number; eLpf?: number; eD?: number; vps?: number };
const table = new Map<string, Row[]>();
const push = (key: string, r: Row) => table.set(key, [...(table.get(key) ?? []), r]);
const eps = new Set<string>();

function solidFraction(v: Volume): number {
  let s = 0;
  for (const p of v.slices) for (let i = 0; i < p.length; i++) s += p[i];
  return s / (v.shape[0] * v.shape[1] * v.shape[2]);
}

/** One stack, or for a multi-stack model (late fusion) one stack per card channel, in card order. */
async function runModel(model: (typeof models)[number], greys: Volume[]): Promise<{ labels: Volume; seconds: number }> {
  const grey = greys[0];
  const out: Uint8Array[] = new Array(grey.shape[0]);
  const t0 = performance.now();
  const get = greys.length === 1 ? (z: number) => grey.slices[z] : (z: number) => greys.map((g) => g.slices[z]);
  await segmentStack(model, grey.shape, get, (z, labels) => void (out[z] = labels.slice()), { probabilities: false });
  return { labels: { ...grey, dtype: 'uint8', slices: out }, seconds: (performance.now() - t0) / 1000 };
}

async function evaluate(iso: boolean): Promise<void> {
  for (let i = 0; i < N; i++) {
    const params = hnpgPreset({ columns: Number(values.columns), rows: Number(values.rows), slices: Number(values.slices), seed: SEED + i });
    if (iso) params.milling = { targetNm: 2.5, meanNm: 2.5, sdNm: 0.01 };
    const sample = await writeSyntheticSample(join(dir, `${iso ? 'iso' : 'std'}-${i}`), params);
    const truth = await readTiffVolume([sample.files.truth]);
    const voxel = { x: 2.5, y: 2.5, z: 2.5 };
    const truthIso = iso ? anisotropyMetrics({ ...truth, voxelSizeNm: voxel }) : undefined;
    if (truthIso) push('truth|-', { mp: 0, mgp: 0, mds: 1, sfErr: 0, eTpcf: truthIso.eTpcf, eLpf: truthIso.eLpf, eD: truthIso.eD });
    const sfTruth = solidFraction(truth);
    const greyAt = async (kv: number) => {
      const stack = sample.files.stacks.find((s) => s.beam.energyKeV === kv);
      if (!stack) throw new Error(`no ${kv} kV stack in the sample`);
      return crop(await readTiffVolume([stack.path]), sample.roi);
    };
    const score = (name: string, kv: string, labels: Volume, vps?: number) => {
      const c = compareToTruth(labels, truth);
      const row: Row = { mp: c.misplacedPercent, mgp: c.misplacedSolidPercent ?? 0, mds: c.meanDice, sfErr: 100 * Math.abs(solidFraction(labels) - sfTruth), vps };
      if (iso) Object.assign(row, (({ eTpcf, eLpf, eD }) => ({ eTpcf, eLpf, eD }))(anisotropyMetrics({ ...labels, voxelSizeNm: voxel })));
      push(`${name}|${kv}`, row);
    };
    for (const m of models.filter((x) => (x.card.input.channels?.length ?? 1) > 1)) {
      const kvs = (m.card.input.channels ?? []).map((c) => c.beamKeV ?? 0);
      const greys = await Promise.all(kvs.map(greyAt));
      const r = await runModel(m, greys);
      eps.add(`${m.ep} (${m.reason})`);
      score(m.card.name, kvs.join('+'), r.labels, (greys[0].shape[0] * greys[0].shape[1] * greys[0].shape[2]) / r.seconds);
    }
    for (const kv of KV) {
      const grey = await greyAt(kv);
      const results: [string, Volume, number?][] = Object.entries(CLASSICAL).map(([name, f]) => [name, f(grey).labels]);
      for (const m of models.filter((x) => (x.card.input.channels?.length ?? 1) === 1)) {
        const r = await runModel(m, [grey]);
        eps.add(`${m.ep} (${m.reason})`);
        results.push([m.card.name, r.labels, (grey.shape[0] * grey.shape[1] * grey.shape[2]) / r.seconds]);
      }
      for (const [name, labels, vps] of results) score(name, String(kv), labels, vps);
    }
  }
}

const f = (xs: number[], d: number) => {
  const m = meanAndSd(xs);
  return `${m.mean.toFixed(d)} +- ${m.sd.toFixed(d)}`.padEnd(15);
};
function print(title: string, iso: boolean): void {
  console.log(`\n${title}`);
  const head = iso ? 'method | kV | MP %            | e_TPCF          | e_LPF           | e_D' : 'method | kV | MP %            | MGP %           | MDS             | solid frac err pp | Mvoxel/s';
  console.log(head);
  for (const [key, rows] of table) {
    const [name, kv] = key.split('|');
    const cells = iso
      ? [f(rows.map((r) => r.mp), 2), f(rows.map((r) => r.eTpcf ?? 0), 3), f(rows.map((r) => r.eLpf ?? 0), 3), f(rows.map((r) => r.eD ?? 0), 3)]
      : [f(rows.map((r) => r.mp), 2), f(rows.map((r) => r.mgp), 2), f(rows.map((r) => r.mds), 3), f(rows.map((r) => r.sfErr), 2), rows[0].vps ? (meanAndSd(rows.map((r) => r.vps ?? 0)).mean / 1e6).toFixed(3) : '-'];
    console.log([name.padEnd(16), kv.padEnd(5), ...cells].join(' | '));
  }
}

const t0 = performance.now();
try {
  await evaluate(false);
  print(`${N} held-out stacks (HNPG preset, ${values.columns} x ${values.rows} px x ${values.slices} slices, structure seeds ${SEED}..${SEED + N - 1}), mean +- sd over stacks:`, false);
  if (values.iso) {
    table.clear();
    await evaluate(true);
    print(`Isotropy errors on ${N} stacks milled every 2.5 nm (same seeds; the truth's own errors are the floor):`, true);
  }
  console.log(`\nModels from ${mDir} (${models.map((m) => m.card.name).join(', ') || 'none'}) ran on: ${[...eps].join('; ') || '-'}. ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
} finally {
  await Promise.all(models.map((m) => m.session.release()));
  rmSync(dir, { recursive: true, force: true });
}
