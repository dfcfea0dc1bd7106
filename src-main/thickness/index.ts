// Slice thicknesses: reading them (Auto Slice & View, ruler and other tables),
// checking them against the stack, resolving flagged slices, statistics, and
// keeping them in the project. Everything but the store is pure (no fs, no db).
export type { ParsedThickness, ThicknessSource, ThicknessFlag, ThicknessResolution } from './thickness-types';
export { parseAsvProjectData } from './asv-project-data';
export { parseThicknessTable, type ThicknessTableOptions } from './thickness-table-csv';
export { matchSliceCount, formatRanges, type StackThickness } from './slice-count';
export { flagThickness, DEFAULT_OUTLIER_Z, DEFAULT_TINY_NM, type FlagOptions, type ThicknessFlags } from './thickness-flags';
export { resolveFlaggedThickness, medianOf, type ResolutionChoice, type ResolutionAction, type ResolvedThickness } from './resolve-flags';
export { summarizeThickness, compareThicknessSources, type ThicknessSummary, type ThicknessComparison, type ThicknessComparisonPoint } from './thickness-stats';
export { fitGamma, tryFitGamma, type GammaFit } from './gamma-fit';
export { digamma, trigamma } from './special-functions';
export { zPositionsNmFromThickness } from './thickness-positions';
export {
  saveThicknessTable,
  listThicknessTables,
  getThicknessTable,
  deleteThicknessTable,
  type StoredThicknessSource,
  type ThicknessValueRow,
  type NewThicknessTable,
  type ThicknessTableSummary,
  type ThicknessTableRecord,
} from './thickness-store';
