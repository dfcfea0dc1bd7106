// How numbers are shown: units always written out, precision fit for reading.

export function formatMegabytes(bytes: number): string {
  const mb = bytes / 1e6;
  return `${mb < 10 ? mb.toFixed(2) : mb.toFixed(1)} MB`;
}

/** Voxel sizes: up to 3 decimals, trailing zeros dropped (5, 2.5, 0.125). */
export function formatNm(nm: number): string {
  return String(Number(nm.toFixed(3)));
}

export function formatVoltage(volts: number): string {
  return volts >= 1000 ? `${Number((volts / 1000).toFixed(2))} kV` : `${Number(volts.toFixed(0))} V`;
}

export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)} %`;
}

/** A date and time in the user's locale (the system's, in the desktop app), e.g. 21.11.2026, 17:30 in Germany; the text as given when it is not a date. */
export function formatDateTime(when: string | number | Date, locale?: string): string {
  const d = new Date(when);
  if (Number.isNaN(d.getTime())) return String(when);
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
