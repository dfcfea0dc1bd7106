import { describe, expect, it } from 'vitest';
import {
  nmPerLengthUnit,
  parseQuantity,
  parseStrictNumber,
  voltsPerUnit,
} from '../../src-main/metadata/numbers-and-units';

describe('parseStrictNumber', () => {
  it('reads the forms instruments write', () => {
    expect(parseStrictNumber('3.3724e-006')).toBe(3.3724e-6);
    expect(parseStrictNumber(' 5000 ')).toBe(5000);
    expect(parseStrictNumber('-6.9e-013')).toBe(-6.9e-13);
    expect(parseStrictNumber('.5')).toBe(0.5);
    expect(parseStrictNumber('1.')).toBe(1);
  });

  it('refuses what Number() would quietly accept or turn into NaN', () => {
    for (const bad of ['', ' ', 'notafloat', '0x10', '1e', '3.3724e-006 m', '1,5', 'Infinity', 'NaN', '1e400']) {
      expect(parseStrictNumber(bad), bad).toBeUndefined();
    }
    expect(parseStrictNumber(undefined)).toBeUndefined();
  });
});

describe('parseQuantity', () => {
  it('splits number and unit', () => {
    expect(parseQuantity('12.33 nm')).toEqual({ value: 12.33, unit: 'nm' });
    expect(parseQuantity('25.00 kV')).toEqual({ value: 25, unit: 'kV' });
    expect(parseQuantity('=500.0 V')).toEqual({ value: 500, unit: 'V' });
    expect(parseQuantity('3.1e-9m')).toEqual({ value: 3.1e-9, unit: 'm' });
    expect(parseQuantity('42')).toEqual({ value: 42, unit: '' });
  });

  it('refuses text that does not start with a number', () => {
    expect(parseQuantity('nm 12')).toBeUndefined();
    expect(parseQuantity('')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
  });
});

describe('nmPerLengthUnit', () => {
  it('knows every spelling of micrometre that occurs', () => {
    for (const u of ['\u00B5m', '\u03BCm', 'um', 'micron', 'microns', '\u00C2\u00B5m', '\u00CE\u00BCm', '\\u00B5m', ' µm ', '\uFFFDm']) {
      expect(nmPerLengthUnit(u), JSON.stringify(u)).toBe(1000);
    }
  });

  it('knows the other lengths', () => {
    expect(nmPerLengthUnit('pm')).toBe(1e-3);
    expect(nmPerLengthUnit('nm')).toBe(1);
    expect(nmPerLengthUnit('NM')).toBe(1);
    expect(nmPerLengthUnit('mm')).toBe(1e6);
    expect(nmPerLengthUnit('m')).toBe(1e9);
    expect(nmPerLengthUnit('\u00C5')).toBe(0.1);
    expect(nmPerLengthUnit('inch')).toBe(2.54e7);
  });

  it('says undefined for units it does not know, and for pixels', () => {
    expect(nmPerLengthUnit('pixel')).toBeUndefined();
    expect(nmPerLengthUnit('furlong')).toBeUndefined();
    expect(nmPerLengthUnit('')).toBeUndefined();
    expect(nmPerLengthUnit('toString')).toBeUndefined(); // not an inherited property
  });
});

describe('voltsPerUnit', () => {
  it('reads V and kV in any case', () => {
    expect(voltsPerUnit('V')).toBe(1);
    expect(voltsPerUnit('kV')).toBe(1000);
    expect(voltsPerUnit('KV')).toBe(1000);
    expect(voltsPerUnit('kv')).toBe(1000);
    expect(voltsPerUnit('A')).toBeUndefined();
  });
});
