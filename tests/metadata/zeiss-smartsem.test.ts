import { describe, expect, it } from 'vitest';
import { parseZeissMetadata } from '../../src-main/metadata/zeiss-smartsem';

/** CZ_SEM text as SmartSEM writes it: some unnamed numbers, then code / "Label = value" pairs, CRLF, Latin-1 µ. */
function czSem(pairs: [string, string][]): string {
  const head = ['', '0', '3072', '2048', '1.233e-008', ''];
  return [...head, ...pairs.flat(), 'END', ''].join('\r\n');
}

const CROSSBEAM: [string, string][] = [
  ['SV_SERIAL_NUMBER', 'Serial No. = 4010-42'],
  ['AP_WD', 'WD = 5.1 mm'],
  ['AP_IMAGE_PIXEL_SIZE', 'Image Pixel Size = 12.33 nm'],
  ['AP_PIXEL_SIZE', 'Pixel Size = 36.99 nm'],
  ['AP_WIDTH', 'Width = 37.88 \u00B5m'],
  ['AP_HEIGHT', 'Height = 25.25 \u00B5m'],
  ['AP_ACTUALKV', 'EHT = 2.00 kV'],
  ['AP_MANUALKV', 'EHT Target = 2.00 kV'],
  ['DP_DETECTOR_TYPE', 'Detector = HE-SE2'],
  ['DP_DETECTOR_CHANNEL', 'Signal A = InLens'],
  ['DP_IMAGE_STORE', 'Store resolution = 3072 * 2048'],
  ['AP_MAG', 'Mag = 9.06 K X'],
  ['AP_STAGE_AT_T', 'Stage at T = 54.0 \u00B0'],
  ['AP_DATE', 'Date :22 Jan 2026'],
  ['AP_TIME', 'Time :10:31:07'],
];

function without(codes: string[], pairs = CROSSBEAM): [string, string][] {
  return pairs.filter(([c]) => !codes.includes(c));
}

