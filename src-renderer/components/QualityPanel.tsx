// Quality step: the isotropy metrics of a label volume (e_TPCF, e_LPF, e_D,
// ligament diameters) and, with a ground truth of the same shape, MP / MGP / MDS.
// Every number has its unit and its definition on hover; the S2 and L curves per
// axis are drawn; two stored results can be compared side by side.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { MetricsJobRequest } from '../../src-shared/contract';
import { METRIC_DEFINITIONS, type AxisCurves, type StoredMetrics } from '../../src-shared/metric-definitions';
import type { ProjectState, ProjectStore } from '../state/project-store';
import { AXIS_COLOURS, drawCurves } from './curve-draw';
import { compareResults, formatDiff, formatMetricValue, metricTitle, resultLabel, unitText } from './quality-text';
import { formatShape } from './step-text';

export function QualityPanel({ store, state }: { store: ProjectStore; state: ProjectState }) {
  useEffect(() => {
    void store.loadMetrics();
  }, [store]);
  const labels = state.volumes.filter((v) => v.kind === 'labels');
  const [volumeName, setVolumeName] = useState('');
  const [truthName, setTruthName] = useState('');
  const [rMaxText, setRMaxText] = useState('');
  const [patchText, setPatchText] = useState('');
  const jobActive = state.job?.status === 'starting' || state.job?.status === 'running';

  const volume = labels.find((v) => v.name === volumeName) ?? labels[labels.length - 1];
  const truths = volume ? labels.filter((v) => v.name !== volume.name && v.shape.every((n, i) => n === volume.shape[i])) : [];
  const truth = truths.find((v) => v.name === truthName);
  const rMaxNm = parseNumber(rMaxText, false);
  const patch = parseNumber(patchText, true);
  const req: MetricsJobRequest | null =
    volume === undefined || rMaxNm === null || patch === null
      ? null
      : { volume: volume.name, ...(truth ? { truth: truth.name } : {}), ...(rMaxNm !== undefined ? { rMaxNm } : {}), ...(patch !== undefined ? { patch } : {}) };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (req !== null && !jobActive) void store.startMetrics(req);
  };

  const results = state.metrics ?? [];
  return (
    <section className="card step-panel quality-panel" aria-label="Quality">
      <h2>Quality: isotropy metrics, and errors against a ground truth</h2>
      {labels.length === 0 ? (
        <p className="empty">No label volume yet: segment a volume in step 4 first.</p>
      ) : (
        <form onSubmit={submit} aria-label="Quality parameters">
          <div className="row">
            <label className="narrow">
              Label volume
              <select name="quality-volume" value={volume?.name ?? ''} onChange={(e) => setVolumeName(e.target.value)}>
                {labels.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name} ({formatShape(v.shape)})
                  </option>
                ))}
              </select>
            </label>
            <label className="narrow">
              Ground truth (optional)
              <select name="quality-truth" value={truth?.name ?? ''} onChange={(e) => setTruthName(e.target.value)}>
                <option value="">none</option>
                {truths.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name}
                  </option>
                ))}
              </select>
              <span className="hint">label volumes of the same shape</span>
            </label>
            <label className="narrow">
              r max (nm)
              <input name="quality-rmax" inputMode="decimal" value={rMaxText} onChange={(e) => setRMaxText(e.target.value)} placeholder="auto" />
              <span className="hint">default a quarter of the shortest side</span>
            </label>
            <label className="narrow">
              Patch side (px)
              <input name="quality-patch" inputMode="numeric" value={patchText} onChange={(e) => setPatchText(e.target.value)} placeholder="whole volume" />
              <span className="hint">mean ± sd over patches ([Sardhara2023]: 256)</span>
            </label>
          </div>
          <p className="method-text">
            The voxels must be isotropic (reconstruct first when the slices are thicker than the pixels). 0 = isotropic for e_TPCF, e_LPF and e_D.
          </p>
          {(rMaxNm === null || patch === null) && <p className="field-error">r max must be a positive number of nm; the patch side a whole number of pixels, at least 2.</p>}
          <button type="submit" disabled={req === null || jobActive || state.pending !== null}>
            Run quality metrics
          </button>
        </form>
      )}
      {results.length > 0 && <Results results={results} />}
    </section>
  );
}

