// Otsu's and k-means' labels on the sampled crops of a stack (thresholds from the whole
// stack's histogram): their solid fractions and the steepness of the grey edges their
// boundaries follow, the evidence method 'auto' picks between them by. Pure.
import type { SliceArray } from '../../src-shared/dtype';
import type { GreyHistogram } from './classical';
import type { AutoEvidence, ClassicalEvidence } from './auto-method';
import { boundaryContrast } from './boundary-contrast';
import { greyEvidence } from './ood/grey-evidence';

/** slices: the sampled crops, each rows x columns. */
export function classicalEvidence(slices: readonly SliceArray[], rows: number, columns: number, histogram: GreyHistogram): AutoEvidence['classical'] {
  const grey = greyEvidence(histogram);
  const range = histogram.max - histogram.min;
  const on = (t: number): ClassicalEvidence => {
    const labels = slices.map((s) => Uint8Array.from(s, (v) => (v > t ? 1 : 0)));
    let solid = 0;
    for (const l of labels) for (let i = 0; i < l.length; i++) solid += l[i];
    return { solidFraction: solid / (labels.length * rows * columns), boundaryContrast: boundaryContrast(slices, labels, [labels.length, rows, columns], range) };
  };
  return { otsu: on(grey.otsuThreshold), kmeans: on(grey.kmeansThreshold) };
}
