// Thermo Fisher / FEI metadata: INI text in TIFF tag 34682 (FEI_HELIOS) or
// 34680 (FEI_SFEG), SI units throughout (metres, volts). Fields read:
//   [Scan] PixelWidth / PixelHeight (m)  -> pixel size; [Scan] is the active
//       beam's scan; [EScan]/[IScan] are tried when [Scan] lacks it.
//   [Beam] HV (V), else HV in the beam's own section ([EBeam], [IBeam]).
//   [Detectors] Name                     -> detector (Mode stays in raw).
//   [Image] ResolutionY                  -> rows that hold the image; the
//       stored TIFF is taller by the data bar, which must be cropped.
// The TIFF resolution tags of these files are dummies (96 dpi) and are never used.
// Real files hold empty and malformed values (a navigation-camera export has
// "HV=notafloat"): those are skipped with a notice, never thrown.
import type { ImageMetadata } from '../../src-shared/metadata';
import { flattenForRaw, groupBySection, parseIniText, type IniSections } from './ini-text';
import { METADATA_TAGS } from './metadata-input';
import { acceptPixelSize, newMetadata, sourced } from './metadata-result';
import { parseStrictNumber } from './numbers-and-units';

const NM_PER_M = 1e9;

export function parseFeiMetadata(
  text: string,
  image?: { width: number; height: number },
  tag: number = METADATA_TAGS.FEI_HELIOS,
): ImageMetadata {
  const meta = newMetadata('thermo-fei');
  const where = `FEI tag ${tag}`;
  const entries = parseIniText(text);
  meta.raw = flattenForRaw(entries);
  if (entries.length === 0) {
    meta.notices.push(`${where} holds no "Key=Value" lines; no acquisition metadata was read from it.`);
    return meta;
  }
  const sections = groupBySection(entries);
  const num = (section: string, key: string) => readNumber(sections, section, key, where, meta.notices);

  readPixelSize(meta, sections, where, num);
  readBeamVoltage(meta, sections, where, num);

  const detector = sections.get('Detectors')?.get('Name');
  if (detector) meta.detector = sourced(detector, `${where} [Detectors] Name`);

  readImageRows(meta, where, num, image);
  return meta;
}

type NumberReader = (section: string, key: string) => number | undefined;

/** A number from the text; empty or absent is silent, malformed is a notice. */
function readNumber(
  sections: IniSections,
  section: string,
  key: string,
  where: string,
  notices: string[],
): number | undefined {
  const value = sections.get(section)?.get(key);
  if (value === undefined || value === '') return undefined;
  const n = parseStrictNumber(value);
  if (n === undefined) notices.push(`Ignored [${section}] ${key}="${value}" in ${where}: not a number.`);
  return n;
}

function readPixelSize(meta: ImageMetadata, sections: IniSections, where: string, num: NumberReader): void {
  // [Beam] Scan names the active beam's scan section (e.g. "EScan").
  const activeScan = sections.get('Beam')?.get('Scan');
  const candidates = unique(['Scan', activeScan, 'EScan', 'IScan']);
  for (const section of candidates) {
    const widthM = num(section, 'PixelWidth');
    if (widthM === undefined) continue;
    const xSource = `${where} [${section}] PixelWidth`;
    if (!acceptPixelSize(meta, 'x', widthM * NM_PER_M, xSource)) continue;
    const heightM = num(section, 'PixelHeight');
    if (heightM !== undefined) acceptPixelSize(meta, 'y', heightM * NM_PER_M, `${where} [${section}] PixelHeight`);
    else acceptPixelSize(meta, 'y', widthM * NM_PER_M, `${xSource} (no PixelHeight: square pixels assumed)`);
    return;
  }
  meta.notices.push(
    `${where} has no usable [Scan] PixelWidth, so the pixel size is unknown ` +
      '(navigation-camera images carry none). Enter it by hand if this image is to be measured.',
  );
}

function readBeamVoltage(meta: ImageMetadata, sections: IniSections, where: string, num: NumberReader): void {
  // [Beam] Beam names the active beam's own section ("EBeam", "IBeam"); some files have HV only there.
  const activeBeam = sections.get('Beam')?.get('Beam');
  for (const section of unique(['Beam', activeBeam, 'EBeam'])) {
    const hv = num(section, 'HV');
    if (hv === undefined) continue;
    if (hv <= 0) {
      meta.notices.push(`Ignored [${section}] HV=${hv} in ${where}: not a positive voltage.`);
      continue;
    }
    meta.beamVoltageV = sourced(hv, `${where} [${section}] HV`);
    return;
  }
}

function readImageRows(
  meta: ImageMetadata,
  where: string,
  num: NumberReader,
  image: { width: number; height: number } | undefined,
): void {
  const rows = num('Image', 'ResolutionY');
  const cols = num('Image', 'ResolutionX');
  if (image && cols !== undefined && cols !== image.width) {
    meta.notices.push(
      `${where} says the scan was ${cols} px wide ([Image] ResolutionX) but the image is ${image.width} px: ` +
        'it was probably resized after acquisition, so the recorded pixel size may not apply.',
    );
  }
  if (rows === undefined || !image) return;
  if (!Number.isInteger(rows) || rows <= 0) {
    meta.notices.push(`Ignored [Image] ResolutionY=${rows} in ${where}: not a positive whole number.`);
  } else if (rows < image.height) {
    meta.imageRows = sourced(rows, `${where} [Image] ResolutionY (rows ${rows}..${image.height - 1} are the data bar)`);
  } else if (rows > image.height) {
    meta.notices.push(
      `${where} says the scan had ${rows} rows ([Image] ResolutionY) but the image has only ${image.height}: ` +
        'it was probably cropped or resized after acquisition; nothing is cropped.',
    );
  }
}

function unique(names: (string | undefined)[]): string[] {
  return [...new Set(names.filter((n): n is string => !!n))];
}
