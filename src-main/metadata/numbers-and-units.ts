// Numbers and units as microscope software writes them. Every parser goes
// through these so that "3.3724e-006", "12.33 nm", "25.00 kV" and a mis-decoded
// "Âµm" are read the same way everywhere, and anything else is refused (the
// caller turns a refusal into a notice) instead of becoming NaN downstream.

/** A plain decimal or scientific number, nothing else around it. */
const STRICT_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses text that must be exactly one finite number ("5000", "3.3724e-006").
 * Returns undefined for empty text, words ("notafloat"), units or several numbers:
 * `Number()` alone would accept "" (0), " " (0) and "0x10" (16).
 */
export function parseStrictNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!STRICT_NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A number followed by an optional unit: "12.33 nm", "25.00 kV", "=500.0 V", "3.1e-9m". */
const NUMBER_WITH_UNIT = /^=?\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)$/;

export interface Quantity {
  value: number;
  /** The unit text as written (trimmed), "" when there is none. */
  unit: string;
}

/** Splits "12.33 nm" into 12.33 and "nm"; undefined when the text does not start with a number. */
export function parseQuantity(text: string | undefined): Quantity | undefined {
  if (text === undefined) return undefined;
  const m = NUMBER_WITH_UNIT.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  if (!Number.isFinite(value)) return undefined;
  return { value, unit: m[2]!.trim() };
}

/**
 * Brings the many spellings of "micro" to one: the Latin-1 micro sign, the Greek
 * mu, a UTF-8 micro sign decoded as Latin-1 ("Âµ") or Greek mu so decoded ("Î¼"),
 * a Latin-1 micro sign decoded as UTF-8 (the replacement character before "m"),
 * and ImageJ's escaped "\u00B5" that some writers leave literally in the text.
 */
function normaliseMicro(unit: string): string {
  return unit
    .replace(/\\u00b5/gi, '\u00B5')
    .replace(/^\uFFFD(?=m$)/, '\u00B5')
    .replace(/\u00C2\u00B5/g, '\u00B5')
    .replace(/\u00CE\u00BC/g, '\u00B5')
    .replace(/\u03BC/g, '\u00B5');
}

/** Nanometres per unit of length, keyed by the lower-cased, micro-normalised unit. */
const NM_PER_LENGTH_UNIT: Record<string, number> = {
  pm: 1e-3,
  picometer: 1e-3,
  picometre: 1e-3,
  picometers: 1e-3,
  picometres: 1e-3,
  '\u00E5': 0.1, // Å (lower-cased)
  angstrom: 0.1,
  nm: 1,
  nanometer: 1,
  nanometre: 1,
  nanometers: 1,
  nanometres: 1,
  '\u00B5m': 1e3,
  um: 1e3,
  micron: 1e3,
  microns: 1e3,
  micrometer: 1e3,
  micrometre: 1e3,
  micrometers: 1e3,
  micrometres: 1e3,
  mm: 1e6,
  millimeter: 1e6,
  millimetre: 1e6,
  millimeters: 1e6,
  millimetres: 1e6,
  cm: 1e7,
  centimeter: 1e7,
  centimetre: 1e7,
  m: 1e9,
  meter: 1e9,
  metre: 1e9,
  meters: 1e9,
  metres: 1e9,
  inch: 2.54e7,
  inches: 2.54e7,
};

/** Nanometres per one `unit` (e.g. "µm" -> 1000), or undefined for an unknown unit. */
export function nmPerLengthUnit(unit: string): number | undefined {
  const key = normaliseMicro(unit.trim()).toLowerCase();
  return Object.prototype.hasOwnProperty.call(NM_PER_LENGTH_UNIT, key) ? NM_PER_LENGTH_UNIT[key] : undefined;
}

/** Volts per unit of voltage ("kV" -> 1000); case-insensitive because "KV" and "kv" occur. */
export function voltsPerUnit(unit: string): number | undefined {
  switch (unit.trim().toLowerCase()) {
    case 'v':
    case 'volt':
    case 'volts':
      return 1;
    case 'kv':
    case 'kilovolt':
    case 'kilovolts':
      return 1e3;
    case 'mv': // millivolt; "MV" (megavolt) does not occur on an SEM
      return 1e-3;
    default:
      return undefined;
  }
}

/** Formats a number for a notice with a few significant digits ("3.372", "12.33"). */
export function formatNumber(n: number): string {
  return Number(n.toPrecision(4)).toString();
}
