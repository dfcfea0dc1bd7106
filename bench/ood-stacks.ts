// The held-out stacks of the out-of-distribution calibration (bench/ood-calibration.ts):
// the independent simulator's five families (training/indep_sim, Python) at 1, 2 and
// 4 kV with other detectors and fills, and the app's own HNPG preset (src-main/synth)
// on structure seeds never used in training, where the shipped models work.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Volume } from '../src-shared/volume';
import { readTiffVolume } from '../src-main/import/read-tiff-volume';
import { hnpgPreset, writeSyntheticSample } from '../src-main/synth/write-synthetic-sample';
import { otsuThresholdFromHistogram, stackHistogram } from '../src-main/segment/classical';
import { sampleCrops } from '../src-main/segment/ood/flip-consistency';
import { chordLengths } from '../src-main/segment/ood/structure-size';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PYTHON = process.env.FIBRECON_PYTHON ?? '/usr/bin/python3';

export interface HeldOutSpec {
  /** Row label of the table, e.g. "spinodal 2 kV TLD epoxy". */
  label: string;
  /** Which simulator made it: "indep" (training/indep_sim) or "app" (src-main/synth, HNPG preset). */
  source: 'indep' | 'app';
  family: string;
  kv: number;
  detector: string;
  fill: string;
  seed: number;
  pixelNm?: number;
  featurePx?: number;
  randomize?: boolean;
}

export interface HeldOutStack {
  spec: HeldOutSpec;
  grey: Volume;
  truth: Volume;
}

/** (nz, ny, nx) of every stack. */
export type StackShape = [number, number, number];

/** A raw little-endian stack (as the independent simulator writes it) as a Volume. */
export function rawVolume(bytes: Buffer, shape: StackShape, dtype: 'uint8' | 'uint16', voxel: { x: number; y: number; z: number }): Volume {
  const [nz, ny, nx] = shape;
  const n = ny * nx;
  const bpp = dtype === 'uint16' ? 2 : 1;
  const slices = Array.from({ length: nz }, (_, z) => {
    const b = bytes.subarray(z * n * bpp, (z + 1) * n * bpp);
    if (bpp === 1) return Uint8Array.from(b);
    const s = new Uint16Array(n);
    for (let i = 0; i < n; i++) s[i] = b.readUInt16LE(2 * i);
    return s;
  });
  return { shape, dtype, voxelSizeNm: voxel, zPositionsNm: Array.from({ length: nz }, (_, z) => z * voxel.z), slices };
}

