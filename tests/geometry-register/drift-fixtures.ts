// Drift test stacks made by python (drift_stack.py: smooth random structure, exact
// Fourier shifts, noise), and random-walk drifts with a known range.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { random } from '../helpers/random';
import { runPython, tempDir } from '../helpers/python';

export interface DriftStackSpec {
  n: number;
  width: number;
  height: number;
  /** Noise sd; the structure has sd 1. */
  noise: number;
  seed: number;
  /** Feature size: sd of the Gaussian smoothing, px (default 2.5). */
  structurePx?: number;
  /** > 0: the structure evolves along z (smoothing sd in slices). */
  zSigma?: number;
  /** Per slice [dy, dx]: content translation; none = no drift. */
  drift?: [number, number][];
  /** Also skimage's neighbour matches. */
  skimage?: boolean;
}

export interface DriftStack {
  slices: Float32Array[];
  /** skimage phase_cross_correlation(slice i - 1, slice i), [dy, dx]; [0, 0] first. */
  skimagePairs: [number, number][] | null;
}

export function driftStack(spec: DriftStackSpec): DriftStack {
  const { dir, cleanup } = tempDir('fibrecon-drift-');
  try {
    const file = join(dir, 'stack.f32');
    const out = runPython(readFileSync(join(__dirname, 'drift_stack.py'), 'utf8'), [file], JSON.stringify(spec));
    const b = readFileSync(file);
    const all = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    const px = spec.width * spec.height;
    return { slices: Array.from({ length: spec.n }, (_, i) => all.slice(i * px, (i + 1) * px)), skimagePairs: JSON.parse(out).skimagePairs };
  } finally {
    cleanup();
  }
}

/** A random walk of n positions starting at (0, 0), scaled so that its largest |dy| or |dx| is maxPx. */
export function randomWalk(n: number, seed: number, maxPx: number): [number, number][] {
  const r = random(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const p: [number, number][] = [[0, 0]];
  for (let i = 1; i < n; i++) p.push([p[i - 1][0] + gauss(), p[i - 1][1] + gauss()]);
  let m = 0;
  for (const [y, x] of p) m = Math.max(m, Math.abs(y), Math.abs(x));
  return p.map(([y, x]) => [(y * maxPx) / m, (x * maxPx) / m]);
}

/** Truth in the registration's convention: the translation that brings slice i onto slice 0. */
export function truthOntoFirst(drift: readonly [number, number][]): { dy: number; dx: number }[] {
  return drift.map(([y, x]) => ({ dy: drift[0][0] - y, dx: drift[0][1] - x }));
}
