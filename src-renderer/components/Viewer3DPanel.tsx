// The 3D view of the selected volume (the viewer in src-renderer/viewer): loaded
// on demand, since a whole volume is far more than a plane; labels as an
// isosurface, grey by volume rendering; either mode can be chosen. The panel
// keeps the ViewerState that its controls edit; the viewer reacts to it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { uiRequests } from '../state/ui-requests';
import type { VolumeSummary } from '../../src-shared/contract';
import { DEFAULT_VIEWER_STATE, type ViewerState } from '../viewer/viewer-state';
import { Viewer3D } from '../viewer/Viewer3D';
import type { CameraPose, VolumeViewer } from '../viewer/volume-viewer';
import type { DecodedVolume, ProjectStore, VolumeChange } from '../state/project-store';
import { formatShape, formatVoxelSize } from './step-text';
import { Viewer3DControls } from './Viewer3DControls';

/** The largest block asked for: the backend downsamples beyond it. */
const MAX_BYTES = 64 * 1024 * 1024;

/** Saves the viewer's current frame as NAME-3d.png (a download: the browser or Electron asks where). */
function downloadScreenshot(viewer: VolumeViewer, volume: string): void {
  const a = document.createElement('a');
  a.href = viewer.screenshot();
  a.download = `${volume}-3d.png`;
  a.click();
}

/** What makes two shows the same box: shape and voxel size (a camera pose fits both). */
const boxKey = (v: DecodedVolume) => JSON.stringify([v.shape, v.voxelSizeNm]);

export function Viewer3DPanel({ store, volume, change = null }: { store: ProjectStore; volume: VolumeSummary | null; change?: VolumeChange | null }) {
  const [loaded, setLoaded] = useState<DecodedVolume | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [viewerState, setViewerState] = useState<ViewerState>({ ...DEFAULT_VIEWER_STATE, showBox: true });
  const viewerRef = useRef<VolumeViewer | null>(null);
  // The camera when the 3D view was closed: shown again with the same box, it comes back there.
  const closedPose = useRef<{ key: string; pose: CameraPose } | null>(null);
  const onLevel = useCallback(() => {
    const saved = closedPose.current;
    closedPose.current = null;
    if (saved && loaded && saved.key === boxKey(loaded)) viewerRef.current?.setCameraPose(saved.pose);
  }, [loaded]);
  const close = () => {
    if (loaded && viewerRef.current) closedPose.current = { key: boxKey(loaded), pose: viewerRef.current.cameraPose };
    setLoaded(null);
  };
  const viewerVolume = useMemo(
    () => (loaded ? { data: loaded.data, shape: loaded.shape, voxelSizeNm: loaded.voxelSizeNm, kind: loaded.kind } : null),
    [loaded],
  );

  // The layer list renamed or deleted a volume: the loaded one follows its new name, or goes.
  useEffect(() => {
    if (change === null) return;
    setLoaded((l) => {
      if (l === null) return l;
      if (change.kind === 'rename') return l.volume === change.from ? { ...l, volume: change.to } : l;
      return l.volume === change.volume ? null : l;
    });
  }, [change]);

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
    setViewerState((s) => ({ ...DEFAULT_VIEWER_STATE, showBox: s.showBox, mode: res.value.kind === 'labels' ? 'isosurface' : 'volume' }));
  };

  // View > 3D view in the native menu: bring the panel into sight and show the selected volume.
  const sectionRef = useRef<HTMLElement | null>(null);
  const showRef = useRef(show);
  showRef.current = show;
  useEffect(
    () =>
      uiRequests.on((r) => {
        if (r.type !== 'show-3d') return false;
        sectionRef.current?.scrollIntoView({ block: 'start' });
        void showRef.current();
        return true;
      }),
    [],
  );

  const downsampled = loaded !== null && loaded.factors.some((f) => f > 1);
  return (
    <section ref={sectionRef} className={`card viewer3d-slot${viewerVolume ? '' : ' idle'}`} aria-label="3D view" data-volume={loaded?.volume ?? ''}>
      <div className="ortho-head">
        <h2>3D view</h2>
        <button type="button" className="secondary small" onClick={() => void show()} disabled={volume === null || loading}>
          {loading ? 'Loading…' : volume ? `Show ${volume.name} in 3D` : 'Show in 3D'}
        </button>
        {loaded && (
          <button type="button" className="secondary small" name="viewer3d-close" onClick={close} title="Unload the volume: the orthoviews get the room back">
            Close 3D
          </button>
        )}
        {loaded && (
          <span className="muted viewer3d-info">
            {loaded.volume}: {formatShape(loaded.shape)} voxels of {formatVoxelSize(loaded.voxelSizeNm)}
            {downsampled ? ` (downsampled ${loaded.factors.join(' × ')} to fit)` : ''}
          </span>
        )}
      </div>
      {error && <p className="field-error">{error}</p>}
      {loaded && (
        <Viewer3DControls
          state={viewerState}
          onChange={setViewerState}
          kind={loaded.kind}
          valueRange={{ min: loaded.min, max: loaded.max }}
          onScreenshot={() => viewerRef.current && downloadScreenshot(viewerRef.current, loaded.volume)}
          onView={(v) => (v === 'reset' ? viewerRef.current?.resetCamera() : viewerRef.current?.viewFrom(v))}
        />
      )}
      {viewerVolume ? (
        <div className="viewer3d-box">
          <Viewer3D volume={viewerVolume} state={viewerState} className="viewer3d" onLevel={onLevel} viewerRef={(v) => (viewerRef.current = v)} />
        </div>
      ) : (
        <p className="hint">Isosurface or volume rendering of the selected volume; drag to turn, scroll to zoom. Loaded on request: a whole volume is much more than a plane.</p>
      )}
    </section>
  );
}
