// Registration step: the slices of one or several volumes aligned (each slice to
// its predecessor, and every volume onto a reference), optionally on a region
// such as a fiducial; the results are new volumes "<name>-reg". The drift found
// (dx, dy per slice, px) is plotted from the translations kept in their metadata.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RegisterJobRequest, VolumeSummary } from '../../src-shared/contract';
import { maxOf } from '../../src-shared/min-max';
import type { ProjectState, ProjectStore } from '../state/project-store';
import { RegisterChecks } from './RegisterChecks';
import { drawSeries } from './series-draw';
import { formatShape } from './step-text';

const num = (text: string): number | null => {
  if (text.trim() === '') return null;
  const v = Number(text);
  return Number.isInteger(v) && v >= 0 ? v : null;
};

export function RegisterPanel({ store, state }: { store: ProjectStore; state: ProjectState }) {
  const candidates = state.volumes.filter((v) => v.metadata?.registeredFrom === undefined);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [referenceName, setReferenceName] = useState('');
  const [region, setRegion] = useState({ x: '', y: '', width: '', height: '' });
  const [maxShiftText, setMaxShiftText] = useState('');
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

function DriftPlot({ volume }: { volume: VolumeSummary }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const t = volume.metadata.translationsPx as { dx: number; dy: number }[];
  const crop = volume.metadata.crop as { x: number; y: number; width: number; height: number } | undefined;
  useEffect(() => {
    if (ref.current)
      drawSeries(ref.current, {
        title: `Drift of “${String(volume.metadata.registeredFrom)}”`,
        xLabel: 'slice',
        yLabel: 'px',
        series: [
          { label: 'dx', colour: '#d94f3d', values: t.map((s) => s.dx) },
          { label: 'dy', colour: '#1c6ed6', values: t.map((s) => s.dy) },
        ],
        zeroLine: true,
      });
  }, [volume]);
  const largest = maxOf(t.map((s) => Math.hypot(s.dx, s.dy)));
  return (
    <div className="step-result register-result" data-volume={volume.name}>
      <h3>
        “{String(volume.metadata.registeredFrom)}” → “{volume.name}” onto “{String(volume.metadata.reference)}”
      </h3>
      <p className="result-line">
        Largest translation {largest.toFixed(2)} px over {t.length} slices{crop ? `; common area x ${crop.x}, y ${crop.y}, ${crop.width} × ${crop.height} px` : ''}.
      </p>
      <canvas ref={ref} width={520} height={240} aria-label={`Translation dx and dy in px per slice of ${String(volume.metadata.registeredFrom)}`} />
    </div>
  );
}
