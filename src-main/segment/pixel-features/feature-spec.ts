// Which per-pixel features the pixel classifier computes: a plain JSON record
// stored with the classifier, so that prediction computes exactly the features
// the forest was trained on. docs/pixel-classifier.md ("Features") says what
// each family sees and why the default scales are what they are.
import { AppError } from '../../../src-shared/errors';

/** In-plane feature families, computed on slice z of every channel. */
export const IN_PLANE_FAMILIES = [
  'intensity',
  'gaussian',
  'gradient-magnitude',
  'laplacian-of-gaussian',
  'difference-of-gaussians',
  'hessian-eigenvalues',
  'structure-tensor-eigenvalues',
] as const;
export type InPlaneFamily = (typeof IN_PLANE_FAMILIES)[number];

export interface NeighbourSliceSpec {
  /** Slice offsets relative to z (positive = deeper, behind the cut face); 0 is not allowed. Mirrored at the stack ends. */
  offsets: number[];
  /** Gaussian sigmas (px, in-plane) of the neighbouring slices' smoothed intensity. */
  scalesPx: number[];
  /** 'difference': G(z + o) - G(z); 'value': G(z + o). */
  mode: 'difference' | 'value';
}

export interface PixelFeatureSpec {
  version: 1;
  /** Number of grey channels (stacks of one sample: voltages, detectors), all of one shape. */
  channelCount: number;
  /** In-plane Gaussian sigmas in px, strictly ascending. */
  scalesPx: number[];
  families: InPlaneFamily[];
  neighbours: NeighbourSliceSpec;
}

/** The default: ilastik's middle scales, every family, two slices either side as differences. */
export function defaultFeatureSpec(channelCount = 1): PixelFeatureSpec {
  return {
    version: 1,
    channelCount,
    scalesPx: [0.7, 1.6, 3.5, 5],
    families: [...IN_PLANE_FAMILIES],
    neighbours: { offsets: [-2, -1, 1, 2], scalesPx: [1.6, 3.5], mode: 'difference' },
  };
}

const MAX_SCALE_PX = 64;
const MAX_OFFSET = 16;

function invalid(what: string): never {
  throw new AppError('invalid_input', `Pixel feature settings: ${what}`);
}

function checkScales(scales: unknown, where: string): number[] {
  if (!Array.isArray(scales)) invalid(`${where} must be a list of sigmas in px, got ${JSON.stringify(scales)}.`);
  for (let i = 0; i < scales.length; i++) {
    const s = scales[i];
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0 || s > MAX_SCALE_PX) {
      invalid(`${where} must hold sigmas between 0 and ${MAX_SCALE_PX} px, got ${JSON.stringify(s)}: use e.g. [0.7, 1.6, 3.5, 5].`);
    }
    if (i > 0 && !(s > scales[i - 1])) invalid(`${where} must be strictly ascending, got ${scales.join(', ')}: sort them and drop repeats.`);
  }
  return scales as number[];
}

/** Throws an AppError saying what to fix when the spec cannot be computed; returns it typed. */
export function validateFeatureSpec(spec: unknown): PixelFeatureSpec {
  if (typeof spec !== 'object' || spec === null) invalid('expected an object with version, channelCount, scalesPx, families and neighbours.');
  const s = spec as Partial<PixelFeatureSpec>;
  if (s.version !== 1) invalid(`version ${JSON.stringify(s.version)} is not known to this fibrecon (knows 1): update fibrecon or retrain the classifier.`);
  if (!Number.isInteger(s.channelCount) || (s.channelCount as number) < 1) invalid(`channelCount must be a positive integer, got ${JSON.stringify(s.channelCount)}.`);
  checkScales(s.scalesPx, 'scalesPx');
  if (!Array.isArray(s.families)) invalid('families must be a list.');
  const seen = new Set<string>();
  for (const f of s.families) {
    if (!(IN_PLANE_FAMILIES as readonly string[]).includes(f)) invalid(`unknown feature family ${JSON.stringify(f)}: choose from ${IN_PLANE_FAMILIES.join(', ')}.`);
    if (seen.has(f)) invalid(`feature family ${f} is listed twice: list it once.`);
    seen.add(f);
  }
  const n = s.neighbours;
  if (typeof n !== 'object' || n === null) invalid('neighbours must be an object {offsets, scalesPx, mode} (offsets [] for none).');
  if (!Array.isArray(n.offsets)) invalid('neighbours.offsets must be a list of slice offsets such as [-2, -1, 1, 2].');
  const offs = new Set<number>();
  for (const o of n.offsets) {
    if (!Number.isInteger(o) || o === 0 || Math.abs(o) > MAX_OFFSET) invalid(`neighbour slice offsets must be non-zero integers up to ${MAX_OFFSET}, got ${JSON.stringify(o)}.`);
    if (offs.has(o)) invalid(`neighbour slice offset ${o} is listed twice: list it once.`);
    offs.add(o);
  }
  checkScales(n.scalesPx, 'neighbours.scalesPx');
  if (n.offsets.length > 0 && n.scalesPx.length === 0) invalid('neighbours.scalesPx is empty but offsets are given: give at least one sigma, e.g. [1.6].');
  if (n.mode !== 'difference' && n.mode !== 'value') invalid(`neighbours.mode must be 'difference' or 'value', got ${JSON.stringify(n.mode)}.`);
  return s as PixelFeatureSpec;
}

