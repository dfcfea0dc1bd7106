// Ruler vs ASV in the Thickness step: both stored series of the volume on one
// per-slice plot, and ruler − ASV in nm (mean, sd, max |diff|) with the
// correlation, as the backend computed them over the slices where both exist.
import { useEffect, useRef } from 'react';
import type { ThicknessComparison } from '../../src-shared/contract';
import { drawSeries } from './series-draw';

export const ASV_COLOUR = '#1c6ed6';
export const RULER_COLOUR = '#e8590c';

export function ThicknessComparisonView({ comparison: c }: { comparison: ThicknessComparison }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current)
      drawSeries(ref.current, {
        title: 'Thickness per slice: ASV and ruler',
        xLabel: 'slice (thickness from slice i to i + 1)',
        yLabel: 'nm',
        series: [
          { label: `ASV (table ${c.asv.tableId})`, colour: ASV_COLOUR, values: c.asv.thicknessNm },
          { label: `ruler (table ${c.ruler.tableId})`, colour: RULER_COLOUR, values: c.ruler.thicknessNm },
        ],
      });
  }, [c]);
  const nm = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} nm` : '—');
  return (
    <div className="thickness-comparison" data-asv-table={c.asv.tableId} data-ruler-table={c.ruler.tableId}>
      <h3>Ruler vs ASV</h3>
      <p className="hint">
        ASV: {c.asv.description}. Ruler: {c.ruler.description}. Differences are ruler − ASV over the {c.n} slices where both hold a value.
      </p>
      <canvas ref={ref} width={520} height={260} aria-label="Thickness per slice in nm: ASV (blue) and ruler (orange)" />
      <table className="thickness-diff">
        <tbody>
          <tr><th>Slices compared</th><td className="diff-n">{c.n}</td></tr>
          <tr><th title="mean of ruler − ASV">Mean difference</th><td className="diff-mean">{nm(c.meanDiffNm)}</td></tr>
          <tr><th title="sample standard deviation (n − 1) of ruler − ASV">SD of the difference</th><td className="diff-sd">{nm(c.sdDiffNm)}</td></tr>
          <tr><th>Max |difference|</th><td className="diff-max">{nm(c.maxAbsDiffNm)}</td></tr>
          <tr><th title="Pearson correlation of the two series (no unit)">Correlation r</th><td className="diff-r">{c.correlation === null ? '— (undefined)' : c.correlation.toFixed(3)}</td></tr>
        </tbody>
      </table>
    </div>
  );
}
