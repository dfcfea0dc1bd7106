// Thickness tables from ruler measurements or other tools, as CSV/TSV text:
// a slice column and either a thickness column (slice i to i + 1) or a z
// position column (differenced into thicknesses). The unit comes from the header
// ("thickness_nm", "z (µm)") or from the caller; without either we refuse,
// because 10 could be nm or µm and a wrong guess scales the whole volume.
import { AppError } from '../../src-shared/errors';
import { maxOf } from '../../src-shared/min-max';
import { nmPerLengthUnit, parseStrictNumber } from '../metadata/numbers-and-units';
import { decimalPoint, splitDelimitedText, type Separator, type TextRow } from './delimited-text';
import type { ParsedThickness } from './thickness-types';

export interface ThicknessTableOptions {
  /** 'ruler' for the ruler-marker method, 'table' (default) for anything else. */
  source?: 'ruler' | 'table';
  /** Unit of the value column when the header does not give one ("nm", "µm", "m"). */
  unit?: string;
  /** What a header-less value column holds: thicknesses (default) or z positions. */
  column?: 'thickness' | 'z';
  /** Names the file in messages. */
  fileName?: string;
}

const SLICE_HEADER = /slice|index|number|^no\.?$|^#$|^n$|^i$|^image/i;
const THICKNESS_HEADER = /thick|spacing|step|^t(?:[\s_(\[]|$)|^dz/i;
const Z_HEADER = /^z(?:[\s_(\[/]|$)|position|depth/i;

// Control characters other than tab, CR and LF, and U+FFFD (bytes that were not UTF-8).
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g;

/** A cell as shown in a message: unprintable characters as "?", cut to 40 characters. */
export function shownCell(cell: string): string {
  const clean = cell.replace(NOT_TEXT, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

/** Whether the text is binary (an image, an archive) rather than a table: any NUL, or over 1 % unprintable. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 1 << 16);
  return sample.includes('\u0000') || (sample.match(NOT_TEXT)?.length ?? 0) > 0.01 * sample.length;
}

export function parseThicknessTable(text: string, opts: ThicknessTableOptions = {}): ParsedThickness {
  const file = opts.fileName ?? 'the table';
  const fail = (message: string): never => {
    throw new AppError('invalid_input', `${file}: ${message}`, opts.fileName);
  };
  if (looksBinary(text)) fail('is not a text table (it holds binary bytes): choose the CSV or TSV file of the measurements (a header such as "slice,thickness_nm", then one row per slice).');
  const { separator, rows } = splitDelimitedText(text);
  if (rows.length === 0) fail('has no rows (only blank lines or # comments): choose the file with the measurements.');
  const notes: string[] = [];

  const headerRow = isHeader(rows[0], separator) ? rows[0] : undefined;
  const data = headerRow ? rows.slice(1) : rows;
  if (data.length === 0) fail(`has a header (line ${headerRow!.line}) but no rows of values: choose the file with the measurements (a header, then one row per slice).`);
  const width = maxOf(data.map((r) => r.cells.length));

  // Which column holds what.
  let sliceCol: number | undefined;
  let valueCol: number;
  let kind: 'thickness' | 'z' = opts.column ?? 'thickness';
  let headerUnit: string | undefined;
  if (headerRow) {
    const names = headerRow.cells;
    const t = names.findIndex((n) => THICKNESS_HEADER.test(n));
    const z = names.findIndex((n) => Z_HEADER.test(n));
    const s = names.findIndex((n, i) => i !== t && i !== z && SLICE_HEADER.test(n));
    sliceCol = s >= 0 ? s : undefined;
    if (t >= 0) (valueCol = t), (kind = 'thickness');
    else if (z >= 0) (valueCol = z), (kind = 'z');
    else {
      valueCol = names.findIndex((_n, i) => i !== sliceCol);
      if (valueCol < 0) fail(`line ${headerRow.line}: the header "${shownCell(names.join(', '))}" names no thickness or z column: name one "thickness_nm" or "z_nm".`);
      notes.push(`The header names no thickness or z column: column "${shownCell(names[valueCol])}" read as ${kind === 'z' ? 'z positions' : 'thicknesses'}.`);
    }
    headerUnit = unitInHeader(names[valueCol]);
    if (headerUnit === undefined && nmPerLengthUnit(names[valueCol]) !== undefined) headerUnit = names[valueCol];
  } else {
    sliceCol = width >= 2 ? 0 : undefined;
    valueCol = width >= 2 ? 1 : 0;
    notes.push(`No header: ${sliceCol === 0 ? 'column 1 read as slice numbers, column 2' : 'the only column'} as ${kind === 'z' ? 'z positions' : 'thicknesses'}.`);
  }

  // Unit: the header's, else the caller's; both must agree.
  const callerFactor = opts.unit === undefined ? undefined : nmPerLengthUnit(opts.unit);
  if (opts.unit !== undefined && callerFactor === undefined) fail(`"${shownCell(opts.unit)}" is not a unit of length: choose nm, µm or m.`);
  const headerFactor = headerUnit === undefined ? undefined : nmPerLengthUnit(headerUnit);
  if (headerFactor !== undefined && callerFactor !== undefined && headerFactor !== callerFactor) {
    fail(`the header says the values are in ${headerUnit} but ${opts.unit} was chosen: choose ${headerUnit}, or correct the header.`);
  }
  const factor = headerFactor ?? callerFactor;
  const unit = headerFactor !== undefined ? headerUnit : opts.unit;
  if (factor === undefined) {
    const what = headerRow ? `its header ("${shownCell(headerRow.cells[valueCol])}")` : 'it has no header, so it';
    fail(`${what} does not say the unit of the ${kind === 'z' ? 'z positions' : 'thicknesses'}: write it in the header (e.g. "thickness_nm", "z (µm)") or choose the unit (nm, µm, m) when importing.`);
  }
  notes.push(`Values in ${unit}${factor === 1 ? '' : ', converted to nm'}.`);

  // Values.
  const entries = data.map((r, i) => {
    if (r.cells.length <= Math.max(valueCol, sliceCol ?? 0)) {
      fail(`line ${r.line} has ${r.cells.length} cell(s) where ${Math.max(valueCol, sliceCol ?? 0) + 1} are needed: complete or remove the line.`);
    }
    let slice = i;
    if (sliceCol !== undefined) {
      const s = parseStrictNumber(decimalPoint(r.cells[sliceCol], separator));
      if (s === undefined || !Number.isInteger(s) || s < 0) fail(`line ${r.line}: the slice number "${shownCell(r.cells[sliceCol])}" is not a whole number >= 0: correct it or remove the line.`);
      slice = s!;
    }
    const cell = r.cells[valueCol];
    let value: number | null = null;
    if (!/^(?:|[+-]?nan|na|n\/a|-)$/i.test(cell)) {
      const v = parseStrictNumber(decimalPoint(cell, separator));
      if (v === undefined) fail(`line ${r.line}: "${shownCell(cell)}" is not a number: correct it, or leave the cell empty (or NaN) for a slice that was not measured.`);
      value = v! * factor!;
    }
    return { line: r.line, slice, value };
  });
  if (sliceCol === undefined) notes.push('No slice column: the rows are slices 0, 1, 2, ... in order.');

  const sorted = [...entries].sort((a, b) => a.slice - b.slice);
  if (sorted.some((e, i) => e !== entries[i])) notes.push('The rows were not in order of slice number: sorted.');
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].slice === sorted[i - 1].slice) fail(`slice ${sorted[i].slice} appears twice (lines ${sorted[i - 1].line} and ${sorted[i].line}): remove one of them.`);
  }
  const firstSliceNumber = sorted[0].slice === 0 ? 0 : 1;
  const source = opts.source ?? 'table';

  if (kind === 'thickness') {
    notes.push(`${sorted.length} thicknesses read (each from its slice to the next).`);
    return { source, thicknessNm: sorted.map((e) => e.value), sliceNumbers: sorted.map((e) => e.slice), firstSliceNumber, notes };
  }

  // z positions: thickness[i] = z_{i+1} - z_i, over consecutive slices only.
  if (sorted.length < 2) fail('gives the z position of one slice only: at least two are needed for a thickness.');
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].slice !== sorted[i - 1].slice + 1) {
      fail(`gives z positions for slices ${sorted[i - 1].slice} and ${sorted[i].slice} but none in between (line ${sorted[i].line}): add the missing slices, or give thicknesses instead.`);
    }
  }
  const thicknessNm = sorted.slice(1).map((e, i) => (e.value === null || sorted[i].value === null ? null : e.value - sorted[i].value!));
  const negative = thicknessNm.filter((t) => t !== null && t < 0).length;
  if (negative > 0) notes.push(`${negative} z position(s) lie above the previous slice (negative thickness).`);
  notes.push(`${sorted.length} z positions read and differenced into ${thicknessNm.length} thicknesses (slice i to i + 1).`);
  return { source, thicknessNm, sliceNumbers: sorted.slice(0, -1).map((e) => e.slice), firstSliceNumber, notes };
}

function isHeader(row: TextRow, separator: Separator): boolean {
  return row.cells.some((c) => c !== '' && !/^[+-]?nan$/i.test(c) && parseStrictNumber(decimalPoint(c, separator)) === undefined);
}

/** The unit at the end of a column name: "thickness_nm", "z (µm)", "Thickness [m]", "depth/um". */
function unitInHeader(name: string): string | undefined {
  const tokens = name.split(/[\s_/()[\],:=]+/).filter((t) => t !== '');
  if (tokens.length < 2) return undefined;
  const last = tokens[tokens.length - 1];
  return nmPerLengthUnit(last) !== undefined ? last : undefined;
}
