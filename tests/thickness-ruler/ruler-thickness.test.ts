import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors';
import { rulerMarkerCentresNm } from '../../src-main/synth/milling';
import { measureRulerThickness, rulerParsedThickness } from '../../src-main/thickness/ruler-thickness';
import { rulerStack, rms } from './ruler-bands';

const band = (columns: number) => ({ x: 0, y: 0, width: columns, height: 23 });

describe('ruler thickness on simulated stacks (gamma thicknesses, 2.5 nm pixels)', () => {
  it('noisy 8-bit images: within 0.5 nm rms of the truth, reported uncertainty of the size of the actual error', () => {
    for (const seed of [1, 2, 3]) {
      const st = rulerStack({ columns: 256, bandRows: 24, slices: 40, seed });
      const m = measureRulerThickness(st.slices, st.width, st.height, { region: band(256), angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5 });
      expect(m.thicknessNm).toHaveLength(39);
      expect(m.uncertaintyNm).toHaveLength(39);
      const err = m.thicknessNm.map((t, i) => t - st.thicknessNm[i]);
      const e = rms(err);
      const u = rms(m.uncertaintyNm);
      expect(e).toBeLessThan(0.5);
      expect(e / u).toBeGreaterThan(0.5);
      expect(e / u).toBeLessThan(2);
      // Four markers per slice, in image x, ordered P1 < I1 < I2 < P2.
      for (const q of m.markerPositionsPx) {
        expect(q).toHaveLength(4);
        expect([...q].sort((a, b) => a - b)).toEqual(q);
      }
    }
  });

  it('a clean rendered band gives near-exact thicknesses and marker centres', () => {
    for (const blur of [false, true]) {
      const st = rulerStack({ columns: 256, bandRows: 24, slices: 30, seed: 5, noise: null, blur, dtype: 'float32' });
      const m = measureRulerThickness(st.slices, st.width, st.height, { region: band(256), angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5 });
      const err = m.thicknessNm.map((t, i) => t - st.thicknessNm[i]);
      expect(rms(err)).toBeLessThan(0.1);
      expect(Math.max(...err.map(Math.abs))).toBeLessThan(0.2);
      for (const [s, q] of m.markerPositionsPx.entries()) {
        const truth = rulerMarkerCentresNm(st.geometry, st.zPositionsNm[s]).map((c) => c / 2.5);
        for (let k = 0; k < 4; k++) expect(Math.abs(q[k] - truth[k])).toBeLessThan(0.03);
      }
    }
  });

  it('stage drift moves all four markers: the parallel pair removes it and reports it', () => {
    const drift = (s: number) => 3 * Math.sin(s / 4) + 0.37 * s;
    const st = rulerStack({ columns: 256, bandRows: 24, slices: 30, seed: 6, noise: null, dtype: 'float32', driftPx: drift });
    const m = measureRulerThickness(st.slices, st.width, st.height, { region: band(256), angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5 });
    expect(rms(m.thicknessNm.map((t, i) => t - st.thicknessNm[i]))).toBeLessThan(0.1);
    for (const [s, d] of m.driftPx.entries()) expect(d).toBeCloseTo(drift(s) - drift(0), 1);
  });

  it('dark markers (inverted image) with markerPolarity dark, a region inside the image, 16-bit', () => {
    const st = rulerStack({ columns: 256, bandRows: 24, slices: 20, seed: 7, dtype: 'uint16' });
    const inverted = st.slices.map((s) => s.map((v) => 65535 - v));
    const region = { x: 10, y: 2, width: 236, height: 20 };
    const bright = measureRulerThickness(st.slices, st.width, st.height, { region, angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5 });
    const dark = measureRulerThickness(inverted, st.width, st.height, { region, angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5, markerPolarity: 'dark' });
    for (let i = 0; i < dark.thicknessNm.length; i++) expect(dark.thicknessNm[i]).toBeCloseTo(bright.thicknessNm[i], 6);
    expect(rms(dark.thicknessNm.map((t, i) => t - st.thicknessNm[i]))).toBeLessThan(0.5);
    const truth0 = rulerMarkerCentresNm(st.geometry, 0).map((c) => c / 2.5);
    for (let k = 0; k < 4; k++) expect(Math.abs(dark.markerPositionsPx[0][k] - truth0[k])).toBeLessThan(0.2);
  });

  it('the angle measured from the milling direction is 90 degrees minus the one from the section plane', () => {
    const st = rulerStack({ columns: 256, bandRows: 24, slices: 10, seed: 8 });
    const a = measureRulerThickness(st.slices, st.width, st.height, { region: band(256), angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5 });
    const b = measureRulerThickness(st.slices, st.width, st.height, { region: band(256), angleDeg: 90 - st.geometry.angleDeg, angleFrom: 'milling-direction', pixelSizeNm: 2.5 });
    for (let i = 0; i < a.thicknessNm.length; i++) expect(b.thicknessNm[i]).toBeCloseTo(a.thicknessNm[i], 9);
  });

  it('a ruler whose inclined markers move apart (slices in reverse) still gives positive thicknesses, with a note', () => {
    const st = rulerStack({ columns: 256, bandRows: 24, slices: 15, seed: 9, noise: null, dtype: 'float32' });
    const m = measureRulerThickness([...st.slices].reverse(), st.width, st.height, { region: band(256), angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5 });
    const truth = [...st.thicknessNm].reverse();
    expect(rms(m.thicknessNm.map((t, i) => t - truth[i]))).toBeLessThan(0.1);
    expect(m.notes.join('\n')).toMatch(/move apart/);
  });

  it('plugs into the thickness module as a ruler record with uncertainties', () => {
    const st = rulerStack({ columns: 256, bandRows: 24, slices: 6, seed: 10 });
    const m = measureRulerThickness(st.slices, st.width, st.height, { region: band(256), angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5 });
    const p = rulerParsedThickness(m, 1);
    expect(p.source).toBe('ruler');
    expect(p.sliceNumbers).toEqual([1, 2, 3, 4, 5]);
    expect(p.firstSliceNumber).toBe(1);
    expect(p.thicknessNm).toEqual(m.thicknessNm);
    expect(p.uncertaintyNm).toEqual(m.uncertaintyNm);
  });

  it('reports progress and honours the cancel signal', () => {
    const st = rulerStack({ columns: 256, bandRows: 24, slices: 5, seed: 11 });
    const fractions: number[] = [];
    measureRulerThickness(st.slices, st.width, st.height, { region: band(256), angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5, onProgress: (q) => fractions.push(q.fraction) });
    expect(fractions[fractions.length - 1]).toBe(1);
    const ac = new AbortController();
    ac.abort();
    expect(() => measureRulerThickness(st.slices, st.width, st.height, { region: band(256), angleDeg: 60, pixelSizeNm: 2.5, signal: ac.signal })).toThrow();
  });
});

