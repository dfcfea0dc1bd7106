// What the Quality and Export steps say: numbers with their precision, hover
// definitions, two results compared, destination extensions.
import { describe, expect, it } from 'vitest';
import type { ExportFormatInfo } from '../../src-shared/contract';
import { METRIC_NAMES, type StoredMetrics } from '../../src-shared/metric-definitions';
import { compareResults, formatDiff, formatLine, formatMetricValue, metricTitle, pathWithExtension, resultLabel } from '../../src-renderer/components/quality-text';
import { formatDateTime } from '../../src-renderer/format';
import { niceStep } from '../../src-renderer/components/curve-draw';

const result = (runId: number, values: StoredMetrics['values']): StoredMetrics => ({ runId, volume: 'v', truth: null, when: '2026-01-01T00:00:00Z', params: {}, values, curves: null });
const fmt = (id: string, ext: string[]): ExportFormatInfo => ({ id, name: id, extensions: ext, readBy: ['Fiji', 'ITK'], supportsLabels: false, supportsNonUniformZ: false, notes: '' });

describe('quality text', () => {
  it('formats every metric with its precision, sd for patches, a dash for undefined', () => {
    expect(formatMetricValue({ name: 'e_tpcf', value: 0.012345, unit: '-' })).toBe('0.0123');
    expect(formatMetricValue({ name: 'd_xy', value: 23.456, unit: 'nm' })).toBe('23.5');
    expect(formatMetricValue({ name: 'mp', value: 1.23456, unit: '%' })).toBe('1.235');
    expect(formatMetricValue({ name: 'e_d', value: 0.1, unit: '-', sd: 0.02 })).toBe('0.1000 ± 0.0200');
    expect(formatMetricValue({ name: 'mgp', value: null, unit: '%' })).toBe('—');
    // The solid fraction is stored as 0..1 and read in per cent.
    expect(formatMetricValue({ name: 'solid_fraction', value: 0.2191, unit: '-' })).toBe('21.9 %');
    expect(formatMetricValue({ name: 'solid_fraction', value: 0.2191, unit: '-', sd: 0.0123 })).toBe('21.9 ± 1.2 %');
    expect(formatMetricValue({ name: 'solid_fraction', value: null, unit: '-' })).toBe('—');
    expect(formatDiff('solid_fraction', 0.3 - 0.2191)).toBe('+8.1 %');
  });

  it('dates in the user\'s locale, not US or ISO', () => {
    const when = '2026-11-21T17:30:00Z';
    expect(formatDateTime(when, 'de-DE')).toMatch(/^21\.11\.2026, \d\d:30$/);
    expect(formatDateTime(when, 'en-GB')).toMatch(/^21 Nov 2026, \d\d:30$/);
    expect(formatDateTime(when)).toBe(new Date(when).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
    expect(formatDateTime('not a date')).toBe('not a date');
    expect(resultLabel(result(3, []))).toBe(`#3 v · ${formatDateTime('2026-01-01T00:00:00Z')}`);
  });

  it('has a definition with the unit for every metric', () => {
    for (const n of METRIC_NAMES) expect(metricTitle(n).length).toBeGreaterThan(30);
    expect(metricTitle('d_xz')).toMatch(/^D_xz: .*\(unit nm\)$/);
    expect(metricTitle('e_tpcf')).toMatch(/0 = isotropic.*\(no unit\)$/);
  });

  it('compares two results: every metric of either, b - a with its sign', () => {
    const a = result(1, [{ name: 'e_tpcf', value: 0.05, unit: '-' }, { name: 'd_xy', value: 20, unit: 'nm' }]);
    const b = result(2, [{ name: 'e_tpcf', value: 0.03, unit: '-' }, { name: 'd_xy', value: 22.5, unit: 'nm' }, { name: 'mp', value: 3, unit: '%' }]);
    const rows = compareResults(a, b);
    expect(rows.map((r) => [r.name, r.diff === null ? null : Number(r.diff.toFixed(6))])).toEqual([['e_tpcf', -0.02], ['d_xy', 2.5], ['mp', null]]);
    expect(rows.map((r) => formatDiff(r.name, r.diff))).toEqual(['−0.0200', '+2.5', '—']);
    expect(formatDiff('e_d', 0)).toBe('±0.0000');
  });

  it('export formats: one line with the readers; the destination takes the chosen extension', () => {
    const am = fmt('amira-mesh', ['.am']);
    const zarr = fmt('ome-zarr', ['.ome.zarr']);
    const nrrd = fmt('nrrd', ['.nrrd']);
    expect(formatLine(am)).toBe('amira-mesh (.am) — read by Fiji, ITK');
    expect(pathWithExtension('/d/labels.am', nrrd, [am, zarr, nrrd])).toBe('/d/labels.nrrd');
    expect(pathWithExtension('/d/labels.ome.zarr', am, [am, zarr, nrrd])).toBe('/d/labels.am');
    expect(pathWithExtension('/d/labels', am, [am, zarr, nrrd])).toBe('/d/labels.am');
    expect([niceStep(20), niceStep(0.9, 4), niceStep(0)]).toEqual([5, 0.5, 1]);
  });
});
