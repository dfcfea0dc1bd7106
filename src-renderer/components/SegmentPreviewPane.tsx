// "Preview on slice z" of the Segmentation step: the panel's current method or
// model on one slice (backend previewSegmentation, in a worker), beside the grey
// slice and over it with an opacity slider, before the run over the stack.
import { useState } from 'react';
import type { SegmentPreview, SegmentPreviewRequest, VolumeSummary } from '../../src-shared/contract';
import type { AppErrorValue } from '../../src-shared/errors';
import { decodeBase64, type DecodedPlane, type ProjectStore } from '../state/project-store';
import { classifierPreviewLine } from './annotate-text';
import { autoPreviewLine } from './auto-text';
import { PlaneCanvas } from './PlaneCanvas';
import { usePlane } from './use-plane';

const BOX = 360;

export interface SegmentPreviewPaneProps {
  store: ProjectStore;
  volume: VolumeSummary;
  /** The panel's current settings without z; null while they are not valid. */
  request: Omit<SegmentPreviewRequest, 'z'> | null;
}

export function SegmentPreviewPane({ store, volume, request }: SegmentPreviewPaneProps) {
  const nz = volume.shape[0];
  const [zWanted, setZ] = useState(Math.floor(nz / 2));
  const z = Math.min(zWanted, nz - 1);
  const [opacity, setOpacity] = useState(0.5);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<{ key: string; preview: SegmentPreview; labels: DecodedPlane } | null>(null);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const key = request ? JSON.stringify({ ...request, z }) : '';
  const greyZ = shown?.preview.z ?? z;
  const grey = usePlane(store, { volume: volume.name, axis: 'xy', index: greyZ, maxSize: Math.min(4096, Math.max(volume.shape[1], volume.shape[2])) });

  const run = async () => {
    if (request === null) return;
    setBusy(true);
    setError(null);
    const res = await store.previewSegmentation({ ...request, z });
    setBusy(false);
    if (!res.ok) {
      setError(res.error);
      return;
    }
    const p = res.value;
    const labels = decodeBase64(p.labelsBase64).map((v) => (v ? 255 : 0));
    setShown({
      key,
      preview: p,
      labels: { volume: `preview of ${p.volumes.join(', ')}`, axis: 'xy', index: p.z, width: p.width, height: p.height, min: 0, max: 1, pixelNm: { u: volume.voxelSizeNm.x, v: volume.voxelSizeNm.y }, pixels: labels },
    });
  };

  return (
    <fieldset className="segment-preview" aria-label="Preview on one slice">
      <legend>Preview on one slice (nothing is stored)</legend>
      <div className="row">
        <label className="inline">
          Slice z {z} / {nz - 1}
          <input type="range" name="segment-preview-z" min={0} max={nz - 1} value={z} onChange={(e) => setZ(Number(e.target.value))} />
        </label>
        <button type="button" name="segment-preview" disabled={request === null || busy} onClick={() => void run()}>
          {busy ? 'Segmenting slice…' : `Preview on slice z ${z}`}
        </button>
      </div>
      {error && <p className="field-error preview-error">{error.message}</p>}
      {shown && (
        <div className="segment-preview-result" data-z={shown.preview.z} data-solid-fraction={shown.preview.solidFraction}>
          {shown.preview.auto && <p className="preview-auto">{autoPreviewLine(shown.preview.auto)}</p>}
          <p className="preview-what">{previewLine(shown.preview, nz)}</p>
          {shown.key !== key && <p className="hint">The settings or slice changed since this preview: press the button again to update it.</p>}
          <div className="preview-pair">
            <PlaneCanvas plane={grey.plane} maxWidth={BOX} maxHeight={BOX} label={`${volume.name}, slice z ${shown.preview.z} (grey)`} className="segment-preview-grey" />
            <PlaneCanvas plane={shown.labels} maxWidth={BOX} maxHeight={BOX} label={`Labels of slice z ${shown.preview.z} (white = solid)`} className="segment-preview-labels" />
            <PlaneCanvas
              plane={grey.plane}
              overlay={shown.labels}
              opacity={opacity}
              maxWidth={BOX}
              maxHeight={BOX}
              label={`Labels over the grey slice at ${Math.round(opacity * 100)} %`}
              className="segment-preview-overlay"
            />
          </div>
          <label className="inline">
            Overlay opacity {Math.round(opacity * 100)} %
            <input type="range" name="segment-preview-opacity" min={0} max={100} value={Math.round(opacity * 100)} onChange={(e) => setOpacity(Number(e.target.value) / 100)} />
          </label>
        </div>
      )}
    </fieldset>
  );
}

/** What ran for the preview, with units: threshold and where it came from, or the model and the slices its window read. */
export function previewLine(p: SegmentPreview, nz: number): string {
  if (p.classifier) return classifierPreviewLine(p);
  const solid = `solid ${(100 * p.solidFraction).toFixed(1)} % of slice z ${p.z} (${p.width} x ${p.height} px), ${p.seconds.toFixed(2)} s`;
  if (p.model) {
    const read = p.slicesRead[0] === p.slicesRead[1] ? `slice z ${p.slicesRead[0]} only` : `slices z ${p.slicesRead[0]}..${p.slicesRead[1]} (its window around z)`;
    return `Model ${p.model.name} on ${p.model.ep.toUpperCase()}, read ${read}: ${solid}.`;
  }
  const t = p.thresholds ?? [];
  return (
    `${p.method}: threshold${t.length > 1 ? 's' : ''} ${t.map((v) => fmt(v)).join(', ')} (grey value) computed from the histogram of the whole stack (all ${nz} slices), as the run uses it; ` +
    `brighter than ${fmt(p.solidAbove ?? Number.NaN)} is solid: ${solid}.`
  );
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
