// The clean (noise-free) BSE signal of one cross-section: surface term plus
// shine-through of the solid met deeper through the pores (docs/forward-model.md).
//
//   s(x, y) = eta_solid                                         surface voxel solid
//   s(x, y) = eta_fill + w_det (eta_solid - eta_fill) G_sigma(d) * [exp(-d / lambda)]   surface voxel pore
//
// d = depth of the first solid voxel below (x, y), lambda = f_lambda R_KO(fill, E),
// G a Gaussian whose sigma grows with d (the electrons spread as they go down and
// up again). The convolution with a depth-dependent sigma is done in depth bins
// (fixed fractions of lambda), each bin blurred once with its mid-depth sigma.
import { backscatterCoefficient, EPOXY, GOLD, kanayaOkayamaRangeNm, type Material } from './bse-coefficient';
import { gaussianBlur } from './gaussian-blur';
import { invalid } from '../synth-inputs';

export type Detector = 'TLD' | 'ICD';

/** Shine-through weight per detector: the through-the-lens detector collects the deep BSE, the in-column one mostly the surface. */
export const DETECTOR_SHINE_WEIGHT: Record<Detector, number> = { TLD: 1, ICD: 0.25 };

export interface BeamSetting {
  energyKeV: number;
  detector: Detector;
}

export interface ForwardModelParams {
  solid: Material;
  /** Pore filler: EPOXY (infiltrated samples) or VACUUM. */
  fill: Material;
  /** lambda = attenuationFraction * Kanaya-Okayama range of the filler (epoxy for vacuum pores). */
  attenuationFraction: number;
  /** Lateral spread: sigma(d) = sqrt(beamSigmaNm^2 + (spreadPerDepth d)^2). */
  spreadPerDepth: number;
  beamSigmaNm: number;
}

export const DEFAULT_FORWARD_MODEL: ForwardModelParams = {
  solid: GOLD,
  fill: EPOXY,
  attenuationFraction: 0.1,
  spreadPerDepth: 0.5,
  beamSigmaNm: 1,
};

/** Depth bin edges in units of lambda; beyond 4.5 lambda the weight is < 1.2 %. Six bins: each costs one blur per slice. */
const BIN_EDGES_LAMBDA = [0, 0.3, 0.7, 1.2, 2, 3, 4.5];

export function attenuationLengthNm(model: ForwardModelParams, energyKeV: number): number {
  const medium = model.fill.z === 0 ? EPOXY : model.fill;
  return model.attenuationFraction * kanayaOkayamaRangeNm(medium, energyKeV);
}

export interface ShineBin {
  /** Depths (voxels) kLo <= k < kHi. */
  kLo: number;
  kHi: number;
  sigmaPx: number;
}

/** Depth bins of one beam setting: precomputed once per stack. */
export function shineBins(model: ForwardModelParams, energyKeV: number, voxelZNm: number, pixelNm: number): { lambdaNm: number; bins: ShineBin[] } {
  const lambdaNm = attenuationLengthNm(model, energyKeV);
  const bins: ShineBin[] = [];
  let kLo = 1;
  for (let b = 1; b < BIN_EDGES_LAMBDA.length; b++) {
    const kHi = Math.max(kLo + 1, Math.ceil((BIN_EDGES_LAMBDA[b] * lambdaNm) / voxelZNm));
    if (b < BIN_EDGES_LAMBDA.length - 1 && kHi * voxelZNm < BIN_EDGES_LAMBDA[b] * lambdaNm) continue;
    const dMidNm = ((kLo + kHi - 1) / 2) * voxelZNm;
    const sigmaNm = Math.hypot(model.beamSigmaNm, model.spreadPerDepth * dMidNm);
    bins.push({ kLo, kHi, sigmaPx: sigmaNm / pixelNm });
    kLo = kHi;
    if (kLo * voxelZNm >= BIN_EDGES_LAMBDA[BIN_EDGES_LAMBDA.length - 1] * lambdaNm) break;
  }
  return { lambdaNm, bins };
}

/** The clean signal (BSE coefficient units) of one plane from its depth map. */
export function cleanBseSignal(
  depth: Uint16Array,
  nx: number,
  ny: number,
  voxelNm: { x: number; z: number },
  beam: BeamSetting,
  model: ForwardModelParams = DEFAULT_FORWARD_MODEL,
): Float32Array {
  if (depth.length !== nx * ny) throw invalid(`depth map has ${depth.length} pixels, expected ${nx} x ${ny}`);
  const etaSolid = backscatterCoefficient(model.solid.z, beam.energyKeV);
  const etaFill = backscatterCoefficient(model.fill.z, beam.energyKeV);
  const weight = DETECTOR_SHINE_WEIGHT[beam.detector];
  if (weight === undefined) throw invalid(`detector must be TLD or ICD, got ${beam.detector}`);
  const { lambdaNm, bins } = shineBins(model, beam.energyKeV, voxelNm.z, voxelNm.x);
  const decay = new Float32Array(bins.length ? bins[bins.length - 1].kHi : 0);
  for (let k = 1; k < decay.length; k++) decay[k] = Math.exp(-(k * voxelNm.z) / lambdaNm);

  const shine = new Float32Array(nx * ny);
  const layer = new Float32Array(nx * ny);
  const scratch = new Float32Array(nx * ny);
  for (const bin of bins) {
    let any = false;
    for (let i = 0; i < depth.length; i++) {
      const k = depth[i];
      const inBin = k >= bin.kLo && k < bin.kHi;
      layer[i] = inBin ? decay[k] : 0;
      any ||= inBin;
    }
    if (!any) continue;
    gaussianBlur(layer, nx, ny, bin.sigmaPx, scratch);
    for (let i = 0; i < shine.length; i++) shine[i] += layer[i];
  }
  const out = new Float32Array(nx * ny);
  const contrast = weight * (etaSolid - etaFill);
  for (let i = 0; i < out.length; i++) {
    out[i] = depth[i] === 0 ? etaSolid : etaFill + contrast * Math.min(1, shine[i]);
  }
  return out;
}
