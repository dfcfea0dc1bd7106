// One plane on a canvas sized for its physical aspect ratio (a pixel's u and v
// in nm), with an optional label overlay, window/level, the linked cursor and
// a scale bar. Clicks report canvas coordinates scaled to the canvas's pixels.
import { useEffect, useRef, type MouseEvent } from 'react';
import type { DecodedPlane } from '../state/project-store';
import { drawCrosshair, drawPixels, drawScaleBar } from './canvas-draw';
import { compositePlane } from './overlay';
import { chooseScaleBar, physicalCanvasSize } from './view-math';

export interface PlaneCanvasProps {
  plane: DecodedPlane | null;
  /** Labels of the same plane (same size), drawn in colour. */
  overlay?: DecodedPlane | null;
  opacity?: number;
  low?: number;
  high?: number;
  /** Box the canvas must fit in, px. */
  maxWidth: number;
  maxHeight: number;
  /** Cursor position as fractions of the width and height (0..1). */
  cursor?: { fx: number; fy: number } | null;
  label: string;
  className?: string;
  onPick?: (fx: number, fy: number) => void;
}

export function PlaneCanvas({ plane, overlay = null, opacity = 0.5, low = 0, high = 255, maxWidth, maxHeight, cursor = null, label, className, onPick }: PlaneCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const size = plane ? physicalCanvasSize(plane.width, plane.height, plane.pixelNm, maxWidth, maxHeight) : null;
  const bar = size ? chooseScaleBar(size.nmPerPx, size.width) : null;

  const fx = cursor?.fx;
  const fy = cursor?.fy;
  // Redraw only when what is drawn changes (not on every store update, e.g. job progress).
  useEffect(() => {
    const canvas = ref.current;
    if (canvas === null || plane === null) return;
    const labels = overlay !== null && overlay.width === plane.width && overlay.height === plane.height ? overlay.pixels : null;
    drawPixels(canvas, compositePlane(plane.pixels, labels, { low, high, opacity }), plane.width, plane.height);
    if (fx !== undefined && fy !== undefined) drawCrosshair(canvas, fx * canvas.width, fy * canvas.height);
    if (bar) drawScaleBar(canvas, bar);
    // bar follows from plane and the box.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [plane, overlay, low, high, opacity, fx, fy, maxWidth, maxHeight]);

  const click = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!onPick) return;
    const r = e.currentTarget.getBoundingClientRect();
    onPick((e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
  };

  return (
    <figure className={`plane ${className ?? ''}`}>
      {plane && size ? (
        <canvas
          ref={ref}
          width={size.width}
          height={size.height}
          aria-label={label}
          data-volume={plane.volume}
          data-axis={plane.axis}
          data-index={plane.index}
          data-plane-size={`${plane.width}x${plane.height}`}
          data-pixel-nm={`${plane.pixelNm.u}x${plane.pixelNm.v}`}
          onClick={click}
          className={onPick ? 'pickable' : undefined}
        />
      ) : (
        <div className="plane-empty">Loading…</div>
      )}
      <figcaption>
        <span className="plane-label">{label}</span>
        {bar && <span className="scale-bar-label">scale bar {bar.label}</span>}
      </figcaption>
    </figure>
  );
}