function Results({ results }: { results: StoredMetrics[] }) {
  const [shownId, setShownId] = useState<number | null>(null);
  const last = results[results.length - 1];
  const shown = results.find((m) => m.runId === shownId) ?? last;
  const [aId, setAId] = useState<number | null>(null);
  const [bId, setBId] = useState<number | null>(null);
  const a = results.find((m) => m.runId === aId) ?? results[Math.max(0, results.length - 2)];
  const b = results.find((m) => m.runId === bId) ?? last;
  return (
    <div className="step-result quality-result" data-run={shown.runId}>
      <h3>Result</h3>
      <div className="row">
        <label className="wide">
          Stored result
          <select name="quality-result" value={shown.runId} onChange={(e) => setShownId(Number(e.target.value))}>
            {results.map((m) => (
              <option key={m.runId} value={m.runId}>
                {resultLabel(m)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <MetricsTable m={shown} />
      {shown.curves ? (
        <div className="curves">
          <CurveCanvas curves={shown.curves.tpcf} title="Two-point correlation" yLabel="S2(r)" className="curve-tpcf" />
          <CurveCanvas curves={shown.curves.lpf} title="Lineal path" yLabel="L(r)" className="curve-lpf" />
        </div>
      ) : (
        <p className="hint">Patch results have no single curve: run without a patch side to see S2 and L per axis.</p>
      )}
      {results.length > 1 && (
        <div className="compare">
          <h3>Compare two runs</h3>
          <div className="row">
            <RunSelect label="A" name="compare-a" results={results} value={a.runId} onChange={setAId} />
            <RunSelect label="B" name="compare-b" results={results} value={b.runId} onChange={setBId} />
          </div>
          <table className="compare-table metrics-table">
            <thead>
              <tr>
                <th>Metric</th>
                <th>A: #{a.runId} {a.volume}</th>
                <th>B: #{b.runId} {b.volume}</th>
                <th>B − A</th>
                <th>Unit</th>
              </tr>
            </thead>
            <tbody>
              {compareResults(a, b).map((r) => (
                <tr key={r.name} data-metric={r.name}>
                  <th title={metricTitle(r.name)}>{METRIC_DEFINITIONS[r.name].label}</th>
                  <td className="num value-a" title={metricTitle(r.name, r.a?.sd !== undefined)}>
                    {r.a ? formatMetricValue(r.a) : '—'}
                  </td>
                  <td className="num value-b" title={metricTitle(r.name, r.b?.sd !== undefined)}>
                    {r.b ? formatMetricValue(r.b) : '—'}
                  </td>
                  <td className="num diff" title={`${METRIC_DEFINITIONS[r.name].label}: B − A`}>
                    {formatDiff(r.name, r.diff)}
                  </td>
                  <td className="unit">{unitText(METRIC_DEFINITIONS[r.name].unit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function MetricsTable({ m }: { m: StoredMetrics }) {
  return (
    <table className="metrics-table" data-run={m.runId}>
      <caption>
        "{m.volume}"{m.truth ? ` against the truth "${m.truth}"` : ''}
        {typeof m.params.patch === 'number' ? `, patches of ${m.params.patch} px (mean ± sd)` : ''}
      </caption>
      <thead>
        <tr>
          <th>Metric</th>
          <th>Value</th>
          <th>Unit</th>
        </tr>
      </thead>
      <tbody>
        {m.values.map((v) => (
          <tr key={v.name} data-metric={v.name}>
            <th title={metricTitle(v.name)}>{METRIC_DEFINITIONS[v.name].label}</th>
            <td className="num metric-value" title={metricTitle(v.name, v.sd !== undefined)}>
              {formatMetricValue(v)}
            </td>
            <td className="unit">{unitText(v.unit)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CurveCanvas({ curves, title, yLabel, className }: { curves: AxisCurves; title: string; yLabel: string; className: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) {
      drawCurves(ref.current, curves, title, yLabel);
      ref.current.dataset.drawn = String(curves.x.rNm.length);
    }
  }, [curves, title, yLabel]);
  return (
    <figure className={`curve ${className}`}>
      <canvas ref={ref} width={420} height={240} aria-label={`${title} ${yLabel} along x, y and z against r in nm`} />
      <figcaption>
        {title}, {yLabel} per axis:{' '}
        {(['x', 'y', 'z'] as const).map((a) => (
          <span key={a} className="legend-item" style={{ color: AXIS_COLOURS[a] }}>
            ■ {a}{' '}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** undefined: empty (the default); null: not valid. */
function parseNumber(text: string, integer: boolean): number | undefined | null {
  if (text.trim() === '') return undefined;
  const n = Number(text.trim().replace(',', '.'));
  if (!Number.isFinite(n) || n <= 0) return null;
  if (integer && (!Number.isInteger(n) || n < 2)) return null;
  return n;
}

/** One stored metrics run, chosen from all of them (the two sides of the comparison). */
function RunSelect(props: { label: string; name: string; results: readonly StoredMetrics[]; value: number; onChange: (runId: number) => void }) {
  return (
    <label className="narrow">
      {props.label}
      <select name={props.name} value={props.value} onChange={(e) => props.onChange(Number(e.target.value))}>
        {props.results.map((m) => (
          <option key={m.runId} value={m.runId}>
            {resultLabel(m)}
          </option>
        ))}
      </select>
    </label>
  );
}
