import { describe, expect, it } from 'vitest';
import { repositionSlices, defaultGridSpacingNm } from '../../src-main/geometry/reposition-slices';
import { buildRepositionedVolume } from '../../src-main/geometry/reposition-volume';
import { fillGaps } from '../../src-main/geometry/gap-fill';
import { random } from '../helpers/random';

function strictlyIncreasing(a: number[]): boolean {
  return a.every((v, i) => i === 0 || v > a[i - 1]);
}

describe('repositionSlices', () => {
  it('rounds to the grid when nothing collides', () => {
    const r = repositionSlices([0, 10.2, 19.9, 29.26], 2.5);
    expect(r.gridIndex).toEqual([0, 4, 8, 12]);
    expect(r.moved).toBe(0);
    expect(r.gridLength).toBe(13);
    expect(r.maxShiftNm).toBeCloseTo(0.74, 12);
    expect(r.meanShiftNm).toBeCloseTo((0 + 0.2 + 0.1 + 0.74) / 4, 12);
  });

  it('moves the later slice deeper when that costs less (and on a tie)', () => {
    // 10.0 and 10.9 both round to 4; moving the later to 5 costs 1.6 nm, the earlier to 3 costs 2.5 nm.
    const r = repositionSlices([0, 10, 10.9], 2.5);
    expect(r.gridIndex).toEqual([0, 4, 5]);
    expect(r.moved).toBe(1);
    expect(r.maxShiftNm).toBeCloseTo(12.5 - 10.9, 12);
    // Exactly symmetric: 10 and 10 (both at index 4): tie, the later slice goes to 5.
    expect(repositionSlices([0, 10, 10], 2.5).gridIndex).toEqual([0, 4, 5]);
  });

  it('moves the earlier slice up when that costs less', () => {
    // 9.0 and 10.0 round to 4 (9 / 2.5 = 3.6); earlier to 3 costs |7.5 - 9| = 1.5 vs later to 5 costs 2.5 (+ 1 for the earlier staying).
    const r = repositionSlices([0, 9, 10], 2.5);
    expect(r.gridIndex).toEqual([0, 3, 4]);
    expect(r.moved).toBe(1);
  });

  it('never moves a slice onto index -1 or onto an occupied index', () => {
    expect(repositionSlices([0, 0.5], 2.5).gridIndex).toEqual([0, 1]);
    // 2.4 and 2.6 round to 1; 0 is taken by slice 0, so the later one goes to 2.
    expect(repositionSlices([0, 2.4, 2.6], 2.5).gridIndex).toEqual([0, 1, 2]);
  });

  it('cascades a run of thin slices and keeps every slice (ASV-like <= 1 nm thicknesses)', () => {
    const z = [0, 0.5, 1, 1.5, 2, 12, 12.4];
    const r = repositionSlices(z, 2.5);
    expect(r.gridIndex).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(r.gridIndex).size).toBe(z.length);
    expect(r.moved).toBe(5);
  });

  it('random positions: all slices kept, order kept, shifts reported consistently', () => {
    const rnd = random(7);
    const z = [0];
    for (let i = 0; i < 400; i++) z.push(z[z.length - 1] + (rnd() < 0.15 ? rnd() : 4 + 12 * rnd()));
    const r = repositionSlices(z, 2.5);
    expect(r.gridIndex.length).toBe(z.length);
    expect(strictlyIncreasing(r.gridIndex)).toBe(true);
    const shifts = r.gridIndex.map((g, i) => Math.abs(g * 2.5 - z[i]));
    expect(r.maxShiftNm).toBeCloseTo(Math.max(...shifts), 9);
    expect(r.meanShiftNm).toBeCloseTo(shifts.reduce((a, b) => a + b, 0) / shifts.length, 9);
    expect(r.moved).toBe(r.gridIndex.filter((g, i) => g !== Math.round(z[i] / 2.5)).length);
    expect(r.moved).toBeGreaterThan(0);
  });

  it('refuses bad input with a message', () => {
    expect(() => repositionSlices([0, 5, 4], 2.5)).toThrow(/thicknesses must not be negative/);
    expect(() => repositionSlices([0, 5], 0)).toThrow(/positive/);
    expect(() => repositionSlices([], 2.5)).toThrow(/no slices/);
    expect(() => repositionSlices([Number.NaN], 2.5)).toThrow(/finite/);
  });

  it('defaults the grid to the in-plane pixel size', () => {
    expect(defaultGridSpacingNm({ x: 2.5, y: 2.5 })).toBe(2.5);
    expect(defaultGridSpacingNm({ x: 3, y: 2 })).toBe(2);
  });
});

describe('buildRepositionedVolume', () => {
  it('places copies of the measured slices at their indices and marks the gaps', () => {
    const slices = [Uint16Array.of(1, 2), Uint16Array.of(3, 4), Uint16Array.of(5, 6)];
    const measured = { shape: [3, 1, 2] as const, dtype: 'uint16' as const, voxelSizeNm: { x: 2.5, y: 2.5, z: 10 }, zPositionsNm: [0, 7.6, 20], slices };
    const p = repositionSlices(measured.zPositionsNm, 2.5);
    const rep = buildRepositionedVolume(measured, p);
    expect(rep.volume.shape).toEqual([9, 1, 2]);
    expect(Array.from(rep.known)).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(Array.from(rep.sourceSlice)).toEqual([0, -1, -1, 1, -1, -1, -1, -1, 2]);
    expect(Array.from(rep.volume.slices[3])).toEqual([3, 4]);
    expect(rep.volume.slices[3]).not.toBe(slices[1]);
    expect(rep.volume.voxelSizeNm.z).toBe(2.5);
    expect(rep.volume.zPositionsNm[8]).toBe(20);
  });

  it('shareMeasured + fillGaps inPlace: the same voxels as the copying path, measured planes are the input arrays', () => {
    const rnd = random(3);
    const slices = Array.from({ length: 6 }, () => Uint16Array.from({ length: 20 }, () => Math.floor(4000 * rnd())));
    const measured = { shape: [6, 4, 5] as const, dtype: 'uint16' as const, voxelSizeNm: { x: 2.5, y: 2.5, z: 10 }, zPositionsNm: [0, 9, 21, 30, 38, 52], slices };
    const before = slices.map((s) => s.slice());
    const p = repositionSlices(measured.zPositionsNm, 2.5);
    for (const method of ['nearest', 'linear', 'cubic'] as const) {
      const copied = fillGaps(buildRepositionedVolume(measured, p), { method });
      const shared = fillGaps(buildRepositionedVolume(measured, p, { shareMeasured: true }), { method, inPlace: true });
      shared.volume.slices.forEach((s, k) => expect(Array.from(s)).toEqual(Array.from(copied.volume.slices[k])));
      p.gridIndex.forEach((g, i) => expect(shared.volume.slices[g]).toBe(slices[i]));
    }
    slices.forEach((s, i) => expect(Array.from(s)).toEqual(Array.from(before[i])));
  });
});
