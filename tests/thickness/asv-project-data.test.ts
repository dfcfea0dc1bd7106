import { describe, expect, it } from 'vitest';
import { matchSliceCount, parseAsvProjectData } from '../../src-main/thickness';

const slice = (n: number | null, target: string, measured: string | null) =>
  `<Slice>${n === null ? '' : `<Number>${n}</Number>`}<TargetThickness>${target}</TargetThickness>${measured === null ? '' : `<MeasuredThickness>${measured}</MeasuredThickness>`}</Slice>\n`;
const doc = (body: string) => `<?xml version="1.0"?>\n<ProjectData>\n<Results>\n${body}</Results>\n</ProjectData>\n`;

describe('parseAsvProjectData', () => {
  it('converts metres to nm, NaN to null, and keeps the target', () => {
    const r = parseAsvProjectData(doc(slice(1, '1.0E-08', '9.5E-09') + slice(2, '1.0E-08', 'NaN') + slice(3, '1.0E-08', '4.0E-10')));
    expect(r.thicknessNm[0]).toBeCloseTo(9.5, 9);
    expect(r.thicknessNm[1]).toBeNull();
    expect(r.thicknessNm[2]).toBeCloseTo(0.4, 9);
    expect(r.targetNm!.map((t) => Math.round(t! * 1e6) / 1e6)).toEqual([10, 10, 10]);
    expect(r.firstSliceNumber).toBe(1);
    expect(matchSliceCount(r, 4).thicknessNm).toHaveLength(3);
  });

  it('reads attributes, a decimal comma, Results nested deeper, and numbers slices by order when none are given', () => {
    const text = `<Root><Run><Results><Slice Index="0" MeasuredThickness="1,2E-08" TargetThickness="1E-08"/><Slice Index="1" MeasuredThickness="8E-09" TargetThickness="1E-08"/></Results></Run></Root>`;
    const r = parseAsvProjectData(text);
    expect(r.sliceNumbers).toEqual([0, 1]);
    expect(r.firstSliceNumber).toBe(0);
    expect(r.thicknessNm[0]).toBeCloseTo(12, 9);
    const un = parseAsvProjectData(doc(slice(null, '1E-08', '1E-08') + slice(null, '1E-08', '2E-08')));
    expect(un.sliceNumbers).toEqual([1, 2]);
    expect(un.notes.join(' ')).toMatch(/numbered 1, 2/);
  });

  it('treats a missing MeasuredThickness as not measured, with a note', () => {
    const r = parseAsvProjectData(doc(slice(1, '1E-08', null)));
    expect(r.thicknessNm).toEqual([null]);
    expect(r.notes.join(' ')).toMatch(/no MeasuredThickness/);
  });

  it('reads a cut-off file up to the cut', () => {
    const text = doc(slice(1, '1E-08', '1E-08') + slice(2, '1E-08', '2E-08')).slice(0, -40);
    const r = parseAsvProjectData(text);
    expect(r.thicknessNm.length).toBeGreaterThanOrEqual(1);
    expect(r.notes.join(' ')).toMatch(/cut off/);
  });

  it('names the line of a bad value and of a duplicate slice number', () => {
    expect(() => parseAsvProjectData(doc(slice(1, '1E-08', '1E-08') + slice(2, '1E-08', 'ten nm')), 'PD.dat')).toThrow(
      expect.objectContaining({ tag: 'corrupt_file', message: expect.stringMatching(/PD\.dat, slice element 2 \(line 5\): MeasuredThickness "ten nm" is not a number/) }),
    );
    expect(() => parseAsvProjectData(doc(slice(1, '1E-08', '1E-08') + slice(1, '1E-08', '1E-08')))).toThrow(/slice number 1 appears twice/);
  });

  it('refuses text that is not XML or has no Results/Slice', () => {
    expect(() => parseAsvProjectData('<a><b></a>')).toThrow(expect.objectContaining({ tag: 'corrupt_file', message: expect.stringMatching(/not readable XML/) }));
    expect(() => parseAsvProjectData('<ProjectData><Name>x</Name></ProjectData>')).toThrow(/no Results\/Slice elements/);
  });
});
