// Registration step: the slices of one or several volumes aligned (the drift of
// the reference and every volume's offset onto it, each applied only when it is
// significant), optionally on a region such as a fiducial, sub-pixel or in whole
// pixels (raw grey values); the results are new volumes "<name>-reg". Per result:
// the drift plot (dx, dy per slice, px) from the translations kept in their
// metadata, with the fitted drift and its error bars (2 standard errors) and the
// low-confidence slices ringed, the verdict, and the warnings.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RegisterJobRequest, VolumeSummary } from '../../src-shared/contract';
import { maxOf } from '../../src-shared/min-max';
import type { ProjectState, ProjectStore } from '../state/project-store';
import { RegisterChecks } from './RegisterChecks';
import { registrable } from './default-input';
import { drawSeries, type PlotSeries } from './series-draw';
import { formatShape } from './step-text';

const num = (text: string): number | null => {
  if (text.trim() === '') return null;
  const v = Number(text);
  return Number.isInteger(v) && v >= 0 ? v : null;
};

export function RegisterPanel({ store, state }: { store: ProjectStore; state: ProjectState }) {
  const candidates = state.volumes.filter(registrable);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [referenceName, setReferenceName] = useState('');
  const [region, setRegion] = useState({ x: '', y: '', width: '', height: '' });
  const [maxShiftText, setMaxShiftText] = useState('');
  const [wholePixels, setWholePixels] = useState(false);
  const jobActive = state.job?.status === 'starting' || state.job?.status === 'running';
  const names = (chosen ?? candidates.filter((v) => v.role === 'channel').map((v) => v.name)).filter((n) => candidates.some((v) => v.name === n));
  const reference = names.includes(referenceName) ? referenceName : (names.find((n) => /(^|[^0-9])2\s*kV/i.test(n)) ?? names.find((n) => /TLD/i.test(n)) ?? names[0]);
  const r = { x: num(region.x), y: num(region.y), width: num(region.width), height: num(region.height) };
  const regionEmpty = Object.values(region).every((t) => t.trim() === '');
  const regionOk = regionEmpty || (Object.values(r).every((v) => v !== null) && (r.width ?? 0) > 0 && (r.height ?? 0) > 0);
  const maxShift = maxShiftText.trim() === '' ? undefined : Number(maxShiftText);
  const maxShiftOk = maxShift === undefined || (Number.isFinite(maxShift) && maxShift > 0);
  const taken = names.some((n) => state.volumes.some((v) => v.name === `${n}-reg`));
  const req: RegisterJobRequest | null =
    names.length > 0 && reference && regionOk && maxShiftOk && !taken
      ? {
          volumes: names,
          reference,
          ...(regionEmpty ? {} : { region: r as { x: number; y: number; width: number; height: number } }),
          ...(maxShift !== undefined ? { maxShiftPx: maxShift } : {}),
          ...(wholePixels ? { wholePixels: true } : {}),
        }
      : null;
  const toggle = (name: string, on: boolean) => setChosen(on ? [...names, name] : names.filter((n) => n !== name));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (req !== null && !jobActive) void store.startRegister(req);
  };
  const registered = state.volumes.filter((v) => Array.isArray(v.metadata?.translationsPx));

  return (
    <section className="card step-panel register-panel" aria-label="Registration">
      <h2>Registration: align the slices (drift) and the channels onto a reference</h2>
      {candidates.length === 0 ? (
        <p className="empty">No volume yet: import a stack in step 1.</p>
      ) : (
        <form onSubmit={submit} aria-label="Registration parameters">
          <fieldset className="row register-volumes">
            <legend>Volumes</legend>
            {candidates.map((v) => (
              <label key={v.name} className="inline">
                <input type="checkbox" name={`register-${v.name}`} checked={names.includes(v.name)} onChange={(e) => toggle(v.name, e.target.checked)} /> {v.name} ({formatShape(v.shape)})
              </label>
            ))}
          </fieldset>
          <div className="row">
            <label className="narrow">
              Reference
              <select name="register-reference" value={reference ?? ''} onChange={(e) => setReferenceName(e.target.value)}>
                {names.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <label className="narrow">
              Largest shift (px, optional)
              <input name="register-max-shift" value={maxShiftText} inputMode="decimal" onChange={(e) => setMaxShiftText(e.target.value)} />
            </label>
          </div>
          <div className="row">
            {(['x', 'y', 'width', 'height'] as const).map((k) => (
              <label key={k} className="narrow">
                Region {k} (px, optional)
                <input name={`region-${k}`} value={region[k]} inputMode="numeric" onChange={(e) => setRegion({ ...region, [k]: e.target.value })} />
              </label>
            ))}
          </div>
          <div className="row">
            <label className="inline">
              <input type="checkbox" name="register-whole-pixels" checked={wholePixels} onChange={(e) => setWholePixels(e.target.checked)} /> Whole pixels: shift by whole pixels only, keep the raw grey values (no resampling)
            </label>
          </div>
          <p className="hint">
            A drift or offset is applied only when it is significant against its standard error; otherwise the slices stay as they are and nothing is cropped.
          </p>
          {taken && <p className="hint">A volume “…-reg” of these already exists: this project has their registration (see the drift below).</p>}
          {!regionOk && <p className="hint">The region takes whole pixels x, y, width, height (all four, or none for the whole image).</p>}
          <button type="submit" disabled={req === null || jobActive || state.pending !== null}>
            Run registration
          </button>
        </form>
      )}
      {registered.map((v) => (
        <DriftPlot key={v.name} volume={v} />
      ))}
      {registered.length > 0 && <RegisterChecks store={store} registered={registered} volumes={state.volumes} />}
    </section>
  );
}

