// Quality metrics of binary label volumes (1 = solid, 0 = pore): see docs/metrics.md.
export { type Axis, AXES, type BinaryVolume, ISOTROPY_TOLERANCE } from './binary-volume';
export type { DirectionalCurve } from './directional-curve';
export { compareToTruth, type TruthComparison } from './truth-comparison';
export { twoPointCorrelation, type PairCountMethod } from './two-point-correlation';
export { linealPath, solidRunLengthHistogram } from './lineal-path';
export { relativeL2Difference, directionalAnisotropy } from './relative-l2-difference';
export { chordDiameterNm, ligamentDiametersNm, ligamentDiameterAnisotropy, type LigamentDiametersNm } from './ligament-diameter';
export { anisotropyMetrics, defaultRMaxVoxels, type AnisotropyMetrics, type AnisotropyOptions } from './anisotropy-metrics';
export { patchAnisotropyMetrics, meanAndSd, type PatchAnisotropyOptions, type PatchAnisotropySummary, type PatchMetrics, type MeanAndSd } from './patch-anisotropy';
export * as descriptors from './descriptors';