describe('ruler errors', () => {
  const st = rulerStack({ columns: 256, bandRows: 24, slices: 4, seed: 12 });
  const run = (o: Partial<Parameters<typeof measureRulerThickness>[3]>, slices = st.slices) =>
    measureRulerThickness(slices, st.width, st.height, { region: band(256), angleDeg: st.geometry.angleDeg, pixelSizeNm: 2.5, ...o });
  const invalidInput = (f: () => unknown, message: RegExp) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).tag).toBe('invalid_input');
      expect((e as AppError).message).toMatch(message);
      return;
    }
    throw new Error('expected an invalid_input error');
  };

  it('region outside the image', () => {
    invalidInput(() => run({ region: { x: 0, y: 30, width: 256, height: 23 } }), /outside the 256 x 40 image/);
    invalidInput(() => run({ region: { x: -1, y: 0, width: 256, height: 23 } }), /outside/);
    invalidInput(() => run({ region: { x: 10, y: 0, width: 256, height: 23 } }), /outside/);
  });

  it('angle not in (0, 90)', () => {
    for (const angleDeg of [0, 90, -10, 120, Number.NaN]) invalidInput(() => run({ angleDeg }), /between 0 and 90/);
  });

  it('fewer than 4 markers: says which slice and what to check', () => {
    // The left half of the band holds only P1 and I1.
    invalidInput(() => run({ region: { x: 0, y: 0, width: 128, height: 23 } }), /slice 1 of 4: found 2 ruler markers instead of 4.*region.*polarity.*noise/);
    // A slice without markers (structure rows only) in the middle of the stack.
    const broken = [...st.slices];
    broken[2] = broken[2].map((v, i) => (i < 24 * 256 ? 40 : v)) as Uint8Array;
    invalidInput(() => run({}, broken), /slice 3 of 4/);
    // Wrong polarity: the dark gaps between the bright markers are not four bars.
    invalidInput(() => run({ markerPolarity: 'dark' }), /slice 1 of 4: .*(instead of 4|wider).*polarity/);
  });

  it('other bad inputs', () => {
    invalidInput(() => run({}, st.slices.slice(0, 1)), /at least 2 slices/);
    invalidInput(() => run({ pixelSizeNm: 0 }), /pixel size/);
    invalidInput(() => run({}, [st.slices[0], st.slices[1].subarray(10)]), /slice 2 has/);
  });
});