type Shift = { dx: number; dy: number };

const arrayOf = <T,>(v: unknown, n: number): T[] | null => (Array.isArray(v) && v.length === n ? (v as T[]) : null);

function DriftPlot({ volume }: { volume: VolumeSummary }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const meta = volume.metadata;
  const t = meta.translationsPx as Shift[];
  const crop = meta.crop as { x: number; y: number; width: number; height: number } | undefined;
  // Kept by registrations that test significance (older ones have only the translations).
  const fitted = arrayOf<Shift>(meta.driftFittedPx, t.length);
  const sigma = arrayOf<Shift>(meta.driftSigmaPx, t.length);
  const confidence = arrayOf<string>(meta.driftConfidence, t.length);
  const low = confidence ? confidence.flatMap((c, i) => (c === 'low' ? [i] : [])) : [];
  const warnings = Array.isArray(meta.warnings) ? (meta.warnings as string[]) : [];
  const applied = (a: Shift, b: Shift) => Math.abs(a.dx - b.dx) < 1e-9 && Math.abs(a.dy - b.dy) < 1e-9;
  const showFitted = fitted !== null && !fitted.every((f, i) => applied(f, t[i]));
  useEffect(() => {
    if (!ref.current) return;
    // No bar on slices no match reached: their error is only the tie to their neighbours (ringed instead).
    const failed = new Set(Array.isArray(meta.failedSlices) ? (meta.failedSlices as number[]) : []);
    const bars = (axis: 'dx' | 'dy') => (sigma ? sigma.map((s, i) => (failed.has(i) ? null : 2 * s[axis])) : undefined);
    const series: PlotSeries[] = [
      { label: 'dx', colour: '#d94f3d', values: t.map((s) => s.dx), errors: showFitted ? undefined : bars('dx') },
      { label: 'dy', colour: '#1c6ed6', values: t.map((s) => s.dy), errors: showFitted ? undefined : bars('dy') },
    ];
    if (showFitted && fitted) {
      series.push(
        { label: 'dx found ±2σ', colour: '#e8a196', values: fitted.map((s) => s.dx), errors: bars('dx'), dashed: true },
        { label: 'dy found ±2σ', colour: '#8db6ea', values: fitted.map((s) => s.dy), errors: bars('dy'), dashed: true },
      );
    }
    drawSeries(ref.current, {
      title: `Drift of “${String(meta.registeredFrom)}”`,
      xLabel: 'slice',
      yLabel: 'px',
      series,
      marks: low.length > 0 ? { indices: low, label: 'σ > 0.5 px' } : undefined,
      zeroLine: true,
    });
  }, [volume]);
  const largest = maxOf(t.map((s) => Math.hypot(s.dx, s.dy)));
  const counts = confidence ? (['high', 'medium', 'low'] as const).map((c) => `${confidence.filter((v) => v === c).length} ${c}`).join(', ') : null;
  return (
    <div className="step-result register-result" data-volume={volume.name} data-significant={meta.driftSignificant === undefined ? undefined : String(meta.driftSignificant)}>
      <h3>
        “{String(meta.registeredFrom)}” → “{volume.name}” onto “{String(meta.reference)}”
      </h3>
      <p className="result-line">
        Largest translation {largest.toFixed(2)} px over {t.length} slices{crop ? `; common area x ${crop.x}, y ${crop.y}, ${crop.width} × ${crop.height} px` : ''}
        {meta.wholePixels === true ? '; whole pixels (raw grey values)' : meta.wholePixels === false ? '; sub-pixel (bilinear)' : ''}.
      </p>
      {typeof meta.driftMessage === 'string' && <p className="drift-verdict">{meta.driftMessage}</p>}
      {counts && <p className="hint drift-confidence">Confidence per slice (standard error below 0.25 px / 0.5 px / above): {counts}. Error bars: ± 2 standard errors.</p>}
      {warnings.length > 0 && (
        <ul className="register-warnings" role="alert">
          {warnings.map((w) => (
            <li key={w} className="warning">
              {w}
            </li>
          ))}
        </ul>
      )}
      <canvas ref={ref} width={520} height={240} aria-label={`Translation dx and dy in px per slice of ${String(meta.registeredFrom)}`} />
    </div>
  );
}
