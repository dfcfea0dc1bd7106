// Slice z positions from a complete thickness series: z_0 = 0,
// z_{i+1} = z_i + thickness[i] (README "Conventions"). A gap would shift every slice
// below it, so unmeasured values must be resolved first.
import { AppError } from '../../src-shared/errors';
import { zPositionsFromThickness } from '../../src-shared/volume';

export function zPositionsNmFromThickness(thicknessNm: readonly (number | null)[]): number[] {
  const gap = thicknessNm.findIndex((t) => t === null || !Number.isFinite(t));
  if (gap >= 0) throw new AppError('invalid_input', `the thickness after slice ${gap} is not measured, so the slices below it have no position: resolve the flagged slices first (target, median or interpolate).`);
  return zPositionsFromThickness(thicknessNm as number[]);
}
