// Numbers in messages rounded to the precision that matters (src-shared/format-number.ts),
// and the uneven-z refusal of one-spacing export formats that uses them.
import { describe, expect, it } from 'vitest';
import { roundedNumber, roundedPair } from '../../src-shared/format-number';
import { requireValidVolume } from '../../src-main/export/uniform-z';

describe('rounded numbers', () => {
  it('two decimals at most, trailing zeros dropped', () => {
    expect(roundedNumber(10.227435483870968)).toBe('10.23');
    expect(roundedNumber(10)).toBe('10');
    expect(roundedNumber(2.5)).toBe('2.5');
    expect(roundedNumber(0.125, 3)).toBe('0.125');
    expect(roundedNumber(-0.001)).toBe('0');
  });

  it('a pair gets the decimals that tell the two apart', () => {
    expect(roundedPair(10.227435483870968, 10)).toEqual(['10.23', '10']);
    expect(roundedPair(10.0004, 10)).toEqual(['10.0004', '10']);
    expect(roundedPair(10, 10)).toEqual(['10', '10']);
  });

  it('the export refusal for uneven z names the gap rounded, not to 15 digits', () => {
    const z = [0, 10, 20.227435483870968, 30];
    const info = { shape: [4, 2, 2] as const, dtype: 'uint8' as const, voxelSizeNm: { x: 5, y: 5, z: 10 }, zPositionsNm: z };
    expect(() => requireValidVolume(info, 'AmiraMesh', true)).toThrow(
      'AmiraMesh stores one slice spacing, but the slices are not evenly spaced: slices 1 and 2 are 10.23 nm apart while the voxel size along z is 10 nm.',
    );
  });
});
