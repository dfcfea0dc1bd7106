import { describe, expect, it } from 'vitest';
import { matchSliceCount, parseThicknessTable } from '../../src-main/thickness';

const expected = [10.5, 9.25, 11, 8.75];

function values(text: string, opts = {}) {
  return parseThicknessTable(text, opts).thicknessNm;
}

describe('parseThicknessTable', () => {
  it('reads comma-separated slice,thickness_nm with a header', () => {
    const r = parseThicknessTable('slice,thickness_nm\n0,10.5\n1,9.25\n2,11\n3,8.75\n', { source: 'ruler' });
    expect(r.source).toBe('ruler');
    expect(r.thicknessNm).toEqual(expected);
    expect(r.sliceNumbers).toEqual([0, 1, 2, 3]);
    expect(r.firstSliceNumber).toBe(0);
  });

  it('reads semicolons with decimal commas, CRLF, comments and blank lines', () => {
    const text = '# ruler export\r\nSlice;Thickness (nm)\r\n\r\n1;10,5\r\n2;9,25\r\n# a note\r\n3;11\r\n4;8,75\r\n';
    const r = parseThicknessTable(text);
    expect(r.thicknessNm).toEqual(expected);
    expect(r.firstSliceNumber).toBe(1);
  });

  it('reads tab-separated values with a µm header and converts to nm', () => {
    const r = parseThicknessTable('slice\tthickness [µm]\n0\t0.0105\n1\t0.00925\n2\t0.011\n3\t0.00875\n');
    r.thicknessNm.forEach((t, i) => expect(t).toBeCloseTo(expected[i], 9));
    expect(r.notes.join(' ')).toMatch(/µm, converted to nm/);
  });

  it('reads um and m spellings in the header and a decimal comma in tabs', () => {
    values('slice\tthickness_um\n0\t0,0105\n').forEach((t) => expect(t).toBeCloseTo(10.5, 9));
    values('slice,thickness (m)\n0,1.05e-8\n').forEach((t) => expect(t).toBeCloseTo(10.5, 9));
  });

  it('differences z positions into thicknesses (slice i to i + 1)', () => {
    const r = parseThicknessTable('slice,z_nm\n0,0\n1,10.5\n2,19.75\n3,30.75\n4,39.5\n');
    expect(r.thicknessNm).toEqual(expected);
    expect(r.sliceNumbers).toEqual([0, 1, 2, 3]);
    expect(matchSliceCount(r, 5).thicknessNm).toEqual(expected);
  });

  it('reads a header-less table with the unit given, and z positions when told so', () => {
    expect(values('0,10.5\n1,9.25\n2,11\n3,8.75\n', { unit: 'nm' })).toEqual(expected);
    expect(values('0;0\n1;0,0105\n', { unit: 'µm', column: 'z' })[0]).toBeCloseTo(10.5, 9);
  });

  it('refuses a table without a unit, naming what to do', () => {
    expect(() => parseThicknessTable('slice,thickness\n0,10\n', { fileName: 'ruler.csv' })).toThrow(
      expect.objectContaining({ tag: 'invalid_input', message: expect.stringMatching(/ruler\.csv: .*does not say the unit.*thickness_nm/) }),
    );
    expect(() => parseThicknessTable('0,10\n1,11\n')).toThrow(/choose the unit/);
  });

  it('refuses a unit that contradicts the header, and an unknown unit', () => {
    expect(() => parseThicknessTable('slice,thickness_nm\n0,10\n', { unit: 'µm' })).toThrow(/header says.*nm but µm was chosen/);
    expect(() => parseThicknessTable('0,10\n', { unit: 'furlong' })).toThrow(/not a unit of length/);
    expect(values('slice,thickness_nm\n0,10\n', { unit: 'nm' })).toEqual([10]);
  });

  it('reads NaN and empty cells as not measured', () => {
    expect(values('slice;thickness_nm\n0;NaN\n1;\n2;10\n')).toEqual([null, null, 10]);
  });

  it('names the line of a bad number, a bad slice number, a short row and a duplicate', () => {
    expect(() => parseThicknessTable('slice,thickness_nm\n0,10\n1,ten\n')).toThrow(/line 3: "ten" is not a number/);
    expect(() => parseThicknessTable('slice,thickness_nm\n0,10\n1.5,10\n')).toThrow(/line 3: the slice number "1.5"/);
    expect(() => parseThicknessTable('slice,thickness_nm\n0,10\n1\n')).toThrow(/line 3 has 1 cell/);
    expect(() => parseThicknessTable('slice,thickness_nm\n0,10\n0,11\n')).toThrow(/slice 0 appears twice \(lines 2 and 3\)/);
    expect(() => parseThicknessTable('slice,z_nm\n0,0\n2,10\n')).toThrow(/slices 0 and 2 but none in between/);
    expect(() => parseThicknessTable('# nothing\n\n')).toThrow(/has no rows/);
  });

  it('refuses binary bytes as not a table, and shows an odd cell cut and printable', () => {
    // Bytes of an image read as UTF-8: NULs and invalid sequences.
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 181 + 7) % 256));
    expect(() => parseThicknessTable(bytes.toString('utf8'), { fileName: 'image.tif' })).toThrow(/^image\.tif: is not a text table \(it holds binary bytes\): choose the CSV or TSV file/);
    const odd = `1\u0007${'x'.repeat(500)}`;
    let message = '';
    try {
      parseThicknessTable(`slice,thickness_nm\n0,10\n1,${odd}\n`);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/line 3: "1\?x{38}…" is not a number/);
    expect(message.length).toBeLessThan(200);
  });

  it('sorts rows by slice number, with a note', () => {
    const r = parseThicknessTable('slice,thickness_nm\n1,9\n0,10\n');
    expect(r.thicknessNm).toEqual([10, 9]);
    expect(r.notes.join(' ')).toMatch(/sorted/);
  });
});

describe('matchSliceCount', () => {
  const parsed = parseThicknessTable('slice,thickness_nm\n1,10\n2,11\n3,12\n5,13\n');
  it('names the missing and extra slice numbers', () => {
    expect(() => matchSliceCount(parsed, 5)).toThrow(/5 slice\(s\), so 4 thickness\(es\).*lacks the thickness after slice 4/);
    expect(() => matchSliceCount(parsed, 3)).toThrow(/has thicknesses after slices 3, 5 that the stack does not have/);
  });
  it('drops one value for the milling after the last slice, with a note', () => {
    const r = matchSliceCount(parseThicknessTable('slice,thickness_nm\n1,10\n2,11\n3,12\n'), 3);
    expect(r.thicknessNm).toEqual([10, 11]);
    expect(r.notes.join(' ')).toMatch(/after the last slice \(slice 3\): not used/);
  });
});
