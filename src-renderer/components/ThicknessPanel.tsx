// Thickness step: a measured thickness per slice for a volume, from Auto Slice &
// View's ProjectData.dat, a CSV/TSV table, or the ruler markers in the images;
// flagged values (not measured, <= 1 nm, outliers) resolved as chosen; Apply
// moves the slices to the measured z. The latest stored series is plotted per
// slice (flagged slices ringed, the target dashed) with its statistics.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ThicknessJobRequest, ThicknessSeries } from '../../src-shared/contract';
import type { ProjectState, ProjectStore } from '../state/project-store';
import { parseRoi } from './roi-math';
import { RulerRegionPicker } from './RulerRegionPicker';
import { ThicknessComparisonView } from './ThicknessComparisonView';
import { drawSeries } from './series-draw';
import { formatShape } from './step-text';
import { formatNm } from '../format';

type SourceKind = 'asv' | 'table' | 'ruler';
type Resolution = 'keep' | 'target' | 'median' | 'interpolate';
const RESOLUTIONS: Resolution[] = ['interpolate', 'median', 'target', 'keep'];

const num = (text: string): number | null => {
  if (text.trim() === '') return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
};

export function ThicknessPanel({ store, state }: { store: ProjectStore; state: ProjectState }) {
  const grey = state.volumes.filter((v) => v.kind !== 'labels' && v.kind !== 'probability');
  const [volumeName, setVolumeName] = useState('');
  const [kind, setKind] = useState<SourceKind>('asv');
  const [path, setPath] = useState('');
  const [unit, setUnit] = useState<'nm' | 'um' | 'm' | ''>('');
  const [ruler, setRuler] = useState({ x: '', y: '', width: '', height: '', angleDeg: '' });
  const [nan, setNan] = useState<Resolution>('interpolate');
  const [tiny, setTiny] = useState<Resolution>('interpolate');
  const [outliers, setOutliers] = useState<Resolution>('keep');
  const [apply, setApply] = useState(true);
  const [allChannels, setAllChannels] = useState(true);
  const jobActive = state.job?.status === 'starting' || state.job?.status === 'running';
  const volume = grey.find((v) => v.name === volumeName) ?? grey[0] ?? state.volumes[0];
  // Channels imported together are one milling (the same slices): one series fits them all.
  const sameMilling =
    volume?.role === 'channel' ? grey.filter((v) => v.role === 'channel' && v.name !== volume.name && v.shape[0] === volume.shape[0]) : [];
  const zAssumed = volume?.voxelSizeSource?.z.startsWith('assumed') === true;

  useEffect(() => {
    if (volume) void store.loadThickness(volume.name);
  }, [store, volume?.name]);

  let source: ThicknessJobRequest['source'] | null = null;
  if (kind === 'asv' && path.trim() !== '') source = { asv: path.trim() };
  else if (kind === 'table' && path.trim() !== '') source = { table: path.trim(), ...(unit ? { unit } : {}) };
  else if (kind === 'ruler') {
    const band = volume ? parseRoi(ruler, { width: volume.shape[2], height: volume.shape[1] }) : undefined;
    const angleDeg = num(ruler.angleDeg);
    if (band && typeof band === 'object' && angleDeg !== null) source = { ruler: { ...band, angleDeg } };
  }
  const also = allChannels && sameMilling.length > 0 ? { alsoVolumes: sameMilling.map((v) => v.name) } : {};
  const req: ThicknessJobRequest | null = volume && source ? { volume: volume.name, ...also, source, resolve: { nan, tiny, outliers }, apply } : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (req !== null && !jobActive) void store.startThickness(req);
  };
  const series = state.thickness !== null && volume && state.thickness.volume === volume.name ? state.thickness : null;
  const resolutionSelect = (label: string, name: string, value: Resolution, set: (r: Resolution) => void) => (
    <label className="narrow">
      {label}
      <select name={name} value={value} onChange={(e) => set(e.target.value as Resolution)}>
        {RESOLUTIONS.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="card step-panel thickness-panel" aria-label="Thickness">
      <h2>Thickness: the measured milling per slice, checked and applied as z positions</h2>
      {state.volumes.length === 0 ? (
        <p className="empty">No volume yet: import a stack in step 1.</p>
      ) : (
        <form onSubmit={submit} aria-label="Thickness parameters">
          <div className="row">
            <label className="narrow">
              Volume
              <select name="thickness-volume" value={volume?.name ?? ''} onChange={(e) => setVolumeName(e.target.value)}>
                {(grey.length > 0 ? grey : state.volumes).map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name} ({formatShape(v.shape)})
                  </option>
                ))}
              </select>
            </label>
            <label className="narrow">
              Source
              <select name="thickness-source" value={kind} onChange={(e) => setKind(e.target.value as SourceKind)}>
                <option value="asv">Auto Slice &amp; View ProjectData.dat</option>
                <option value="table">Table (CSV / TSV)</option>
                <option value="ruler">Ruler markers in the images</option>
              </select>
            </label>
            {kind === 'table' && (
              <label className="narrow">
                Unit
                <select name="thickness-unit" value={unit} onChange={(e) => setUnit(e.target.value as typeof unit)}>
                  <option value="">from the header</option>
                  <option value="nm">nm</option>
                  <option value="um">µm</option>
                  <option value="m">m</option>
                </select>
              </label>
            )}
          </div>
          {kind !== 'ruler' ? (
            <div className="row">
              <label className="wide">
                {kind === 'asv' ? 'ProjectData.dat' : 'Thickness table'}
                <input name="thickness-path" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
                <span className="hint">a full path on this computer (no file dialog in the browser build)</span>
              </label>
            </div>
          ) : (
            <>
              {volume && <RulerRegionPicker store={store} volume={volume} roi={ruler} onRoi={(r) => setRuler({ ...ruler, ...r })} />}
              <div className="row">
                <label className="narrow">
                  Marker angle (°, to the section plane)
                  <input name="ruler-angle" value={ruler.angleDeg} inputMode="decimal" onChange={(e) => setRuler({ ...ruler, angleDeg: e.target.value })} />
                </label>
              </div>
            </>
          )}
          <div className="row">
            {resolutionSelect('Not measured', 'resolve-nan', nan, setNan)}
            {resolutionSelect('≤ 1 nm', 'resolve-tiny', tiny, setTiny)}
            {resolutionSelect('Outliers (|z| > 1.5)', 'resolve-outliers', outliers, setOutliers)}
            <label className="narrow inline">
              <input type="checkbox" name="thickness-apply" checked={apply} onChange={(e) => setApply(e.target.checked)} /> Apply as the z positions of the slices
            </label>
          </div>
          {sameMilling.length > 0 && volume && (
            <div className="row">
              <label className="inline">
                <input type="checkbox" name="thickness-all-channels" checked={allChannels} onChange={(e) => setAllChannels(e.target.checked)} /> Apply to all channels of this
                milling ({[volume, ...sameMilling].map((v) => v.name).join(', ')})
              </label>
            </div>
          )}
          <button type="submit" disabled={req === null || jobActive || state.pending !== null}>
            {apply ? 'Import and apply thickness' : 'Import thickness'}
          </button>
        </form>
      )}
      {volume && zAssumed && (
        <p className="notice assumed-z" role="note">
          The slice spacing of “{volume.name}” ({formatNm(volume.voxelSizeNm.z)} nm) is assumed, not measured: the files do not give it. Import the measured
          thickness here, or enter the spacing in the Slice spacing (nm) field when importing.
        </p>
      )}
      {volume && (series ? <ThicknessResult series={series} zAssumed={zAssumed} /> : <p className="empty thickness-none">No thickness series stored for “{volume.name}” yet.</p>)}
    </section>
  );
}

