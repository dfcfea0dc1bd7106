// Stacks from the independent simulator (training/indep_sim, Python): a grey
// volume the app's own simulator did not make, its ground truth and manifest.
// Runs `python3 -m training.indep_sim DIR ... --raw` from the repository root and
// reads the raw dumps back, so nothing here depends on the app's TIFF reader.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Volume } from '../../src-shared/volume';
import { PYTHON, tempDir } from './python';

// import.meta.url works under vitest and under plain Node (bench scripts run with tsx as ES modules).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type IndepFamily = 'spinodal' | 'waves' | 'grains' | 'pores' | 'fibres' | 'random';

export interface IndepStackOptions {
  family: IndepFamily;
  seed: number;
  /** (nz, ny, nx); default [16, 64, 64]. */
  shape?: readonly [number, number, number];
  /** Beam energy in kV (default 2). */
  kv?: number;
  detector?: 'tld' | 'icd' | 'inlens';
  fill?: 'epoxy' | 'vacuum';
  solidFraction?: number;
  /** Characteristic feature size in pixels (see docs/independent-simulator.md). */
  featurePx?: number;
  dtype?: 'uint8' | 'uint16';
  pixelNm?: number;
  sliceNm?: number;
  /** Draw every parameter not given from the documented ranges (domain randomisation). */
  randomize?: boolean;
  /** Any other simulator parameter by its Python name, e.g. { curtain_amp: 0, dose: 1000 }. */
  set?: Record<string, number | string>;
  /** Write into this folder (kept) instead of a fresh temporary one (removed by cleanup). */
  dir?: string;
}

/** manifest.json as written by the simulator (the fields tests use most are typed). */
export interface IndepManifest {
  family: string;
  seed: number;
  shape: [number, number, number];
  dtype: 'uint8' | 'uint16';
  voxel_size_nm: { x: number; y: number; z: number };
  z_positions_nm: number[];
  params: Record<string, number | string | boolean>;
  solid_fraction_requested: number;
  solid_fraction_true: number;
  sanity: { otsu_threshold: number; otsu_mp_percent: number; otsu_solid_fraction: number };
  files: Record<string, string>;
  [key: string]: unknown;
}

export interface IndepStack {
  grey: Volume;
  /** Ground truth per slice (1 = solid, 0 = pore), each ny * nx. */
  truth: Uint8Array[];
  manifest: IndepManifest;
  /** Folder with grey.tif, truth.tif (ImageJ TIFFs), grey.raw, truth.raw, manifest.json. */
  dir: string;
  /** Removes the folder (no-op when opts.dir was given). */
  cleanup: () => void;
}

/** The command-line arguments for the simulator (without the output folder). */
export function indepSimArgs(opts: IndepStackOptions): string[] {
  const shape = opts.shape ?? [16, 64, 64];
  const args = ['--family', opts.family, '--seed', String(opts.seed), '--shape', shape.join(','), '--raw'];
  const named: [string, number | string | undefined][] = [
    ['--kv', opts.kv],
    ['--detector', opts.detector],
    ['--fill', opts.fill],
    ['--solid-fraction', opts.solidFraction],
    ['--feature-px', opts.featurePx],
    ['--dtype', opts.dtype],
    ['--pixel-nm', opts.pixelNm],
    ['--slice-nm', opts.sliceNm],
  ];
  for (const [flag, value] of named) if (value !== undefined) args.push(flag, String(value));
  if (opts.randomize) args.push('--randomize');
  for (const [name, value] of Object.entries(opts.set ?? {})) args.push('--set', `${name}=${value}`);
  return args;
}

/** Makes a stack with the independent simulator and reads it back. Synchronous; throws with the simulator's message on failure. */
export function makeIndepStack(opts: IndepStackOptions): IndepStack {
  const own = opts.dir === undefined ? tempDir('fibrecon-indep-') : undefined;
  const dir = opts.dir ?? own!.dir;
  try {
    execFileSync(PYTHON, ['-m', 'training.indep_sim', dir, ...indepSimArgs(opts)], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 26,
    });
  } catch (e) {
    own?.cleanup();
    const err = e as { stderr?: string; message: string };
    throw new Error(`independent simulator failed: ${err.stderr || err.message}`);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as IndepManifest;
  const [nz, ny, nx] = manifest.shape;
  const n = ny * nx;
  const greyBytes = readFileSync(join(dir, manifest.files.grey_raw));
  const truthBytes = readFileSync(join(dir, manifest.files.truth_raw));
  const bytesPer = manifest.dtype === 'uint16' ? 2 : 1;
  if (greyBytes.length !== nz * n * bytesPer || truthBytes.length !== nz * n) {
    throw new Error(`independent simulator wrote ${greyBytes.length} + ${truthBytes.length} bytes for shape ${manifest.shape}`);
  }
  const slices: (Uint8Array | Uint16Array)[] = [];
  const truth: Uint8Array[] = [];
  for (let z = 0; z < nz; z++) {
    const g = greyBytes.subarray(z * n * bytesPer, (z + 1) * n * bytesPer);
    if (bytesPer === 2) {
      const s = new Uint16Array(n);
      for (let i = 0; i < n; i++) s[i] = g.readUInt16LE(2 * i);
      slices.push(s);
    } else {
      slices.push(Uint8Array.from(g));
    }
    truth.push(Uint8Array.from(truthBytes.subarray(z * n, (z + 1) * n)));
  }
  const grey: Volume = {
    shape: [nz, ny, nx],
    dtype: manifest.dtype,
    voxelSizeNm: { ...manifest.voxel_size_nm },
    zPositionsNm: manifest.z_positions_nm,
    slices,
  };
  return { grey, truth, manifest, dir, cleanup: own?.cleanup ?? (() => {}) };
}
