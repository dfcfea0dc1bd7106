// Interactive pixel classifier (random forest on per-pixel features): pure
// compute, no Electron, database or fs.
export type { RandomForest, TrainingSamples, ForestOptions, ResolvedForestOptions, ClassWeight, LongJobOptions } from './forest-types';
export { DEFAULT_FOREST_OPTIONS } from './forest-types';
export { type TrainJobOptions, trainRandomForest, concatForests, resolveForestOptions, classWeights } from './random-forest';
export { type PixelRange, predictProbabilities, predictLabels } from './forest-predict';
export { type SerialisedForest, FOREST_FORMAT, FOREST_FORMAT_VERSION, serialiseForest, deserialiseForest, checkForest } from './forest-serialise';
export { type ConfusionMatrix, type ClassMetrics, confusionMatrix, addToConfusion, emptyConfusion, sumConfusion, classMetrics } from './class-metrics';
export {
  type AnnotatedSamples,
  type CrossValidationOptions,
  type CrossValidationScheme,
  type CrossValidationFold,
  type CrossValidationResult,
  NOT_HELD_OUT,
  crossValidate,
} from './cross-validate';
