// What every thickness reader returns, in the convention of docs/conventions.md:
// thickness[i] = distance milled between slice i and slice i + 1, in nm, so a
// stack of N slices needs N - 1 values. Readers convert to it (z positions are
// differenced); a file that also gives the milling after the last slice keeps
// that extra value here and matchSliceCount drops it with a note.

export type ThicknessSource = 'asv' | 'ruler' | 'table';

export interface ParsedThickness {
  source: ThicknessSource;
  /** thickness[i] from the slice sliceNumbers[i] to the next one, nm; null = not measured. */
  thicknessNm: (number | null)[];
  /** The slice each value starts from, numbered as in the file (ascending, unique). */
  sliceNumbers: number[];
  /** The number the file gives the first slice of the stack (0 or 1). */
  firstSliceNumber: number;
  /** Target (nominal) thickness per value, nm, where the file gives one (ASV). */
  targetNm?: (number | null)[];
  /** What the reader noticed and did (unit used, sorting, cut-off file, ...). */
  notes: string[];
}

export type ThicknessFlag = 'nan' | 'tiny' | 'outlier';

export type ThicknessResolution = 'keep' | 'target' | 'median' | 'interpolate';
