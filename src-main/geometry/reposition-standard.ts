// "Standard repositioning" ([Sardhara2023], the SRCS baseline of Tables 1 and 3):
// every slice goes to round(z / spacing) on a grid of the target slice spacing, as
// writing slices into a regular grid by index does. Where two slices round to the
// same grid index the later one overwrites the earlier one, which is lost: the paper
// introduced moving colliding slices to free positions (repositionSlices) precisely
// to avoid that loss. Indices that no slice rounds to stay empty (gaps).
import { AppError } from '../../src-shared/errors';
import type { SlicePlacement } from './reposition-slices';

export interface StandardPlacement {
  /** The slices kept, in order (the last of every group that rounds to one index). */
  kept: number[];
  /** Placement of the kept slices: their grid indices, strictly increasing. */
  placement: SlicePlacement;
  /** Slices overwritten by a later slice on the same grid index. */
  lost: number[];
}

export function standardGridPlacement(zPositionsNm: readonly number[], gridSpacingNm: number): StandardPlacement {
  if (!(Number.isFinite(gridSpacingNm) && gridSpacingNm > 0)) {
    throw new AppError('invalid_input', `the target slice spacing must be a positive number of nm, got ${gridSpacingNm}`);
  }
  if (zPositionsNm.length === 0) throw new AppError('invalid_input', 'there are no slices to reposition: import a stack first');
  const index = zPositionsNm.map((z, i) => {
    if (!Number.isFinite(z) || z < 0 || (i > 0 && z < zPositionsNm[i - 1])) {
      throw new AppError('invalid_input', `slice ${i} has z = ${z} nm; z positions must be finite, >= 0 and non-decreasing: check the thickness table`);
    }
    return Math.round(z / gridSpacingNm);
  });
  const kept: number[] = [];
  const lost: number[] = [];
  index.forEach((g, i) => {
    if (i + 1 < index.length && index[i + 1] === g) lost.push(i);
    else kept.push(i);
  });
  const gridIndex = kept.map((i) => index[i]);
  let maxShift = 0;
  let sumShift = 0;
  for (const i of kept) {
    const shift = Math.abs(index[i] * gridSpacingNm - zPositionsNm[i]);
    maxShift = Math.max(maxShift, shift);
    sumShift += shift;
  }
  return {
    kept,
    lost,
    placement: { gridIndex, gridSpacingNm, gridLength: gridIndex[gridIndex.length - 1] + 1, moved: 0, maxShiftNm: maxShift, meanShiftNm: sumShift / kept.length },
  };
}
