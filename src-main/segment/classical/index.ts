// Classical segmentation: pure compute, no Electron, database or fs.
export type { ClassicalMethod, ClassicalOptions, ClassicalResult } from './types';
export { type GreyHistogram, stackHistogram, greyRange, requireGreyStack, binOf } from './histogram';
export { applyThreshold, labelVolumeLike } from './apply';
export { otsuSegment, otsuThresholdFromHistogram } from './otsu';
export { type MultiOtsuOptions, multiOtsuSegment, multiOtsuThresholdsFromHistogram, multiOtsuIndices } from './multi-otsu';
export { type KMeansFit, type KMeansOptions, kmeansHistogram, kmeansSegment } from './kmeans';
export { type SlicOptions, type SlicResult, slic } from './slic';
export { type SecondDerivativeOptions, type SecondDerivativeThreshold, gaussianSmooth, secondDerivativeThreshold } from './second-derivative';
export { type HybridOptions, hybridSegment } from './hybrid';
