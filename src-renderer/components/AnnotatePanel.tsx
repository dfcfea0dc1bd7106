// The Segmentation step's annotations (method: pixel classifier): turns the
// Annotate mode on for the chosen grey volume (the orthoviews show it and
// their xy view paints), and shows what is painted: pixels per class in the
// classes' colours and the annotated slices (a click shows that slice).
// Controls only: the counts come from the annotation model.
import { useEffect } from 'react';
import type { VolumeSummary } from '../../src-shared/contract';
import type { ProjectStore } from '../state/project-store';
import { uiRequests } from '../state/ui-requests';
import { useAnnotationState } from '../state/use-annotation-state';
import { useAnnotateKeys } from './annotate-keys';
import { countsLine } from './annotate-text';

export function AnnotatePanel({ store, volume, viewed }: { store: ProjectStore; volume: VolumeSummary; viewed: string | null }) {
  const state = useAnnotationState(store.annotation);
  const name = volume.name;
  useEffect(() => {
    store.selectVolume(name);
    store.annotation.start(name);
  }, [store, name]);
  useEffect(() => () => store.annotation.stop(), [store]);
  const active = state.volume === name;
  useAnnotateKeys(store.annotation, active);

  const summary = active ? state.summary : null;
  const classes = summary?.classes ?? [];
  const stale = summary !== null && summary.status !== 'none' && summary.status !== 'current';
  return (
    <fieldset className="annotate-panel" aria-label="Annotations" data-volume={name} data-version={summary?.version ?? ''}>
      <legend>Annotations of {name}: what the classifier learns from</legend>
      <p className="hint">
        Paint on the xy orthoview below (tools above it): short strokes inside pores with <b>pore</b> and inside solid with <b>solid</b>, including the hard
        places (shine-through, edges), on two or more slices. Each stroke is saved at once and undoable; the preview below learns from it.
      </p>
      {viewed !== name && (
        <p className="hint">
          The orthoviews show {viewed ?? 'nothing'}.{' '}
          <button type="button" className="secondary small" name="annotate-show-volume" onClick={() => store.selectVolume(name)}>
            Show {name} to paint on it
          </button>
        </p>
      )}
      {stale && <p className="field-error">{summary.message}</p>}
      <table className="annotation-counts">
        <thead>
          <tr>
            <th>Class</th>
            <th>Painted pixels</th>
          </tr>
        </thead>
        <tbody>
          {classes.map((c) => (
            <tr key={c.value} data-class={c.value}>
              <td>
                <span className="swatch" style={{ background: c.color }} aria-hidden="true" /> {c.name}
              </td>
              <td className="num count">{summary?.totals[String(c.value)] ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="annotated-slices">
        <span>Annotated slices:</span>
        {summary === null || summary.slices.length === 0 ? (
          <span className="muted"> none yet</span>
        ) : (
          summary.slices.map((s) => (
            <button
              key={s.z}
              type="button"
              name="annotated-slice"
              data-z={s.z}
              className={`secondary small${s.z === state.z ? ' chosen' : ''}`}
              aria-current={s.z === state.z ? 'true' : undefined}
              title={`Show slice z ${s.z} in the orthoviews`}
              onClick={() => uiRequests.emit({ type: 'go-to-slice', z: s.z })}
            >
              z {s.z}: {countsLine(s.counts, classes)}
            </button>
          ))
        )}
      </div>
    </fieldset>
  );
}
