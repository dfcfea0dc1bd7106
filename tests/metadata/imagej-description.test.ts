import { describe, expect, it } from 'vitest';
import { isImageJDescription, parseImageJDescription } from '../../src-main/metadata/imagej-description';

function description(lines: string[]): string {
  return ['ImageJ=1.54f', ...lines].join('\n') + '\n';
}

const STACK = description(['images=500', 'slices=500', 'unit=nm', 'spacing=10.0', 'loop=false', 'min=0.0', 'max=255.0']);

describe('isImageJDescription', () => {
  it('recognises ImageJ descriptions only', () => {
    expect(isImageJDescription(STACK)).toBe(true);
    expect(isImageJDescription('  ImageJ=1.53t\n')).toBe(true);
    expect(isImageJDescription('{"shape": [2, 3]}')).toBe(false);
    expect(isImageJDescription(undefined)).toBe(false);
  });
});

describe('parseImageJDescription', () => {
  it('reads pixel size from XResolution/YResolution (px per unit) and spacing in nm', () => {
    const m = parseImageJDescription(STACK, { xResolution: 0.25, yResolution: 0.2 });
    expect(m.vendor).toBe('imagej');
    expect(m.pixelSizeXNm?.value).toBe(4);
    expect(m.pixelSizeXNm?.source).toBe('ImageJ description unit=nm, XResolution 0.25 px/nm');
    expect(m.pixelSizeYNm?.value).toBe(5);
    expect(m.sliceSpacingNm).toEqual({ value: 10, source: 'ImageJ description spacing=10.0 nm' });
    expect(m.raw['images']).toBe('500');
    expect(m.raw['ImageJ']).toBe('1.54f');
    expect(m.notices).toEqual([]);
  });

  it('reads the µm spellings ImageJ and others write', () => {
    for (const unit of ['micron', 'um', '\u00B5m', '\\u00B5m', '\u00C2\u00B5m']) {
      const m = parseImageJDescription(description(['images=3', `unit=${unit}`, 'spacing=0.01']), { xResolution: 200 });
      expect(m.pixelSizeXNm?.value, unit).toBeCloseTo(5, 9);
      expect(m.pixelSizeYNm?.value, unit).toBeCloseTo(5, 9); // no YResolution: square
      expect(m.sliceSpacingNm?.value, unit).toBeCloseTo(10, 9);
    }
  });

  it('reads mm and honours yunit / zunit when the axes differ', () => {
    const m = parseImageJDescription(description(['images=3', 'unit=mm', 'yunit=um', 'zunit=nm', 'spacing=12.5']), {
      xResolution: 200_000,
      yResolution: 250,
    });
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 9);
    expect(m.pixelSizeYNm?.value).toBeCloseTo(4, 9);
    expect(m.pixelSizeYNm?.source).toContain('yunit=um');
    expect(m.sliceSpacingNm?.value).toBeCloseTo(12.5, 9);
  });

  it('gives no pixel size for unit=pixel or no unit, with a notice', () => {
    for (const lines of [['images=5', 'unit=pixel', 'spacing=2'], ['images=5']]) {
      const m = parseImageJDescription(description(lines), { xResolution: 1 });
      expect(m.pixelSizeXNm).toBeUndefined();
      expect(m.sliceSpacingNm).toBeUndefined();
      expect(m.notices.join('\n')).toMatch(/not calibrated/);
    }
  });

  it('notices a missing XResolution, an unknown unit and an inch (dpi) unit', () => {
    const noRes = parseImageJDescription(STACK);
    expect(noRes.pixelSizeXNm).toBeUndefined();
    expect(noRes.sliceSpacingNm?.value).toBe(10); // spacing does not need the resolution
    expect(noRes.notices.join('\n')).toMatch(/no usable XResolution/);

    const unknown = parseImageJDescription(description(['unit=parsec']), { xResolution: 1 });
    expect(unknown.pixelSizeXNm).toBeUndefined();
    expect(unknown.notices.join('\n')).toMatch(/unit=parsec/);

    const inch = parseImageJDescription(description(['unit=inch']), { xResolution: 96 });
    expect(inch.pixelSizeXNm?.value).toBeCloseTo(2.54e7 / 96, 3);
    expect(inch.notices.join('\n')).toMatch(/dpi/);
    expect(inch.notices.join('\n')).toMatch(/unit mistake/);
  });

  it('assumes ImageJ\'s 1-unit spacing for a calibrated stack without a spacing line, and says so', () => {
    const m = parseImageJDescription(description(['images=40', 'slices=40', 'unit=micron']), { xResolution: 100 });
    expect(m.sliceSpacingNm?.value).toBe(1000);
    expect(m.notices.join('\n')).toMatch(/no spacing line/);

    const single = parseImageJDescription(description(['unit=nm']), { xResolution: 0.2 });
    expect(single.sliceSpacingNm).toBeUndefined();
    expect(single.notices).toEqual([]);
  });

  it('skips a malformed or non-positive spacing with a notice', () => {
    for (const spacing of ['abc', '0', '-10']) {
      const m = parseImageJDescription(description(['images=3', 'unit=nm', `spacing=${spacing}`]), { xResolution: 0.2 });
      expect(m.sliceSpacingNm, spacing).toBeUndefined();
      expect(m.notices.join('\n'), spacing).toMatch(/Ignored spacing/);
    }
  });

  it('drops its pixel-size notices when the vendor tag gives the pixel size', () => {
    const m = parseImageJDescription(description(['images=3', 'unit=pixel']), {}, { pixelSizeFromVendor: true });
    expect(m.notices).toEqual([]);
  });
});
