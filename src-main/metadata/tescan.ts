// Tescan metadata: TIFF tag 50431. Despite looking like INI, the tag is a BYTE
// array of binary blocks (uint32 size, uint16 type: 1 = JPEG thumbnail,
// 2 = MAIN, 3 = SEM, 4 = GAMA, 5 = FIB), the text blocks holding "Key=Value"
// lines without section headers; a sidecar .hdr has the same pairs under
// [MAIN] and [SEM]. So the text may arrive with control bytes glued to the
// first key of each block and with thumbnail bytes in between: control bytes
// are treated as line breaks and only "Identifier=printable value" lines kept.
// Fields read (SI units): PixelSizeX / PixelSizeY (m), HV (V; else
// AcceleratorVoltage), Detector (else Detector0).
import type { ImageMetadata } from '../../src-shared/metadata';
import { flattenForRaw, parseIniText, type IniEntry } from './ini-text';
import { METADATA_TAGS } from './metadata-input';
import { acceptPixelSize, newMetadata, sourced } from './metadata-result';
import { parseStrictNumber } from './numbers-and-units';

const WHERE = `Tescan tag ${METADATA_TAGS.TESCAN}`;
const NM_PER_M = 1e9;

export function parseTescanMetadata(text: string): ImageMetadata {
  const meta = newMetadata('tescan');
  const entries = parseIniText(text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]+/g, '\n')).filter(isPlausiblePair);
  meta.raw = flattenForRaw(entries);
  if (entries.length === 0) {
    meta.notices.push(`${WHERE} holds no "Key=Value" lines; no acquisition metadata was read from it.`);
    return meta;
  }
  // Sections exist only in .hdr-style text; without them the SEM block comes before
  // the FIB block, so the first occurrence of a key is the electron beam's.
  const first = (key: string) => entries.find((e) => e.key === key && e.section !== 'FIB');
  const num = (key: string): { value: number; entry: IniEntry } | undefined => {
    const entry = first(key);
    if (!entry || entry.value === '') return undefined;
    const value = parseStrictNumber(entry.value);
    if (value === undefined) {
      meta.notices.push(`Ignored ${label(entry)}="${entry.value}" in ${WHERE}: not a number.`);
      return undefined;
    }
    return { value, entry };
  };

  // abs(): a negative step only says the scan ran the other way (Gwyddion reads it the same way).
  const px = num('PixelSizeX');
  if (px && acceptPixelSize(meta, 'x', Math.abs(px.value) * NM_PER_M, `${WHERE} ${label(px.entry)}`)) {
    const py = num('PixelSizeY');
    if (py) acceptPixelSize(meta, 'y', Math.abs(py.value) * NM_PER_M, `${WHERE} ${label(py.entry)}`);
    else acceptPixelSize(meta, 'y', Math.abs(px.value) * NM_PER_M, `${WHERE} ${label(px.entry)} (no PixelSizeY: square pixels assumed)`);
  } else {
    meta.notices.push(`${WHERE} has no usable PixelSizeX: the pixel size is unknown. Enter it by hand.`);
  }

  for (const key of ['HV', 'AcceleratorVoltage']) {
    const hv = num(key);
    if (hv && hv.value > 0) {
      meta.beamVoltageV = sourced(hv.value, `${WHERE} ${label(hv.entry)}`);
      break;
    }
  }

  for (const key of ['Detector', 'Detector0']) {
    const d = first(key);
    if (d && d.value !== '') {
      meta.detector = sourced(d.value, `${WHERE} ${label(d)}`);
      break;
    }
  }
  return meta;
}

/** Keeps real pairs, drops thumbnail bytes that happened to contain "=". */
function isPlausiblePair(e: IniEntry): boolean {
  return /^[A-Za-z][A-Za-z0-9_.]*$/.test(e.key) && /^[\x20-\x7E\u00A0-\u00FF]*$/.test(e.value);
}

function label(e: IniEntry): string {
  return e.section === '' ? e.key : `[${e.section}] ${e.key}`;
}
