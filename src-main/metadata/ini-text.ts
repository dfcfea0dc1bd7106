// The INI-like "[Section]" / "Key=Value" text that Thermo Fisher/FEI (and, in
// a looser form, Tescan) write into TIFF tags. Real files are not clean INI:
// CRLF mixed with a stray LF, runs of empty lines, a value that itself holds
// "=", and text cut off mid-key at the end of the tag. So: split on any line
// break, take the first "=" as the separator, and skip what is not a pair.

export interface IniEntry {
  /** Section name without brackets; "" for pairs before the first section. */
  section: string;
  key: string;
  /** Value with surrounding white space removed. */
  value: string;
}

/** Reads every "Key=Value" pair in order; lines that are neither a section nor a pair are skipped. */
export function parseIniText(text: string): IniEntry[] {
  const entries: IniEntry[] = [];
  let section = '';
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/\0/g, '').trim();
    if (line === '') continue;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue; // no key: a truncated last line, or noise
    entries.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  }
  return entries;
}

/** Section -> key -> value; a key repeated within a section keeps its last value, as INI readers do. */
export type IniSections = Map<string, Map<string, string>>;

export function groupBySection(entries: IniEntry[]): IniSections {
  const sections: IniSections = new Map();
  for (const e of entries) {
    let s = sections.get(e.section);
    if (!s) sections.set(e.section, (s = new Map()));
    s.set(e.key, e.value);
  }
  return sections;
}

/** Flat "Section.Key" -> value for provenance (`raw`); pairs outside a section keep their bare key. */
export function flattenForRaw(entries: IniEntry[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const e of entries) raw[e.section === '' ? e.key : `${e.section}.${e.key}`] = e.value;
  return raw;
}
