// A thickness table against the stack it belongs to: N slices need N - 1
// thicknesses, for the slices numbered first .. first + N - 2 in the file's own
// numbering. Anything else is refused with the slice numbers that are missing
// or extra, except one value for the milling after the last slice, which some
// tools write and which is dropped with a note.
import { AppError } from '../../src-shared/errors';
import type { ParsedThickness } from './thickness-types';

export interface StackThickness {
  /** thickness[i] between slice i and i + 1 of the stack (0-based), nm; length slices - 1. */
  thicknessNm: (number | null)[];
  targetNm?: (number | null)[];
  notes: string[];
}

export function matchSliceCount(parsed: Pick<ParsedThickness, 'thicknessNm' | 'sliceNumbers' | 'firstSliceNumber' | 'targetNm'>, slices: number): StackThickness {
  if (!Number.isInteger(slices) || slices < 1) throw new AppError('invalid_input', `the stack must have a whole number of slices >= 1, got ${slices}.`);
  const first = parsed.firstSliceNumber;
  const last = first + slices - 2; // the last slice a thickness starts from
  const byNumber = new Map(parsed.sliceNumbers.map((n, i) => [n, i]));
  const missing: number[] = [];
  for (let n = first; n <= last; n++) if (!byNumber.has(n)) missing.push(n);
  const extra = parsed.sliceNumbers.filter((n) => n < first || n > last);
  const notes: string[] = [];
  const afterLast = extra.length === 1 && extra[0] === last + 1;
  if (missing.length > 0 || (extra.length > 0 && !afterLast)) {
    const parts = [];
    if (missing.length > 0) parts.push(`lacks the thickness after slice${missing.length > 1 ? 's' : ''} ${formatRanges(missing)}`);
    if (extra.length > 0) parts.push(`has thicknesses after slice${extra.length > 1 ? 's' : ''} ${formatRanges(extra)} that the stack does not have`);
    throw new AppError(
      'invalid_input',
      `The stack has ${slices} slice(s), so ${slices - 1} thickness(es) are expected, after slices ${first} to ${last} as the file numbers them; ` +
        `the table has ${parsed.sliceNumbers.length} and ${parts.join(' and ')}. Choose the table that belongs to this stack, or correct it.`,
    );
  }
  if (afterLast) notes.push(`The table also gives the milling after the last slice (slice ${last + 1}): not used.`);
  const pick = <T>(values: readonly T[]) => Array.from({ length: slices - 1 }, (_, i) => values[byNumber.get(first + i)!]);
  const out: StackThickness = { thicknessNm: pick(parsed.thicknessNm), notes };
  if (parsed.targetNm) out.targetNm = pick(parsed.targetNm);
  return out;
}

/** [1, 2, 3, 7, 9, 10] -> "1-3, 7, 9-10"; long lists are cut after 12 ranges. */
export function formatRanges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.length > 12 ? `${ranges.slice(0, 12).join(', ')} and ${ranges.length - 12} more` : ranges.join(', ');
}