function ThicknessResult({ series, zAssumed }: { series: ThicknessSeries; zAssumed: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const flagged = series.flags.flatMap((f, i) => (f ? [i] : []));
  useEffect(() => {
    if (ref.current)
      drawSeries(ref.current, {
        title: 'Thickness per slice',
        xLabel: 'slice (thickness from slice i to i + 1)',
        yLabel: 'nm',
        series: [
          { label: 'measured', colour: '#1c6ed6', values: series.thicknessNm },
          ...(series.targetNm ? [{ label: zAssumed ? 'target (assumed z)' : 'target', colour: '#2f9e44', values: series.targetNm, dashed: true }] : []),
        ],
        marks: { indices: flagged, label: 'flagged' },
      });
  }, [series, zAssumed]);
  const s = series.statistics;
  const f = (v: number | undefined | null, d = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');
  const count = (k: string) => series.flags.filter((x) => x === k).length;
  // The statistics are of the resolved series: values filled in for unmeasured slices are not measurements.
  const notMeasured = count('nan');
  return (
    <div className="step-result thickness-result" data-table={series.tableId} data-applied={series.applied ? 'yes' : 'no'}>
      <h3>
        Stored series: table {series.tableId} ({series.source}){series.applied ? ', applied' : ', not applied'}
      </h3>
      <p className="result-line">{series.description}</p>
      <canvas ref={ref} width={520} height={260} aria-label="Thickness per slice in nm, flagged slices ringed, target dashed" />
      <table className="thickness-stats">
        <tbody>
          <tr><th>Values</th><td>{notMeasured === 0 ? `${s.count} (all measured)` : `${s.count} (${s.count - notMeasured} measured, ${notMeasured} not measured)`}</td></tr>
          <tr><th>Mean</th><td>{f(s.meanNm)} nm</td></tr>
          <tr><th>SD</th><td>{f(s.sdNm)} nm</td></tr>
          <tr><th>Min / median / max</th><td>{f(s.minNm)} / {f(s.medianNm)} / {f(s.maxNm)} nm</td></tr>
          <tr><th>Gamma fit</th><td>{series.gamma ? `shape ${f(series.gamma.shape)}, scale ${f(series.gamma.scaleNm)} nm (mean ${f(series.gamma.meanNm)} nm, sd ${f(series.gamma.sdNm)} nm)` : '—'}</td></tr>
          <tr><th>Flagged</th><td>{count('nan')} not measured, {count('tiny')} ≤ 1 nm, {count('outlier')} outliers</td></tr>
          <tr><th>Depth now</th><td>{f((series.zPositionsNm.at(-1) ?? 0) - (series.zPositionsNm[0] ?? 0), 1)} nm over {series.zPositionsNm.length} slices</td></tr>
        </tbody>
      </table>
      {series.comparison && <ThicknessComparisonView comparison={series.comparison} />}
    </div>
  );
}
