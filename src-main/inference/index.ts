// ONNX inference for segmentation (and later gap filling): plain Node modules over
// onnxruntime-node, usable in the main process, worker threads and the CLI.
// See docs/inference.md.
export { describeInputStack, inputStacks, loadModelCard, modelCardPath, modelCardSchema, normalisationSchema, parseModelCard, sliceOverlap, tileOverlap, MODEL_KINDS } from './model-card';
export type { ModelCard, ModelKind, Normalisation } from './model-card';
export { normaliseSlice, percentiles } from './normalise';
export { cudaProviderInstalled, openModel, ort, ortBinaryDir, runOnce } from './session';
export type { Ep, EpChoice, OpenedModel, OpenModelOptions, RunOnceResult } from './session';
export { segmentStack, segmentStacks } from './segment-stack';
export type { GetSlice, GetStackSlice, SegmentOptions, SegmentStats, WriteSlice } from './segment-stack';
export { BLEND_FLOOR, blendWeights1d, reflectIndex, tileOrigins } from './tiling';
export { loadModel, segmentWithModel } from './load-model';
export type { LoadedModel } from './load-model';
