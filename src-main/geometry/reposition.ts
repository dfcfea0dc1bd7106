// Slice repositioning and gap filling along z ([Sardhara2023] 2.2.2-2.2.3).
export { repositionSlices, defaultGridSpacingNm, type SlicePlacement } from './reposition-slices';
export { buildRepositionedVolume, type RepositionedVolume } from './reposition-volume';
export { fillGaps, BINARY_INTERPOLANTS, type BinaryInterpolant, type GapFillMethod, type GapFillOptions, type GapFillResult } from './gap-fill';
export { standardGridPlacement, type StandardPlacement } from './reposition-standard';
export { signedDistancePlane } from './signed-distance';
export { fillSmallHolesXzYz, DEFAULT_MAX_HOLE_AREA_PX, type HoleFillOptions } from './fill-holes';
export { factorNotAKnotSpline, splineSlopes, evaluateSplineAt, cubicSplineColumns, type SplineFactor } from './fill-cubic-spline';
export { repositionAndFill, repositionAndFillMl, directNearestNeighbour, standardRepositionCubic, type Reconstruction, type ReconstructionOptions } from './gap-baselines';
export { fillGapsMl, type MlFillOptions, type MlFillResult } from './fill-ml';
