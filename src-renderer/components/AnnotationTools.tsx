// The Annotate mode's tools, above the orthoviews where the painting happens:
// paint on/off, brush / eraser / fill, the class in its colour, the brush
// radius, undo, which layers show (prediction, uncertainty), and what the shown
// slice holds. Controls only: they edit the annotation model.
import type { AnnotateTool, AnnotationState, AnnotationStore } from '../state/annotation-store';
import { RADIUS_MAX_PX } from '../state/annotation-store';
import { ANNOTATE_KEYS_TEXT, countsLine } from './annotate-text';

const TOOLS: { tool: AnnotateTool; label: string; key: string; title: string }[] = [
  { tool: 'brush', label: 'Brush', key: 'B', title: 'Paint the chosen class along the drag' },
  { tool: 'eraser', label: 'Eraser', key: 'E', title: 'Remove annotation along the drag' },
  { tool: 'fill', label: 'Fill', key: 'F', title: 'Fill the connected region under the click (e.g. the inside of an outline) with the chosen class' },
];

export function AnnotationTools({ annotation, state }: { annotation: AnnotationStore; state: AnnotationState }) {
  const summary = state.summary;
  const classes = summary?.classes ?? [];
  const sliceCounts = summary?.slices.find((s) => s.z === state.z)?.counts ?? {};
  const stale = summary !== null && summary.status !== 'none' && summary.status !== 'current';
  const canUndo = !stale && (state.sending > 0 || (summary?.undoable ?? 0) > 0);
  return (
    <div
      className="annotate-tools"
      role="toolbar"
      aria-label="Annotate tools"
      data-tool={state.tool}
      data-label={state.label}
      data-radius={state.radiusPx}
      data-painting={state.painting && !stale}
      data-sending={state.sending}
      data-plane-z={state.plane?.z ?? ''}
    >
      <div className="row">
        <label className="inline">
          <input type="checkbox" name="annotate-paint" checked={state.painting} disabled={stale} onChange={(e) => annotation.setPainting(e.target.checked)} />
          Paint on the xy view
        </label>
        <div className="tool-group" role="group" aria-label="Tool">
          {TOOLS.map((t) => (
            <button
              key={t.tool}
              type="button"
              name={`annotate-tool-${t.tool}`}
              className={`secondary small${state.tool === t.tool ? ' chosen' : ''}`}
              aria-pressed={state.tool === t.tool}
              title={t.title}
              onClick={() => annotation.setTool(t.tool)}
            >
              {t.label} <kbd>{t.key}</kbd>
            </button>
          ))}
        </div>
        <div className="tool-group" role="group" aria-label="Class">
          {classes.map((c) => (
            <button
              key={c.value}
              type="button"
              name={`annotate-class-${c.value}`}
              className={`secondary small${state.label === c.value ? ' chosen' : ''}`}
              aria-pressed={state.label === c.value}
              onClick={() => annotation.setLabel(c.value)}
            >
              <span className="swatch" style={{ background: c.color }} aria-hidden="true" /> {c.name} {c.value <= 9 && <kbd>{c.value}</kbd>}
            </button>
          ))}
        </div>
        <label className="inline">
          Brush radius {state.radiusPx} px
          <input type="range" name="annotate-radius" min={0} max={RADIUS_MAX_PX} value={state.radiusPx} onChange={(e) => annotation.setRadius(Number(e.target.value))} />
        </label>
        <button type="button" name="annotate-undo" className="secondary small" disabled={!canUndo} onClick={() => annotation.undo()}>
          Undo <kbd>Ctrl+Z</kbd>
        </button>
      </div>
      <div className="row">
        <span className="annotate-slice-counts" data-z={state.z ?? ''}>
          Slice z {state.z ?? '…'}: {countsLine(sliceCounts, classes)}
          {state.sending > 0 && <span className="muted"> · saving…</span>}
        </span>
        <label className="inline">
          <input type="checkbox" name="annotate-show-prediction" checked={state.showPrediction} onChange={(e) => annotation.setLayers({ prediction: e.target.checked })} />
          Prediction
        </label>
        <label className="inline">
          <input type="checkbox" name="annotate-show-uncertainty" checked={state.showUncertainty} onChange={(e) => annotation.setLayers({ uncertainty: e.target.checked })} />
          Uncertainty
        </label>
      </div>
      {stale && <p className="field-error annotate-stale">{summary.message}</p>}
      {state.error && (
        <p className="field-error annotate-error">
          {state.error.message}{' '}
          <button type="button" className="secondary small" onClick={() => annotation.dismissError()}>
            Dismiss
          </button>
        </p>
      )}
      <p className="hint">{ANNOTATE_KEYS_TEXT}</p>
    </div>
  );
}