/** Feature slots of one channel: index into a pixel's feature row, -1 where the family is off. */
export interface ChannelSlots {
  intensity: number;
  /** Per in-plane scale. */
  gaussian: number[];
  gradient: number[];
  laplacian: number[];
  hessianHigh: number[];
  hessianLow: number[];
  structureHigh: number[];
  structureLow: number[];
  /** Per pair of neighbouring scales (k, k + 1): G(scale k) - G(scale k + 1). */
  dog: number[];
  /** neighbour[scale index][offset index]. */
  neighbour: number[][];
}

export interface FeatureLayout {
  nFeatures: number;
  names: string[];
  channels: ChannelSlots[];
}

const fmt = (s: number): string => String(s);
const signed = (o: number): string => (o > 0 ? `+${o}` : String(o));

/** Slots and names of every feature, channel-major, family by family (the order of data rows). */
export function featureLayout(spec: PixelFeatureSpec): FeatureLayout {
  const names: string[] = [];
  const has = (f: InPlaneFamily) => spec.families.includes(f);
  const add = (name: string): number => names.push(name) - 1;
  const perScale = (on: boolean, name: (s: number) => string): number[] => spec.scalesPx.map((s) => (on ? add(name(s)) : -1));
  const channels: ChannelSlots[] = [];
  for (let c = 0; c < spec.channelCount; c++) {
    const p = `c${c}:`;
    const intensity = has('intensity') ? add(`${p}intensity`) : -1;
    const gaussian = perScale(has('gaussian'), (s) => `${p}gaussian:${fmt(s)}`);
    const gradient = perScale(has('gradient-magnitude'), (s) => `${p}gradient-magnitude:${fmt(s)}`);
    const laplacian = perScale(has('laplacian-of-gaussian'), (s) => `${p}laplacian-of-gaussian:${fmt(s)}`);
    const dog = has('difference-of-gaussians') ? spec.scalesPx.slice(1).map((s, k) => add(`${p}difference-of-gaussians:${fmt(spec.scalesPx[k])}-${fmt(s)}`)) : [];
    const hessianHigh: number[] = [];
    const hessianLow: number[] = [];
    const structureHigh: number[] = [];
    const structureLow: number[] = [];
    for (const s of spec.scalesPx) {
      hessianHigh.push(has('hessian-eigenvalues') ? add(`${p}hessian-eigenvalue-high:${fmt(s)}`) : -1);
      hessianLow.push(has('hessian-eigenvalues') ? add(`${p}hessian-eigenvalue-low:${fmt(s)}`) : -1);
    }
    for (const s of spec.scalesPx) {
      structureHigh.push(has('structure-tensor-eigenvalues') ? add(`${p}structure-tensor-eigenvalue-high:${fmt(s)}`) : -1);
      structureLow.push(has('structure-tensor-eigenvalues') ? add(`${p}structure-tensor-eigenvalue-low:${fmt(s)}`) : -1);
    }
    const { offsets, scalesPx, mode } = spec.neighbours;
    const neighbour = scalesPx.map((s) => offsets.map((o) => add(mode === 'difference' ? `${p}slice z${signed(o)} minus z:${fmt(s)}` : `${p}slice z${signed(o)}:${fmt(s)}`)));
    channels.push({ intensity, gaussian, gradient, laplacian, hessianHigh, hessianLow, structureHigh, structureLow, dog, neighbour });
  }
  return { nFeatures: names.length, names, channels };
}

/** Names of the features in data-row order. */
export function featureNames(spec: PixelFeatureSpec): string[] {
  return featureLayout(validateFeatureSpec(spec)).names;
}

/** Number of features per pixel. */
export function featureCount(spec: PixelFeatureSpec): number {
  return featureLayout(validateFeatureSpec(spec)).nFeatures;
}
