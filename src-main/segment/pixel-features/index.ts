// Per-pixel features for the interactive pixel classifier: pure compute, no
// Electron, database or file system. docs/pixel-classifier.md ("Features").
export {
  type InPlaneFamily,
  type NeighbourSliceSpec,
  type PixelFeatureSpec,
  IN_PLANE_FAMILIES,
  defaultFeatureSpec,
  validateFeatureSpec,
  featureNames,
  featureCount,
} from './feature-spec';
export { type FeatureChannel, channelFromVolume } from './channel';
export { type ChannelGreyRange, type GreyNormalisation, type GreyNormalisationOptions, computeGreyNormalisation, normaliseSlice } from './normalise';
export {
  type SliceFeatureOptions,
  type SliceFeatures,
  type PixelFeatureRows,
  computeSliceFeatures,
  computeFeaturesAtPixels,
  gatherFeatureRows,
} from './slice-features';
export { FeatureWorkspace } from './workspace';
