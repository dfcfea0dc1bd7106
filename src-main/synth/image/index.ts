// Synthetic FIB-SEM images of a label structure: a cheap, physically motivated
// forward model (surface BSE + shine-through through the pores), edge blur,
// detector noise. See docs/forward-model.md.
export { backscatterCoefficient, kanayaOkayamaRangeNm, GOLD, EPOXY, VACUUM, PLATINUM_CARBON, type Material } from './bse-coefficient';
export { depthToSolidMaps, NO_SOLID_BELOW } from './depth-to-solid';
export { gaussianBlur, gaussianKernel, boxRadiiForGauss, BOX_FROM_SIGMA } from './gaussian-blur';
export {
  cleanBseSignal,
  shineBins,
  attenuationLengthNm,
  DEFAULT_FORWARD_MODEL,
  DETECTOR_SHINE_WEIGHT,
  type BeamSetting,
  type Detector,
  type ForwardModelParams,
  type ShineBin,
} from './forward-model';
export { blurEdges, sobelMagnitude, DEFAULT_EDGE_BLUR, type EdgeBlurParams } from './edge-blur';
export { addDetectorNoise, poisson, quantise, DEFAULT_NOISE, type NoiseParams } from './noise';
export { simulateStacks, beamStream, DEFAULT_DISPLAY, type SimulateStackOptions } from './simulate-stack';
