// The 3D view of the selected volume (the viewer in src-renderer/viewer): loaded
// on demand, since a whole volume is far more than a plane; labels as an
// isosurface, grey by volume rendering; either mode can be chosen.
import { useMemo, useState } from 'react';
import type { VolumeSummary } from '../../src-shared/contract';
import type { ViewerMode } from '../viewer/viewer-state';
import { Viewer3D } from '../viewer/Viewer3D';
import type { DecodedVolume, ProjectStore } from '../state/project-store';
import { formatShape, formatVoxelSize } from './step-text';

/** The largest block asked for: the backend downsamples beyond it. */
const MAX_BYTES = 64 * 1024 * 1024;

export function Viewer3DPanel({ store, volume }: { store: ProjectStore; volume: VolumeSummary | null }) {
  const [loaded, setLoaded] = useState<DecodedVolume | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<ViewerMode>('isosurface');
  const viewerVolume = useMemo(
    () => (loaded ? { data: loaded.data, shape: loaded.shape, voxelSizeNm: loaded.voxelSizeNm, kind: loaded.kind } : null),
    [loaded],
  );
  const viewerState = useMemo(() => ({ mode }), [mode]);

  const show = async () => {
    if (volume === null) return;
    setLoading(true);
    setError(null);
    const res = await store.loadVolumeData(volume.name, MAX_BYTES);
    setLoading(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    setLoaded(res.value);
    setMode(res.value.kind === 'labels' ? 'isosurface' : 'volume');
  };

  const downsampled = loaded !== null && loaded.factors.some((f) => f > 1);
  return (
    <section className="card viewer3d-slot" aria-label="3D view" data-volume={loaded?.volume ?? ''}>
      <div className="ortho-head">
        <h2>3D view</h2>
        <button type="button" className="secondary small" onClick={() => void show()} disabled={volume === null || loading}>
          {loading ? 'Loading…' : volume ? `Show ${volume.name} in 3D` : 'Show in 3D'}
        </button>
        {loaded && (
          <label className="inline">
            Mode
            <select name="viewer-mode" value={mode} onChange={(e) => setMode(e.target.value as ViewerMode)}>
              <option value="isosurface">isosurface</option>
              <option value="volume">volume rendering</option>
            </select>
          </label>
        )}
        {loaded && (
          <span className="muted viewer3d-info">
            {loaded.volume}: {formatShape(loaded.shape)} voxels of {formatVoxelSize(loaded.voxelSizeNm)}
            {downsampled ? ` (downsampled ${loaded.factors.join(' × ')} to fit)` : ''}
          </span>
        )}
      </div>
      {error && <p className="field-error">{error}</p>}
      {viewerVolume ? (
        <div className="viewer3d-box">
          <Viewer3D volume={viewerVolume} state={viewerState} className="viewer3d" />
        </div>
      ) : (
        <p className="hint">Isosurface or volume rendering of the selected volume; drag to turn, scroll to zoom. Loaded on request: a whole volume is much more than a plane.</p>
      )}
    </section>
  );
}