describe('parseZeissMetadata', () => {
  it('reads Image Pixel Size, EHT, detector and the stored rows', () => {
    const m = parseZeissMetadata(czSem(CROSSBEAM), { width: 3072, height: 2148 });
    expect(m.vendor).toBe('zeiss');
    expect(m.pixelSizeXNm).toEqual({ value: 12.33, source: 'ZEISS tag 34118 AP_IMAGE_PIXEL_SIZE (Image Pixel Size)' });
    expect(m.pixelSizeYNm?.value).toBe(12.33);
    expect(m.beamVoltageV).toEqual({ value: 2000, source: 'ZEISS tag 34118 AP_ACTUALKV (EHT = 2.00 kV)' });
    expect(m.detector?.value).toBe('HE-SE2');
    expect(m.detector?.source).toContain('DP_DETECTOR_TYPE');
    expect(m.imageRows?.value).toBe(2048);
    expect(m.notices).toEqual([]);
  });

  it('keeps every parameter in raw, including ":" labels and the degree sign', () => {
    const m = parseZeissMetadata(czSem(CROSSBEAM), { width: 3072, height: 2048 });
    expect(m.raw['AP_WIDTH']).toBe('Width = 37.88 \u00B5m');
    expect(m.raw['AP_TIME']).toBe('Time = 10:31:07');
    expect(m.raw['AP_STAGE_AT_T']).toBe('Stage at T = 54.0 \u00B0');
    expect(Object.keys(m.raw)).toHaveLength(CROSSBEAM.length);
    expect(m.imageRows).toBeUndefined(); // the TIFF has no data zone rows
  });

  it('never uses "Pixel Size" (1024-px frame): with only that, there is no pixel size and a notice', () => {
    const m = parseZeissMetadata(czSem(without(['AP_IMAGE_PIXEL_SIZE', 'AP_WIDTH'])), { width: 3072, height: 2048 });
    expect(m.pixelSizeXNm).toBeUndefined();
    expect(m.notices.join('\n')).toMatch(/1024-px-wide frame/);
  });

  it('falls back to Width / image width, and says so', () => {
    const m = parseZeissMetadata(czSem(without(['AP_IMAGE_PIXEL_SIZE'])), { width: 3072, height: 2048 });
    expect(m.pixelSizeXNm?.value).toBeCloseTo(37880 / 3072, 9);
    expect(m.pixelSizeXNm?.source).toBe('ZEISS tag 34118 AP_WIDTH (Width = 37.88 \u00B5m) / image width 3072 px');
    expect(m.pixelSizeYNm?.value).toBeCloseTo(37880 / 3072, 9);
  });

  it('reads µm however it was decoded: Latin-1 µ, "um", UTF-8 read as Latin-1 ("Âµm"), Greek mu', () => {
    for (const unit of ['\u00B5m', 'um', '\u00C2\u00B5m', '\u03BCm']) {
      const pairs: [string, string][] = [['AP_WIDTH', `Width = 25.24 ${unit}`]];
      const m = parseZeissMetadata(czSem(pairs), { width: 2048, height: 1536 });
      expect(m.pixelSizeXNm?.value, unit).toBeCloseTo(25240 / 2048, 9);
    }
  });

  it('reads pm, nm, µm and mm pixel sizes, and V or kV', () => {
    const cases: [string, number][] = [
      ['558.2 pm', 0.5582],
      ['12.33 nm', 12.33],
      ['1.5 \u00B5m', 1500],
      ['0.001 mm', 1000],
    ];
    for (const [text, nm] of cases) {
      const m = parseZeissMetadata(czSem([['AP_IMAGE_PIXEL_SIZE', `Image Pixel Size = ${text}`]]));
      expect(m.pixelSizeXNm?.value, text).toBeCloseTo(nm, 9);
    }
    const v = parseZeissMetadata(czSem([['AP_ACTUALKV', 'EHT = 500 V']]));
    expect(v.beamVoltageV?.value).toBe(500);
  });

  it('skips a malformed Image Pixel Size with a notice and uses Width instead', () => {
    const pairs: [string, string][] = [
      ['AP_IMAGE_PIXEL_SIZE', 'Image Pixel Size = ?? nm'],
      ['AP_WIDTH', 'Width = 25.24 \u00B5m'],
      ['AP_ACTUALKV', 'EHT = 2.00 furlongs'],
    ];
    const m = parseZeissMetadata(czSem(pairs), { width: 2048, height: 1536 });
    expect(m.pixelSizeXNm?.source).toContain('AP_WIDTH');
    expect(m.beamVoltageV).toBeUndefined();
    const notices = m.notices.join('\n');
    expect(notices).toMatch(/AP_IMAGE_PIXEL_SIZE "Image Pixel Size = \?\? nm"/);
    expect(notices).toMatch(/AP_ACTUALKV/);
  });

  it('takes the detector channel when there is no detector type, and AP_MANUALKV when there is no actual kV', () => {
    const m = parseZeissMetadata(czSem(without(['DP_DETECTOR_TYPE', 'AP_ACTUALKV'])), { width: 3072, height: 2048 });
    expect(m.detector?.value).toBe('InLens');
    expect(m.beamVoltageV?.value).toBe(2000);
    expect(m.beamVoltageV?.source).toContain('AP_MANUALKV');
  });

  it('warns when the image is no longer the stored width (resized), pixel size kept', () => {
    const m = parseZeissMetadata(czSem(CROSSBEAM), { width: 1536, height: 1024 });
    expect(m.pixelSizeXNm?.value).toBe(12.33);
    expect(m.imageRows).toBeUndefined();
    expect(m.notices.join('\n')).toMatch(/stored 3072 px wide.*1536 px/);
  });

  it('flags an implausible pixel size and says so when the tag has no codes', () => {
    const odd = parseZeissMetadata(czSem([['AP_IMAGE_PIXEL_SIZE', 'Image Pixel Size = 12.33 mm']]));
    expect(odd.pixelSizeXNm?.value).toBeCloseTo(12.33e6, 3);
    expect(odd.notices.join('\n')).toMatch(/probably a unit mistake/);

    const empty = parseZeissMetadata('0\r\n1024\r\n', { width: 10, height: 10 });
    expect(empty.raw).toEqual({});
    expect(empty.notices).toHaveLength(1);
  });
});
