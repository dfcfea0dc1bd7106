// The pixel classifier's live preview in the Segmentation step: after each
// stroke (once the strokes pause) the backend learns from every annotation and
// classifies the slice the xy orthoview shows; here its labels over the grey,
// its uncertainty map on request, and the accuracy estimate from the
// annotations alone. Nothing is stored until the run over the whole volume.
import { useEffect, useMemo } from 'react';
import type { VolumeSummary } from '../../src-shared/contract';
import type { ClassifierPreview } from '../state/annotation-store';
import type { DecodedPlane, ProjectStore } from '../state/project-store';
import { useAnnotationState } from '../state/use-annotation-state';
import { classifierPreviewLine, estimateLine } from './annotate-text';
import { PlaneCanvas } from './PlaneCanvas';
import { usePlane } from './use-plane';

const BOX = 360;

function asPlane(p: ClassifierPreview, volume: VolumeSummary, what: string, pixels: Uint8Array): DecodedPlane {
  return { volume: `${what} of ${p.volume}`, axis: 'xy', index: p.z, width: p.width, height: p.height, min: 0, max: 255, pixelNm: { u: volume.voxelSizeNm.x, v: volume.voxelSizeNm.y }, pixels };
}

export function ClassifierPreviewPane({ store, volume }: { store: ProjectStore; volume: VolumeSummary }) {
  const state = useAnnotationState(store.annotation);
  useEffect(() => {
    store.annotation.setLive(true);
    return () => store.annotation.setLive(false);
  }, [store]);
  const p = state.preview;
  const result = p.result !== null && p.result.volume === volume.name && p.result.z === state.z ? p.result : null;
  const grey = usePlane(store, result ? { volume: volume.name, axis: 'xy', index: result.z, maxSize: Math.min(4096, Math.max(volume.shape[1], volume.shape[2])) } : null);
  const labels = useMemo(() => (result ? asPlane(result, volume, 'prediction', result.labels.map((v) => (v ? 255 : 0))) : null), [result, volume]);
  const unsure = useMemo(() => (result?.uncertainty ? asPlane(result, volume, 'uncertainty', result.uncertainty) : null), [result, volume]);
  const estimate = result?.info.classifier?.estimate ?? null;
  const status =
    p.phase === 'running'
      ? `Learning from your annotations and classifying slice z ${state.z ?? ''}…`
      : p.phase === 'waiting'
        ? 'Waiting for the strokes to pause…'
        : result === null && p.message === null
          ? 'The preview appears once pore and solid are painted.'
          : '';
  return (
    <fieldset
      className="classifier-preview"
      aria-label="Live preview of the pixel classifier"
      data-phase={p.phase}
      data-requests={p.requests}
      data-z={result?.z ?? ''}
      data-version={result?.info.classifier?.annotationVersion ?? ''}
      data-solid-fraction={result?.info.solidFraction ?? ''}
    >
      <legend>Live preview on the slice the orthoview shows (nothing is stored)</legend>
      {status && <p className="preview-status">{status}</p>}
      {p.message && <p className="hint preview-message">{p.message}</p>}
      {result && (
        <>
          <p className="classifier-estimate" data-weaker={estimate?.weaker ?? ''} title={estimate?.note}>
            {estimateLine(estimate)}
          </p>
          {estimate?.weaker && <p className="hint">{estimate.note}</p>}
          <p className="preview-what">{classifierPreviewLine(result.info)}</p>
          <div className="preview-pair">
            <PlaneCanvas
              plane={grey.plane}
              overlay={labels}
              opacity={0.5}
              maxWidth={BOX}
              maxHeight={BOX}
              label={`Predicted solid over ${volume.name}, slice z ${result.z}`}
              className="classifier-preview-labels"
            />
            {state.showUncertainty && unsure && (
              <PlaneCanvas plane={unsure} maxWidth={BOX} maxHeight={BOX} label={`Uncertainty, slice z ${result.z} (white: unsure)`} className="classifier-preview-uncertainty" />
            )}
          </div>
          <label className="inline">
            <input type="checkbox" name="classifier-show-uncertainty" checked={state.showUncertainty} onChange={(e) => store.annotation.setLayers({ uncertainty: e.target.checked })} />
            Uncertainty map (here and on the orthoview; white here, pink there: unsure, where to paint next)
          </label>
        </>
      )}
    </fieldset>
  );
}
