// The rows of a small delimited text table as people write them: comma,
// semicolon, tab or spaces between cells; a decimal comma where the separator
// is not a comma; blank lines and # comments ignored; quotes around cells.

export interface TextRow {
  /** 1-based line in the file, for messages. */
  line: number;
  cells: string[];
}

export type Separator = ',' | ';' | '\t' | 'spaces';

export interface DelimitedText {
  separator: Separator;
  rows: TextRow[];
}

export function splitDelimitedText(text: string): DelimitedText {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const kept = lines.map((l, i) => ({ line: i + 1, text: l })).filter((l) => l.text.trim() !== '' && !l.text.trim().startsWith('#'));
  const first = kept[0]?.text ?? '';
  const separator: Separator = first.includes('\t') ? '\t' : first.includes(';') ? ';' : first.includes(',') ? ',' : 'spaces';
  const rows = kept.map(({ line, text: l }) => {
    const raw = separator === 'spaces' ? l.trim().split(/\s+/) : l.split(separator);
    return { line, cells: raw.map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim()) };
  });
  return { separator, rows };
}

/** "1,25" -> "1.25" where the separator leaves the comma free for decimals. */
export function decimalPoint(cell: string, separator: Separator): string {
  return separator === ',' ? cell : cell.replace(',', '.');
}
