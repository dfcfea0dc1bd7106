// Generated classification problems for the random forest tests, seeded, and
// their raw bytes for python (float32 features pixel-major, uint8 labels).
import { writeFileSync } from 'node:fs';
import { random } from '../helpers/random';

export interface Problem {
  features: Float32Array;
  nFeatures: number;
  labels: Uint8Array;
}

function gaussian(rnd: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** Two Gaussian blobs in nFeatures dimensions (unit variance, means +-shift on every axis); class 1 with probability p1. */
export function gaussianBlobs(n: number, seed: number, opts: { nFeatures?: number; shift?: number; p1?: number } = {}): Problem {
  const F = opts.nFeatures ?? 10;
  const shift = opts.shift ?? 0.3;
  const p1 = opts.p1 ?? 0.5;
  const rnd = random(seed);
  const g = gaussian(rnd);
  const features = new Float32Array(n * F);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = rnd() < p1 ? 1 : 0;
    labels[i] = c;
    for (let f = 0; f < F; f++) features[i * F + f] = (c ? shift : -shift) + g();
  }
  return { features, nFeatures: F, labels };
}

/** XOR of the signs of features 0 and 1 (uniform in [-1, 1]), a fraction `flip` of labels flipped, plus uniform noise features. */
export function xorProblem(n: number, seed: number, opts: { noiseFeatures?: number; flip?: number } = {}): Problem {
  const F = 2 + (opts.noiseFeatures ?? 8);
  const flip = opts.flip ?? 0.05;
  const rnd = random(seed);
  const features = new Float32Array(n * F);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < F; f++) features[i * F + f] = 2 * rnd() - 1;
    const c = features[i * F] > 0 !== features[i * F + 1] > 0 ? 1 : 0;
    labels[i] = rnd() < flip ? 1 - c : c;
  }
  return { features, nFeatures: F, labels };
}

/** Three classes: blobs centred on three corners of a cube in the first 3 of 6 features. */
export function threeClassProblem(n: number, seed: number): Problem {
  const F = 6;
  const rnd = random(seed);
  const g = gaussian(rnd);
  const centres = [
    [0, 0, 0],
    [1.5, 0, 0],
    [0, 1.5, 1.5],
  ];
  const features = new Float32Array(n * F);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * 3);
    labels[i] = c;
    for (let f = 0; f < F; f++) features[i * F + f] = (f < 3 ? centres[c][f] : 0) + g();
  }
  return { features, nFeatures: F, labels };
}

/**
 * Stand-in for annotated FIB-SEM pixels: solid (35 %) or pore, a latent grey
 * value per pixel drawn from two overlapping normals (as shine-through blurs
 * the phases), and F features that are noisy, partly non-linear functions of
 * it (as filter responses are), some nearly pure noise. Its label noise
 * grows the trees to their full depth: the slow case for prediction.
 */
export function pixelLikeProblem(n: number, F: number, seed: number): Problem {
  const rnd = random(seed);
  const g = gaussian(rnd);
  const coef = Array.from({ length: F }, () => ({ a: 0.5 + rnd(), b: 0.6 * rnd() - 0.3, s: 0.3 + 1.7 * rnd() }));
  const features = new Float32Array(n * F);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = rnd() < 0.35 ? 1 : 0;
    labels[i] = c;
    const u = (c ? 1 : -1) + 0.7 * g();
    for (let f = 0; f < F; f++) features[i * F + f] = coef[f].a * u + coef[f].b * u * u + coef[f].s * g();
  }
  return { features, nFeatures: F, labels };
}

/** Rounds every feature to a multiple of `step`, so that no feature has more than 256 distinct values. */
export function quantised(p: Problem, step: number): Problem {
  return { ...p, features: p.features.map((v) => Math.round(v / step) * step) };
}

export function writeProblem(prefix: string, p: Problem): void {
  writeFileSync(`${prefix}.x`, Buffer.from(p.features.buffer, p.features.byteOffset, p.features.byteLength));
  writeFileSync(`${prefix}.y`, p.labels);
}

export function accuracy(truth: Uint8Array, predicted: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) ok++;
  return ok / truth.length;
}

/** Fraction of class c predicted as c. */
export function recall(truth: Uint8Array, predicted: Uint8Array, c: number): number {
  let n = 0;
  let ok = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] !== c) continue;
    n++;
    if (predicted[i] === c) ok++;
  }
  return ok / n;
}
