// Synthetic 3D structures with ground truth (README "Synthetic data with ground truth", docs/forward-model.md).
// All are seeded (same seed, same bytes), pure (no fs), and return uint8 label
// volumes: 1 = solid, 0 = pore.
export { leveledWaveField, leveledWaveSet, evaluateWaveField, MAX_WAVES } from './leveled-wave-field';
export type { LeveledWaveFieldParams, WaveSet, JobControl } from './leveled-wave-field';
export { leveledWaveStructure, fineLevelSeed } from './leveled-wave-structure';
export type { LeveledWaveStructureParams, FineLevelParams } from './leveled-wave-structure';
export { findLevelCut, applyLevelCut } from './level-cut';
export type { LevelCut } from './level-cut';
export { randomPoresStructure, carveRandomPores, MAX_PORE_SPHERES } from './random-pores';
export type { RandomPoresParams, PoreSphere } from './random-pores';
export { anisotropicCheckStructure, anisotropicLayerCentresNm } from './anisotropic-check';
export type { AnisotropicCheckParams } from './anisotropic-check';
export { stretchZ } from './stretch-z';
export { seededRandom, mixSeed } from './seeded-random';
export type { SeededRandom } from './seeded-random';
export { MAX_SYNTH_BYTES } from './synth-inputs';
export type { VoxelSizeInput } from './synth-inputs';
