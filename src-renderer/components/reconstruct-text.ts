// The Reconstruction step's methods in plain words: a short label for the list
// and one sentence under it. The technical sentence (spline kind, the paper's
// names for the methods) stays in RECONSTRUCT_METHOD_TEXT, shown as a tooltip.
import { RECONSTRUCT_METHODS, type ReconstructMethod } from '../../src-shared/pipeline-methods';

/** Methods from the literature, offered only to compare with it. */
export const LITERATURE_BASELINES: readonly ReconstructMethod[] = ['dnn', 'srcs'];

/** The methods offered by default, in list order. */
export const MAIN_RECONSTRUCT_METHODS: readonly ReconstructMethod[] = RECONSTRUCT_METHODS.filter((m) => !LITERATURE_BASELINES.includes(m));

export const RECONSTRUCT_METHOD_LABEL: Record<ReconstructMethod, string> = {
  nearest: 'Nearest slice',
  linear: 'Linear blend',
  cubic: 'Smooth curve (recommended)',
  ml: 'Machine learning (label volumes)',
  dnn: 'Evenly spaced, nearest slice (literature)',
  srcs: 'Snapped to the grid, smooth curve (literature)',
};

export const RECONSTRUCT_METHOD_PLAIN: Record<ReconstructMethod, string> = {
  nearest: 'Every slice goes to its measured depth; each plane in between copies the nearest slice.',
  linear: 'Every slice goes to its measured depth; each plane in between blends the two slices around it.',
  cubic: 'Every slice goes to its measured depth; the planes in between follow a smooth curve through the slices around them. The most accurate of the classical methods.',
  ml: 'Every slice goes to its measured depth; a trained network fills the planes in between from the side views. Label volumes only; slow without a GPU.',
  dnn: 'For comparison with the literature: the slices are taken as evenly spaced (their measured depths are ignored); each plane copies the nearest slice.',
  srcs: 'For comparison with the literature: every slice is snapped onto the grid (a slice that lands on a taken plane is lost), then a smooth curve fills the gaps.',
};
