// An Auto Slice & View-like ProjectData.dat (docs/conventions.md, "Files read and written"):
// XML, Results/Slice with TargetThickness and MeasuredThickness in metres, NaN
// where the software did not measure. Its estimates are deliberately poor, as
// [Sardhara2023] found them: noisy, and many slices reported <= 1 nm.
import { seededRandom } from '../seeded-random';

export interface AsvErrorModel {
  /** sd of the fiducial-based estimate around the truth, nm. */
  noiseSdNm: number;
  /** Fraction of slices reported at <= 1 nm (fiducial lost). */
  tinyFraction: number;
  /** Fraction of slices not measured (NaN). */
  nanFraction: number;
}

export const DEFAULT_ASV_ERRORS: AsvErrorModel = { noiseSdNm: 2.5, tinyFraction: 0.12, nanFraction: 0.05 };

/** Simulated ASV estimates (nm, NaN = not measured) of the true thicknesses. */
export function asvMeasuredThicknessNm(trueNm: readonly number[], seed: number, errors: AsvErrorModel = DEFAULT_ASV_ERRORS): number[] {
  const rng = seededRandom(seed, 0xa5f);
  return trueNm.map((t) => {
    const u = rng.uniform();
    const noise = rng.gaussian();
    const tiny = rng.uniform();
    if (u < errors.nanFraction) return Number.NaN;
    if (u < errors.nanFraction + errors.tinyFraction) return 0.05 + 0.95 * tiny;
    return Math.max(0.05, t + errors.noiseSdNm * noise);
  });
}

function metres(nm: number): string {
  return Number.isFinite(nm) ? (nm * 1e-9).toExponential(6).replace('e', 'E') : 'NaN';
}

/** ProjectData.dat text: one Slice per milled slice (thickness[i] = slice i to i + 1). */
export function asvProjectDataXml(targetNm: number, measuredNm: readonly number[], name = 'fibrecon synthetic run'): string {
  const slices = measuredNm.map(
    (m, i) =>
      `    <Slice>\r\n      <Number>${i + 1}</Number>\r\n      <TargetThickness>${metres(targetNm)}</TargetThickness>\r\n` +
      `      <MeasuredThickness>${metres(m)}</MeasuredThickness>\r\n    </Slice>\r\n`,
  );
  return (
    '<?xml version="1.0" encoding="utf-8"?>\r\n<ProjectData>\r\n' +
    `  <Name>${name.replace(/[<&>]/g, '_')}</Name>\r\n  <Results>\r\n` +
    slices.join('') +
    '  </Results>\r\n</ProjectData>\r\n'
  );
}
