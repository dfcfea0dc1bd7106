// The Segmentation step's comparison of every method on the user's annotations
// (the 'compare' job, as `fibrecon compare`): classical thresholds and shipped
// models label the annotated slices, the pixel classifier is scored on slices it
// did not learn from. The table names the best; "Use" sets the step's method.
// Reads only: nothing is written to the project.
import { useState } from 'react';
import type { AnnotationSummary, VolumeSummary } from '../../src-shared/contract';
import type { SegmentationMethod } from '../../src-shared/pipeline-methods';
import type { ProjectState, ProjectStore } from '../state/project-store';
import { canCompare, compareOutdated, compareSummaryLine, iouText, isBest, percentText, pixelsText, scoreRowName, useChoice, wholeSliceText } from './compare-text';

export function CompareMethodsPane({
  store,
  state,
  volume,
  summary,
  onUse,
}: {
  store: ProjectStore;
  state: ProjectState;
  volume: VolumeSummary;
  /** The volume's annotation summary (useAnnotationSummary); null while unknown. */
  summary: AnnotationSummary | null;
  onUse: (choice: { method: SegmentationMethod; model?: string }) => void;
}) {
  const [unchecked, setUnchecked] = useState<ReadonlySet<string>>(new Set());
  const job = state.job;
  const jobActive = job?.status === 'starting' || job?.status === 'running';
  const scores = state.lastCompare !== null && state.lastCompare.volume === volume.name ? state.lastCompare : null;
  if (!canCompare(summary) && scores === null) return null;

  const singleStack = (state.models ?? []).filter((m) => m.kind !== 'inpainting' && (m.inputStacks?.length ?? 1) === 1).map((m) => m.name);
  const chosen = singleStack.filter((m) => !unchecked.has(m));
  const toggle = (name: string, on: boolean) =>
    setUnchecked((s) => {
      const next = new Set(s);
      if (on) next.delete(name);
      else next.add(name);
      return next;
    });
  const start = () => {
    if (jobActive) return;
    void store.startCompare({ volume: volume.name, ...(state.models !== null && chosen.length < singleStack.length ? { models: chosen } : {}) });
  };
  const running = jobActive && job?.kind === 'compare';

  return (
    <fieldset className="compare-methods" aria-label="Compare methods on my annotations" data-volume={volume.name} data-version={scores?.annotationVersion ?? ''}>
      <legend>Which method suits this sample? Scored on your annotations (nothing is stored)</legend>
      {singleStack.length > 0 && (
        <div className="row compare-models" role="group" aria-label="Shipped models to score">
          <span>Shipped models to score ({chosen.length} of {singleStack.length}; each takes a while on large slices):</span>
          {singleStack.map((m) => (
            <label className="inline" key={m}>
              <input type="checkbox" name={`compare-model-${m}`} checked={!unchecked.has(m)} onChange={(e) => toggle(m, e.target.checked)} />
              {m}
            </label>
          ))}
        </div>
      )}
      <button type="button" onClick={start} disabled={jobActive || state.pending !== null || !canCompare(summary)}>
        {running ? 'Comparing…' : 'Compare methods on my annotations'}
      </button>
      {!canCompare(summary) && <p className="hint">Paint pore and solid on this volume to compare again.</p>}
      {scores && (
        <>
          <p className="compare-summary">{compareSummaryLine(scores)}</p>
          {compareOutdated(scores, summary) && <p className="hint compare-outdated">The annotations changed since: compare again to score the methods on them.</p>}
          <table className="compare-table">
            <thead>
              <tr>
                <th>Method</th>
                <th title="Painted pixels the method labels wrongly">MP (% of painted px)</th>
                <th title="Painted solid the method labels pore">MGP (% of painted solid)</th>
                <th title="Mean intersection over union of pore and solid">mIoU</th>
                <th>Pixels scored</th>
                <th>Scored on</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {scores.scores.map((s) => {
                const best = isBest(scores, s);
                const choice = useChoice(s);
                const key = s.model ?? s.method;
                return (
                  <tr key={key} data-method={s.method} data-model={s.model ?? ''} data-best={best ? 'true' : 'false'} className={best ? 'best' : undefined}>
                    <th scope="row">
                      {scoreRowName(s)}
                      {best && <span className="best-mark"> ★ best</span>}
                    </th>
                    <td className="mp">
                      {percentText(s.mpPercent)}
                      {wholeSliceText(s) && <div className="whole-slice">{wholeSliceText(s)}</div>}
                    </td>
                    <td className="mgp">{percentText(s.mgpPercent)}</td>
                    <td className="miou">{iouText(s.meanIoU)}</td>
                    <td className="pixels">{pixelsText(s.pixels)}</td>
                    <td className="basis">{s.basis}</td>
                    <td>
                      {choice && (
                        <button type="button" onClick={() => onUse(choice)} aria-label={`Use ${scoreRowName(s)}`}>
                          Use
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="compare-best">Best on your annotations: {scores.best.reason}</p>
        </>
      )}
    </fieldset>
  );
}
