// "Run on": where a network runs, in the same words in every step.
import type { EpChoice } from '../../src-shared/pipeline-methods';

export const EP_FIELD_LABEL = 'Run on';

export const EP_LABEL: Record<EpChoice, string> = {
  auto: 'auto',
  cuda: 'GPU (CUDA)',
  cpu: 'CPU',
};
