// Header text as bytes. Headers are ASCII by construction (numbers, keywords,
// file names are checked by the callers), so UTF-8 encoding is byte-exact.

export function asciiBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Shortest decimal that reads back as the same double (JS number formatting). */
export function formatNumber(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}

/** v nm in metres, as the double nearest to v * 1e-9 (no 2.6000000000000003e-9 noise). */
export function nmToMetres(v: number): number {
  const [mantissa, exp] = v.toExponential().split('e');
  return Number(`${mantissa}e${Number(exp) - 9}`);
}

/** Exponent form with a two-digit exponent, e.g. 2.6e-09 (as in Dragonfly's own .dat files). */
export function formatExponent(v: number): string {
  const [mantissa, exp] = v.toExponential().split('e');
  const sign = exp.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
}
