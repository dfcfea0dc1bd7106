// The region of interest of the Import step: a drag on the preview becomes a
// rectangle of whole image pixels, whatever the direction of the drag, clamped
// to the image; typed fields are checked against the image.
import { describe, expect, it } from 'vitest';
import { EMPTY_ROI, parseRoi, rectFromDrag, roiText } from '../../src-renderer/components/roi-math';

describe('rectFromDrag', () => {
  it('maps canvas fractions to pixel edges of the image, in any drag direction', () => {
    expect(rectFromDrag({ fx: 0.25, fy: 0.1 }, { fx: 0.75, fy: 0.6 }, 120, 90)).toEqual({ x: 30, y: 9, width: 60, height: 45 });
    expect(rectFromDrag({ fx: 0.75, fy: 0.6 }, { fx: 0.25, fy: 0.1 }, 120, 90)).toEqual({ x: 30, y: 9, width: 60, height: 45 });
  });
  it('clamps a drag that leaves the image and ignores a click', () => {
    expect(rectFromDrag({ fx: -0.2, fy: 0.5 }, { fx: 0.1, fy: 1.3 }, 100, 50)).toEqual({ x: 0, y: 25, width: 10, height: 25 });
    expect(rectFromDrag({ fx: 0.5, fy: 0.5 }, { fx: 0.501, fy: 0.9 }, 100, 50)).toBeNull();
  });
});

describe('parseRoi', () => {
  it('reads empty fields as no region and four whole numbers as one', () => {
    expect(parseRoi(EMPTY_ROI)).toBeUndefined();
    expect(parseRoi(roiText({ x: 3, y: 4, width: 10, height: 20 }), { width: 13, height: 24 })).toEqual({ x: 3, y: 4, width: 10, height: 20 });
  });
  it('says what is wrong with partial, fractional, empty or oversized regions', () => {
    expect(parseRoi({ ...EMPTY_ROI, x: '3' })).toMatch(/all four/);
    expect(parseRoi({ x: '1.5', y: '0', width: '4', height: '4' })).toMatch(/whole pixels/);
    expect(parseRoi({ x: '0', y: '0', width: '0', height: '4' })).toMatch(/whole pixels/);
    expect(parseRoi({ x: '10', y: '0', width: '4', height: '4' }, { width: 13, height: 24 })).toMatch(/does not fit in the 13 × 24 px image/);
  });
});
