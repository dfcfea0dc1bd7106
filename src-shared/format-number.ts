// Numbers in messages: rounded to the precision that matters for reading
// (10.227435483870968 nm -> 10.23 nm), used by the main process and the renderer.

/** At most `decimals` decimals, trailing zeros dropped: 10.227435 -> "10.23", 10 -> "10". */
export function roundedNumber(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return String(value);
  const s = Number(value.toFixed(decimals));
  return String(Object.is(s, -0) ? 0 : s);
}

/**
 * Two numbers set against each other ("a apart while b"): each to 2 decimals, or to as many more
 * (up to 6) as it takes for them not to read the same.
 */
export function roundedPair(a: number, b: number): [string, string] {
  for (let d = 2; d <= 6; d++) {
    const pair: [string, string] = [roundedNumber(a, d), roundedNumber(b, d)];
    if (pair[0] !== pair[1] || a === b) return pair;
  }
  return [String(a), String(b)];
}