function indepStack(spec: HeldOutSpec, shape: StackShape): HeldOutStack {
  const dir = mkdtempSync(join(tmpdir(), 'fibrecon-ood-indep-'));
  try {
    const args = ['-m', 'training.indep_sim', dir, '--family', spec.family, '--seed', String(spec.seed), '--shape', shape.join(','), '--kv', String(spec.kv), '--raw'];
    if (spec.randomize) args.push('--randomize');
    else args.push('--detector', spec.detector, '--fill', spec.fill);
    if (spec.pixelNm !== undefined) args.push('--pixel-nm', String(spec.pixelNm));
    if (spec.featurePx !== undefined) args.push('--feature-px', String(spec.featurePx));
    execFileSync(PYTHON, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    if (spec.randomize) {
      // Say what the draw gave.
      spec.detector = String(m.params.detector);
      spec.fill = String(m.params.fill);
      spec.pixelNm = Number(m.voxel_size_nm.x);
      spec.featurePx = Number(m.params.feature_px);
      spec.label = `${spec.family} ${spec.kv} kV ${spec.detector.toUpperCase()} ${spec.fill}, randomised (${spec.pixelNm.toFixed(1)} nm, ${spec.featurePx.toFixed(0)} px)`;
    }
    const voxel = m.voxel_size_nm;
    return {
      spec,
      grey: rawVolume(readFileSync(join(dir, m.files.grey_raw)), shape, m.dtype, voxel),
      truth: rawVolume(readFileSync(join(dir, m.files.truth_raw)), shape, 'uint8', voxel),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The region of interest of every slice (the synthetic samples' ROI: no ruler band). */
export function crop(v: Volume, roi: { x: number; y: number; width: number; height: number }): Volume {
  const slices = v.slices.map((s) => {
    const out = new (s.constructor as Uint8ArrayConstructor)(roi.width * roi.height);
    for (let y = 0; y < roi.height; y++) out.set((s as Uint8Array).subarray((roi.y + y) * v.shape[2] + roi.x, (roi.y + y) * v.shape[2] + roi.x + roi.width), y * roi.width);
    return out;
  });
  return { ...v, shape: [v.shape[0], roi.height, roi.width], slices };
}

/** The app's HNPG preset at 1, 2 and 4 kV (one structure seen at all three), cropped to its region of interest. */
async function appStacks(seed: number, shape: StackShape): Promise<HeldOutStack[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fibrecon-ood-app-'));
  try {
    const sample = await writeSyntheticSample(dir, hnpgPreset({ slices: shape[0], rows: shape[1], columns: shape[2], seed }));
    const truth = await readTiffVolume([sample.files.truth]);
    const out: HeldOutStack[] = [];
    for (const s of sample.files.stacks) {
      const kv = s.beam.energyKeV;
      const spec: HeldOutSpec = { label: `HNPG ${kv} kV TLD epoxy (app, seed ${seed})`, source: 'app', family: 'hnpg', kv, detector: 'tld', fill: 'epoxy', seed, pixelNm: 2.5 };
      out.push({ spec, grey: crop(await readTiffVolume([s.path]), sample.roi), truth });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const FAMILIES = ['spinodal', 'waves', 'grains', 'pores', 'fibres'] as const;

/** Every independent-simulator stack of the calibration (before randomised ones are drawn). */
export function indepSpecs(): HeldOutSpec[] {
  const specs: HeldOutSpec[] = [];
  const add = (family: string, kv: number, detector: string, fill: string, seed: number, extra: Partial<HeldOutSpec> = {}) => {
    const size = extra.pixelNm !== undefined ? `, ${extra.pixelNm} nm, ${extra.featurePx} px` : '';
    specs.push({ label: `${family} ${kv} kV ${detector.toUpperCase()} ${fill}${size}`, source: 'indep', family, kv, detector, fill, seed, ...extra });
  };
  FAMILIES.forEach((f, i) => [1, 2, 4].forEach((kv) => add(f, kv, 'tld', 'epoxy', 200 + i)));
  add('spinodal', 2, 'icd', 'epoxy', 200);
  add('grains', 2, 'inlens', 'epoxy', 202);
  add('waves', 2, 'tld', 'vacuum', 201);
  add('pores', 4, 'tld', 'vacuum', 203);
  add('fibres', 4, 'icd', 'epoxy', 204);
  // Closer to the trained scale: 2.5 nm pixels and larger features.
  add('waves', 2, 'tld', 'epoxy', 211, { pixelNm: 2.5, featurePx: 24 });
  add('spinodal', 2, 'tld', 'epoxy', 210, { pixelNm: 2.5, featurePx: 24 });
  FAMILIES.forEach((f, i) => specs.push({ label: '', source: 'indep', family: f, kv: [1, 2, 4][i % 3], detector: '', fill: '', seed: 300 + i, randomize: true }));
  return specs;
}

export async function* heldOutStacks(shape: StackShape, appSeeds: number[]): AsyncGenerator<HeldOutStack> {
  for (const spec of indepSpecs()) yield indepStack(spec, shape);
  for (const seed of appSeeds) yield* await appStacks(seed, shape);
}

/** The mean chord of a grey stack's Otsu labels, measured on the crops the out-of-distribution check samples (as a card's trainedRange is). */
export async function otsuChordOfStack(grey: Volume): Promise<ReturnType<typeof chordLengths>> {
  const h = stackHistogram(grey);
  const { threshold } = otsuThresholdFromHistogram(h.counts, h.centers);
  const { rows, columns, blocks } = await sampleCrops((z) => grey.slices[z], grey.shape);
  const labels = blocks.flatMap((b) => b.slices.map((s) => Uint8Array.from(s, (v) => (v > threshold ? 1 : 0))));
  return chordLengths(labels, [labels.length, rows, columns], grey.voxelSizeNm);
}
