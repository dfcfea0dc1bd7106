// React wrapper of VolumeViewer: creates the viewer in an effect, passes the
// props on as setVolume / setState, and disposes it on unmount. A missing
// WebGL2 (or any other failure to start) shows the error's message instead.
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { ViewerStateUpdate } from './viewer-state';
import { VolumeViewer, type ViewerLevel, type ViewerVolume, type VolumeViewerOptions } from './volume-viewer';

export interface Viewer3DProps {
  volume: ViewerVolume | null;
  state?: ViewerStateUpdate;
  options?: VolumeViewerOptions;
  className?: string;
  style?: CSSProperties;
  /** Told the downsampling level after each new volume. */
  onLevel?: (level: ViewerLevel | null) => void;
  /** Gets the viewer once created (null when it goes), e.g. for screenshots. */
  viewerRef?: (viewer: VolumeViewer | null) => void;
}

export function Viewer3D({ volume, state, options, className, style, onLevel, viewerRef }: Viewer3DProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [viewer, setViewer] = useState<VolumeViewer | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Options are read once: a new viewer per mount.
  const optionsRef = useRef(options);
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    let v: VolumeViewer;
    try {
      v = new VolumeViewer(container, optionsRef.current);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return undefined;
    }
    setViewer(v);
    viewerRef?.(v);
    return () => {
      viewerRef?.(null);
      setViewer(null);
      v.dispose();
    };
    // viewerRef is a callback for the consumer; a new one should not make a new viewer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!viewer || !volume) return;
    try {
      viewer.setVolume(volume);
      onLevel?.(viewer.level);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [viewer, volume, onLevel]);

  useEffect(() => {
    if (!viewer || !state) return;
    try {
      viewer.setState(state);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [viewer, state]);

  return (
    <div className={className} style={{ position: 'relative', width: '100%', height: '100%', ...style }}>
      <div ref={containerRef} style={{ position: 'absolute', inset: 0 }} />
      {error ? (
        <p role="alert" className="viewer-3d-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
