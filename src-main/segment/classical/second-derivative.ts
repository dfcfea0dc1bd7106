// Threshold from the second derivative of the grey-value histogram ([Wijaya2024], Fig. 1c:
// "the threshold at the first peak of the second derivative histogram").
// Our reading, documented in docs/segmentation-classical.md:
// - histogram of the whole stack with at most 256 bins (one per grey value for
//   8 bit; equal integer-width bins for 16 bit, see histogram.ts);
// - smoothed with a Gaussian of `sigmaBins` bins (default 4; ends extended with
//   the edge value), then d2[i] = h[i-1] - 2 h[i] + h[i+1] (0 at both ends);
// - the dark (pore) mode = the highest smoothed bin at or below the Otsu bin;
//   the bright (solid) mode = the highest bin above it;
// - peak 'below-solid' (default): the first local maximum of d2 with d2 > 0
//   met when walking down from the bright mode: the foot of the solid peak.
//   Everything darker (pore and the shine-through between the peaks) is pore,
//   which is what [Wijaya2024] reports the hybrid method achieves;
//   peak 'above-pore': the first such maximum right of the dark mode (the knee
//   where the pore peak ends; the literal 'first peak' read from the dark side).
//   On the synthetic 4 kV stack it labels most shine-through solid (MP ~26 %
//   against ~5 % for 'below-solid'), so it is not the default;
// - falls back to the Otsu bin when there is no such maximum.
// The threshold is that bin's centre; value > threshold is solid.
import { type GreyHistogram } from './histogram';
import { otsuThresholdFromHistogram } from './otsu';

export interface SecondDerivativeOptions {
  sigmaBins?: number;
  peak?: 'below-solid' | 'above-pore';
}

export interface SecondDerivativeThreshold {
  threshold: number;
  index: number;
  /** True when no curvature peak was found and the Otsu bin was used. */
  fellBackToOtsu: boolean;
  smoothed: Float64Array;
  secondDerivative: Float64Array;
}

export function gaussianSmooth(h: ArrayLike<number>, sigma: number): Float64Array {
  const n = h.length;
  const out = new Float64Array(n);
  if (!(sigma > 0)) {
    for (let i = 0; i < n; i++) out[i] = h[i];
    return out;
  }
  const r = Math.ceil(3 * sigma);
  const w = Array.from({ length: 2 * r + 1 }, (_, j) => Math.exp(-((j - r) ** 2) / (2 * sigma * sigma)));
  const sum = w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = -r; j <= r; j++) s += w[j + r] * h[Math.min(n - 1, Math.max(0, i + j))];
    out[i] = s / sum;
  }
  return out;
}

export function secondDerivativeThreshold(h: GreyHistogram, opts: SecondDerivativeOptions = {}): SecondDerivativeThreshold {
  const n = h.counts.length;
  const s = gaussianSmooth(h.counts, opts.sigmaBins ?? 4);
  const d2 = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) d2[i] = s[i - 1] - 2 * s[i] + s[i + 1];
  const otsu = otsuThresholdFromHistogram(h.counts, h.centers).index;
  let dark = 0;
  for (let i = 0; i <= otsu; i++) if (s[i] > s[dark]) dark = i;
  let bright = Math.min(n - 1, otsu + 1);
  for (let i = otsu + 1; i < n; i++) if (s[i] > s[bright]) bright = i;
  const isPeak = (i: number): boolean => d2[i] > 0 && d2[i] >= d2[i - 1] && d2[i] > d2[i + 1];
  let index = -1;
  if (opts.peak === 'above-pore') {
    for (let i = Math.max(1, dark + 1); i < bright && i < n - 1; i++) {
      if (isPeak(i)) {
        index = i;
        break;
      }
    }
  } else {
    for (let i = Math.min(bright - 1, n - 2); i > dark && i >= 1; i--) {
      if (isPeak(i)) {
        index = i;
        break;
      }
    }
  }
  const fellBackToOtsu = index < 0;
  if (fellBackToOtsu) index = otsu;
  return { threshold: h.centers[index], index, fellBackToOtsu, smoothed: s, secondDerivative: d2 };
}
