// One match's confidence: its standard errors against the errors of known shifts
// (python's exact Fourier shifts of a smooth structure, independent noise), the
// point-reflected null peak against an explicitly reflected image, and the null
// baseline: pairs with nothing in common are refused, pairs of one structure under
// strong noise are accepted.
import { describe, expect, it } from 'vitest';
import { crossCorrelation, imageSpectrum } from '../../src-main/geometry/phase-correlation';
import { matchSpectra, mirrorNullPeak, type PairMatch } from '../../src-main/geometry/phase-correlation-confidence';
import { judgeMatch, nullBaseline } from '../../src-main/geometry/register-acceptance';
import { random } from '../helpers/random';
import { driftStack } from './drift-fixtures';

const W = 96;
const H = 96;
const rms = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);

/** Pairs (2k, 2k + 1) of one structure, the second moved by a random shift within +-3 px. */
function knownPairs(noise: number, seed: number, count: number) {
  const r = random(seed);
  const drift = Array.from({ length: 2 * count }, (_, i): [number, number] => (i % 2 ? [(r() - 0.5) * 6, (r() - 0.5) * 6] : [0, 0]));
  const { slices } = driftStack({ n: 2 * count, width: W, height: H, noise, seed, drift });
  return Array.from({ length: count }, (_, k) => {
    const m = matchSpectra(imageSpectrum(slices[2 * k], W, H), imageSpectrum(slices[2 * k + 1], W, H));
    // slice 2k + 1 = structure moved by drift: the translation that brings it back is -drift.
    return { m, ey: m.dy + drift[2 * k + 1][0], ex: m.dx + drift[2 * k + 1][1] };
  });
}

describe('standard error of a match', () => {
  for (const noise of [0.3, 1, 2]) {
    it(`noise sd ${noise} x the structure's: the errors of known shifts are as large as the stated standard errors`, () => {
      const pairs = knownPairs(noise, 20 + noise * 10, 24);
      const z = pairs.flatMap(({ m, ey, ex }) => [ey / m.sigmaDy, ex / m.sigmaDx]);
      // Calibrated within a factor 1.6 either way; no error beyond 4.5 standard errors.
      expect(rms(z)).toBeGreaterThan(0.6);
      expect(rms(z)).toBeLessThan(1.6);
      expect(Math.max(...z.map(Math.abs))).toBeLessThan(4.5);
      // The part one image's noise contributes is part of the whole.
      for (const { m } of pairs) expect(m.ownSigmaDx).toBeLessThan(m.sigmaDx);
    });
  }
});

describe('null peak and baseline', () => {
  it('the point-reflected null peak equals the correlation with the explicitly reflected image', () => {
    const r = random(8);
    const a = Float64Array.from({ length: 70 * 50 }, () => r());
    const b = Float64Array.from({ length: 70 * 50 }, () => r());
    const reflected = b.map((_, k) => b[(49 - Math.floor(k / 70)) * 70 + (69 - (k % 70))]);
    const direct = crossCorrelation(imageSpectrum(a, 70, 50), imageSpectrum(reflected, 70, 50))!;
    const viaFormula = mirrorNullPeak(imageSpectrum(a, 70, 50), imageSpectrum(b, 70, 50), crossCorrelation(imageSpectrum(a, 70, 50), imageSpectrum(b, 70, 50))!.scale);
    expect(viaFormula).toBeCloseTo(direct.surface[direct.peakIndex] / direct.scale, 12);
  });

  it('pairs with no structure in common are refused; pairs of one structure under noise sd 2 x the structure are accepted', () => {
    const a = driftStack({ n: 20, width: W, height: H, noise: 0.5, seed: 31 }).slices;
    const b = driftStack({ n: 20, width: W, height: H, noise: 0.5, seed: 32 }).slices;
    const unrelated: PairMatch[] = a.map((s, i) => matchSpectra(imageSpectrum(s, W, H), imageSpectrum(b[i], W, H)));
    const rule = { maxShiftPx: 50, minPeak: 0 };
    const baseUnrelated = nullBaseline(unrelated);
    expect(unrelated.filter((m) => judgeMatch(m, 1, baseUnrelated, rule) === 'accepted')).toEqual([]);
    const noisy = driftStack({ n: 21, width: W, height: H, noise: 2, seed: 33 }).slices.map((s) => imageSpectrum(s, W, H));
    const related = noisy.slice(1).map((s, i) => matchSpectra(noisy[i], s));
    const base = nullBaseline(related);
    expect(related.filter((m) => judgeMatch(m, 1, base, rule) === 'accepted').length).toBeGreaterThanOrEqual(18);
    // Their null peaks (no shared structure) stay below the baseline, the real peaks above it.
    expect(Math.max(...related.map((m) => m.nullPeak))).toBeLessThan(base);
  });
});
