// Synthetic FIB-SEM stacks of one structure: every imaged plane, every beam
// setting (kV, detector), through the whole chain
//   clean BSE signal -> display scale -> edge blur -> Poisson + Gaussian noise -> uint8/16.
// All beam settings image the same planes, so the stacks are registered.
// Seeded per (beam setting, slice): a stack is the same bytes whatever other
// settings are simulated beside it.
import type { Volume } from '../../../src-shared/volume';
import { throwIfAborted } from '../../../src-shared/errors';
import { progressTracker } from '../../../src-shared/progress';
import type { JobControl } from '../leveled-wave-field';
import { mixSeed, seededRandom } from '../seeded-random';
import { checkSeed, invalid } from '../synth-inputs';
import { backscatterCoefficient } from './bse-coefficient';
import { depthToSolidMaps } from './depth-to-solid';
import { blurEdges, DEFAULT_EDGE_BLUR, type EdgeBlurParams } from './edge-blur';
import { cleanBseSignal, DEFAULT_FORWARD_MODEL, type BeamSetting, type ForwardModelParams } from './forward-model';
import { addDetectorNoise, DEFAULT_NOISE, quantise, type NoiseParams } from './noise';

export interface SimulateStackOptions {
  model?: ForwardModelParams;
  edgeBlur?: EdgeBlurParams | null;
  noise?: NoiseParams | null;
  dtype?: 'uint8' | 'uint16';
  seed: number;
  /** Intensity = offset + gain * eta / eta_solid(E): solid near 0.85, epoxy near 0.15, with room for the noise. */
  display?: { offset: number; gain: number };
  /** z of each imaged plane in nm (default plane * voxel z): the milled positions. */
  zPositionsNm?: readonly number[];
  /** Extra rows drawn above the structure (the ruler), in BSE coefficient units, per slice and beam. */
  bandAbove?: (slice: number, beam: BeamSetting) => { rows: number; signal: Float32Array };
}

export const DEFAULT_DISPLAY = { offset: 0.1, gain: 0.75 };

/** Seed stream of a beam setting, independent of the order the settings are given in. */
export function beamStream(beam: BeamSetting): number {
  return Math.round(beam.energyKeV * 1000) * 2 + (beam.detector === 'ICD' ? 1 : 0);
}

/** One Volume per beam setting, slices = the imaged planes in the order given. */
export function simulateStacks(
  structure: Volume,
  planes: readonly number[],
  beams: readonly BeamSetting[],
  options: SimulateStackOptions,
  control: JobControl = {},
): Volume[] {
  checkSeed(options.seed);
  if (beams.length === 0) throw invalid('give at least one beam setting (kV and detector)');
  const [, ny, nx] = structure.shape;
  const voxel = structure.voxelSizeNm;
  const model = options.model ?? DEFAULT_FORWARD_MODEL;
  const display = options.display ?? DEFAULT_DISPLAY;
  const dtype = options.dtype ?? 'uint8';
  const zPositionsNm = options.zPositionsNm ?? planes.map((p) => p * voxel.z);
  if (zPositionsNm.length !== planes.length) throw invalid(`${planes.length} planes but ${zPositionsNm.length} z positions`);
  const depthMaps = depthToSolidMaps(structure, planes);
  const report = progressTracker(control.onProgress);
  const total = planes.length * beams.length;
  let done = 0;
  return beams.map((beam) => {
    const etaSolid = backscatterCoefficient(model.solid.z, beam.energyKeV);
    const scale = display.gain / etaSolid;
    const stream = mixSeed(options.seed, beamStream(beam));
    let rowsAbove = -1;
    const slices = planes.map((_, s) => {
      throwIfAborted(control.signal);
      const roi = cleanBseSignal(depthMaps[s], nx, ny, voxel, beam, model);
      const band = options.bandAbove?.(s, beam);
      const rows = band?.rows ?? 0;
      if (rowsAbove >= 0 && rows !== rowsAbove) throw invalid('the band above the structure must have the same height on every slice');
      rowsAbove = rows;
      let image: Float32Array = new Float32Array((rows + ny) * nx);
      if (band) image.set(band.signal, 0);
      image.set(roi, rows * nx);
      for (let i = 0; i < image.length; i++) image[i] = display.offset + scale * image[i];
      if (options.edgeBlur !== null) image = blurEdges(image, nx, rows + ny, options.edgeBlur ?? DEFAULT_EDGE_BLUR);
      if (options.noise !== null) image = addDetectorNoise(image, options.noise ?? DEFAULT_NOISE, seededRandom(stream, s));
      report(++done / total, `simulated slice ${s + 1} of ${planes.length} at ${beam.energyKeV} kV ${beam.detector}`);
      return quantise(image, dtype);
    });
    return {
      shape: [planes.length, rowsAbove + ny, nx] as const,
      dtype,
      voxelSizeNm: { ...voxel },
      zPositionsNm: [...zPositionsNm],
      slices,
    };
  });
}
