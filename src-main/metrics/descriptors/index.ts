// Microstructure descriptors of binary label volumes (1 = solid, 0 = pore): see docs/descriptors.md.
export { type Phase, PHASES, type JobControl } from './phase';
export { specificSurfaceArea, type SpecificSurfaceArea } from './surface-area';
export { squaredDistanceToBackgroundNm2 } from './distance-transform';
export { type LengthDistributionNm } from './histogram';
export { localThickness, localThicknessMapNm, type LocalThickness, type LocalThicknessOptions } from './local-thickness';
export {
  geodesicTortuosity, geodesicDistanceFromFaceNm, type GeodesicTortuosity, type GeodesicTortuosityOptions, type AxisTortuosity, type VoxelConnectivity,
} from './geodesic-tortuosity';
export { connectedComponents, labelClusters, type ConnectedComponents, type PhaseClusters } from './connected-components';
export { glcmAnisotropy, cooccurrenceCounts, glcmFeatures, MAX_GLCM_LEVELS, type GlcmAnisotropy, type GlcmFeatures, type GlcmOptions, type GreyVolume } from './glcm-anisotropy';
