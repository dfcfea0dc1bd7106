// Auto Slice & View's ProjectData.dat (docs/conventions.md, "Files read and written"): XML with
// Results/Slice elements carrying TargetThickness and MeasuredThickness in
// metres, "NaN" where the software did not measure. Slice k (numbered from 1)
// holds the milling from image k to image k + 1, as our synthetic writer has it
// (src-main/synth/milling/asv-project-data.ts).
import { AppError } from '../../src-shared/errors';
import { parseXml, type XmlElement } from '../metadata/xml-lite';
import { parseStrictNumber } from '../metadata/numbers-and-units';
import { lineAt, matchOffsets } from './line-numbers';
import type { ParsedThickness } from './thickness-types';

const NUMBER_FIELDS = ['number', 'slicenumber', 'index', 'sliceindex', 'id'];

/** Reads ProjectData.dat text; `fileName` only names the file in messages. */
export function parseAsvProjectData(text: string, fileName = 'ProjectData.dat'): ParsedThickness {
  let doc;
  try {
    doc = parseXml(text);
  } catch (e) {
    // A file cut off inside a closing tag reads as a mismatch; without the partial tag it reads to the cut.
    const lastTag = text.lastIndexOf('<');
    try {
      if (lastTag > 0 && !text.includes('>', lastTag)) doc = parseXml(text.slice(0, lastTag));
    } catch {
      /* the first error is the one to report */
    }
    if (doc && !doc.complete) return readSlices(text, doc.root, fileName, false);
    throw new AppError('corrupt_file', `${fileName} is not readable XML: ${(e as Error).message}. Choose the ProjectData.dat that the Auto Slice & View run wrote, or export the thicknesses as a CSV table (slice, thickness_nm) and import it with --table.`, fileName);
  }
  return readSlices(text, doc.root, fileName, doc.complete);
}

function readSlices(text: string, root: XmlElement, fileName: string, complete: boolean): ParsedThickness {
  const notes: string[] = [];
  if (!complete) notes.push(`${fileName} ends before its last element is closed (cut off?): the slices up to the cut were read.`);
  const slices = findResultSlices(root);
  if (slices.length === 0) {
    throw new AppError('corrupt_file', `${fileName} has no Results/Slice elements, so no slice thicknesses: is it the ProjectData.dat of a finished Auto Slice & View run?`, fileName);
  }
  const resultsAt = text.search(/<Results[\s>]/);
  const sliceOffsets = matchOffsets(text, /<Slice[\s>/]/g).filter((o) => o > resultsAt);
  const where = (k: number) => `slice element ${k + 1} (line ${lineAt(text, sliceOffsets[k] ?? 0)})`;

  const rows = slices.map((el, k) => {
    const measured = readMetres(field(el, 'measuredthickness'), () => `${fileName}, ${where(k)}: MeasuredThickness`, fileName);
    const target = readMetres(field(el, 'targetthickness'), () => `${fileName}, ${where(k)}: TargetThickness`, fileName);
    const numberText = NUMBER_FIELDS.map((f) => field(el, f)).find((v) => v !== undefined);
    let number: number | undefined;
    if (numberText !== undefined) {
      number = parseStrictNumber(numberText);
      if (number === undefined || !Number.isInteger(number) || number < 0) {
        throw new AppError('corrupt_file', `${fileName}, ${where(k)}: the slice number "${numberText}" is not a whole number >= 0: correct it or remove the number so that the order of the elements counts.`, fileName);
      }
    }
    return { k, number, measured: measured.value, target: target.value, hasMeasured: measured.present };
  });

  const numbered = rows.filter((r) => r.number !== undefined).length;
  if (numbered > 0 && numbered < rows.length) {
    const k = rows.find((r) => r.number === undefined)!.k;
    throw new AppError('corrupt_file', `${fileName}, ${where(k)} has no slice number while others do: add it, or remove all numbers so that the order counts.`, fileName);
  }
  if (numbered === 0) {
    rows.forEach((r, i) => (r.number = i + 1));
    notes.push('The slices carry no numbers: numbered 1, 2, ... in file order.');
  }
  const sorted = [...rows].sort((a, b) => a.number! - b.number!);
  if (sorted.some((r, i) => r !== rows[i])) notes.push('The slices were not in order of their numbers: sorted.');
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].number === sorted[i - 1].number) {
      throw new AppError('corrupt_file', `${fileName}: slice number ${sorted[i].number} appears twice (${where(sorted[i - 1].k)} and ${where(sorted[i].k)}): remove one of them.`, fileName);
    }
  }
  const unmeasured = rows.filter((r) => !r.hasMeasured).length;
  if (unmeasured > 0) notes.push(`${unmeasured} slice(s) have no MeasuredThickness element: read as not measured.`);
  const nan = rows.filter((r) => r.hasMeasured && r.measured === null).length;
  if (nan > 0) notes.push(`${nan} slice(s) were not measured (NaN).`);
  notes.push(`${rows.length} slice thicknesses read from ${fileName} (metres converted to nm).`);

  const parsed: ParsedThickness = {
    source: 'asv',
    thicknessNm: sorted.map((r) => r.measured),
    sliceNumbers: sorted.map((r) => r.number!),
    firstSliceNumber: sorted[0].number === 0 ? 0 : 1,
    notes,
  };
  if (rows.some((r) => r.target !== null)) parsed.targetNm = sorted.map((r) => r.target);
  return parsed;
}

/** Every Slice element directly inside a Results element, wherever Results sits (document order; no recursion). */
function findResultSlices(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const pending: XmlElement[] = [root];
  while (pending.length > 0) {
    const e = pending.pop()!;
    if (e.name === 'Results') for (const c of e.children) if (c.name === 'Slice') out.push(c);
    for (let i = e.children.length - 1; i >= 0; i--) pending.push(e.children[i]);
  }
  return out;
}

/** A child element's text or an attribute, names compared without case. */
function field(el: XmlElement, lowerName: string): string | undefined {
  const child = el.children.find((c) => c.name.toLowerCase() === lowerName);
  if (child) return child.text;
  const attr = Object.keys(el.attributes).find((a) => a.toLowerCase() === lowerName);
  return attr === undefined ? undefined : el.attributes[attr];
}

/** Metres to nm; "NaN" or empty -> null. Accepts a decimal comma (German Windows). */
function readMetres(text: string | undefined, where: () => string, fileName: string): { value: number | null; present: boolean } {
  if (text === undefined) return { value: null, present: false };
  const t = text.trim();
  if (t === '' || /^[+-]?nan$/i.test(t)) return { value: null, present: true };
  const v = parseStrictNumber(t.includes('.') ? t : t.replace(',', '.'));
  if (v === undefined) {
    throw new AppError('corrupt_file', `${where()} "${t}" is not a number of metres: correct it, or write NaN for a slice that was not measured.`, fileName);
  }
  return { value: v * 1e9, present: true };
}
