// Names of the pipeline's methods, shared by the contract (renderer), the steps
// (main process, workers) and the CLI, so that every side offers the same choices.
export const SEGMENTATION_METHODS = ['otsu', 'multi-otsu', 'kmeans', 'hybrid', 'model', 'pixel-classifier', 'auto'] as const;
export type SegmentationMethod = (typeof SEGMENTATION_METHODS)[number];
/** The model method 'auto' checks first (models/NAME.onnx), and the demo's. */
export const DEFAULT_SEGMENT_MODEL = 'unet25d-w7-2kv';

export const RECONSTRUCT_METHODS = ['nearest', 'linear', 'cubic', 'ml', 'dnn', 'srcs'] as const;
export type ReconstructMethod = (typeof RECONSTRUCT_METHODS)[number];
/** The inpainting model method 'ml' uses when none is named (models/NAME.onnx). */
export const DEFAULT_INPAINT_MODEL = 'inpaint-small';

export const BINARY_INTERPOLANTS = ['distance', 'labels'] as const;
export type BinaryInterpolant = (typeof BINARY_INTERPOLANTS)[number];

export const EP_CHOICES = ['auto', 'cuda', 'cpu'] as const;
export type EpChoice = (typeof EP_CHOICES)[number];

export const PLANE_AXES = ['xy', 'xz', 'yz'] as const;
export type PlaneAxis = (typeof PLANE_AXES)[number];
