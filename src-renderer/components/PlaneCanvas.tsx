// One plane on a canvas sized for its physical aspect ratio (a pixel's u and v
// in nm), with an optional label overlay, window/level, the linked cursor and
// a scale bar. Clicks report where they were as fractions of the view (0..1).
// With a view transform (zoom, centre) the plane is drawn zoomed and panned by
// the canvas transform (the composited plane is kept, not requested again);
// the wheel and a middle-button or Shift+left drag report zoom and pan.
// Optional layers (full-resolution images such as annotations) are drawn over
// the plane with the same zoom and pan; with onPaint a left drag paints.
import { useEffect, useMemo, useRef, type MouseEvent } from 'react';
import type { DecodedPlane } from '../state/project-store';
import { drawCrosshair, drawPlaneImage, drawScaleBar, planeImage } from './canvas-draw';
import { drawLayers, layersKey, type PlaneLayer } from './layer-draw';
import { compositePlane } from './overlay';
import type { Colormap } from './colormaps';
import { canvasTransform, chooseScaleBar, IDENTITY_VIEW, physicalCanvasSize, planeToScreen, wheelZoomFactor, type ViewTransform } from './view-math';

export interface PlaneCanvasProps {
  plane: DecodedPlane | null;
  /** Labels of the same plane (same size), drawn in colour. */
  overlay?: DecodedPlane | null;
  opacity?: number;
  low?: number;
  high?: number;
  /** Colour map of the windowed grey (default grey). */
  colormap?: Colormap;
  /** Box the canvas must fit in, px. */
  maxWidth: number;
  maxHeight: number;
  /** Cursor position as fractions of the plane's width and height (0..1). */
  cursor?: { fx: number; fy: number } | null;
  label: string;
  className?: string;
  /** A click (not a pan) at (sx, sy), fractions of the view; with a zoomed view map it by view-math cursorFromScreen. */
  onPick?: (sx: number, sy: number) => void;
  /** Zoom and pan of the view; without it the whole plane fills the canvas. */
  view?: ViewTransform;
  /** The wheel: zoom by factor about (sx, sy), fractions of the view. */
  onZoom?: (factor: number, sx: number, sy: number) => void;
  /** A middle-button or Shift+left drag by (dsx, dsy), fractions of the view. */
  onPan?: (dsx: number, dsy: number) => void;
  /** Images over the plane, drawn with its zoom and pan (see layer-draw.ts). */
  layers?: readonly PlaneLayer[];
  /** Drawn last, in canvas pixels (e.g. a brush ring); a new function redraws. */
  decorate?: ((ctx: CanvasRenderingContext2D, width: number, height: number) => void) | null;
  /** A left drag without Shift paints instead of picking: positions as fractions of the view. */
  onPaint?: PaintHandlers;
  /** The pointer over the canvas, fractions of the view; null when it leaves. */
  onHover?: (at: { sx: number; sy: number } | null) => void;
}

export interface PaintHandlers {
  down: (sx: number, sy: number) => void;
  /** Every move while the button is held, also outside the canvas. */
  move: (sx: number, sy: number) => void;
  up: () => void;
}

export function PlaneCanvas({
  plane,
  overlay = null,
  opacity = 0.5,
  low = 0,
  high = 255,
  colormap = 'grey',
  maxWidth,
  maxHeight,
  cursor = null,
  label,
  className,
  onPick,
  view = IDENTITY_VIEW,
  onZoom,
  onPan,
  layers,
  decorate = null,
  onPaint,
  onHover,
}: PlaneCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const size = plane ? physicalCanvasSize(plane.width, plane.height, plane.pixelNm, maxWidth, maxHeight) : null;
  // The bar measures the screen: nm per canvas pixel shrink with the zoom.
  const bar = size ? chooseScaleBar(size.nmPerPx / view.zoom, size.width) : null;

  // The composited plane (window/level, overlay), made again only when those change; zoom and pan only redraw it.
  const image = useMemo(() => {
    if (plane === null) return null;
    const labels = overlay !== null && overlay.width === plane.width && overlay.height === plane.height ? overlay.pixels : null;
    return planeImage(compositePlane(plane.pixels, labels, { low, high, opacity, colormap }), plane.width, plane.height);
  }, [plane, overlay, low, high, opacity, colormap]);

  const fx = cursor?.fx;
  const fy = cursor?.fy;
  const { zoom, cx, cy } = view;
  // Redraw only when what is drawn changes (not on every store update, e.g. job progress).
  useEffect(() => {
    const canvas = ref.current;
    if (canvas === null || image === null) return;
    const t = { zoom, cx, cy };
    const transform = zoom === 1 && cx === 0.5 && cy === 0.5 ? null : canvasTransform(t, canvas.width, canvas.height);
    drawPlaneImage(canvas, image, transform);
    if (layers && layers.length > 0) drawLayers(canvas, layers, transform);
    if (fx !== undefined && fy !== undefined) {
      const s = planeToScreen(t, fx, fy);
      drawCrosshair(canvas, s.sx * canvas.width, s.sy * canvas.height);
    }
    if (bar) drawScaleBar(canvas, bar);
    const ctx = decorate ? canvas.getContext('2d') : null;
    if (ctx) decorate!(ctx, canvas.width, canvas.height);
    // bar follows from plane, the box and the zoom; the layers' key says when they changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [image, fx, fy, zoom, cx, cy, maxWidth, maxHeight, layersKey(layers), decorate]);

  // The wheel by a listener that is not passive, so the page does not scroll while zooming.
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;
  const hasCanvas = plane !== null;
  useEffect(() => {
    const canvas = ref.current;
    if (canvas === null) return;
    const wheel = (e: WheelEvent) => {
      if (!zoomRef.current || e.deltaY === 0) return;
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      zoomRef.current(wheelZoomFactor(e.deltaY, e.deltaMode), (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
    };
    canvas.addEventListener('wheel', wheel, { passive: false });
    return () => canvas.removeEventListener('wheel', wheel);
  }, [hasCanvas]);

  const panRef = useRef(onPan);
  panRef.current = onPan;
  const paintRef = useRef(onPaint);
  paintRef.current = onPaint;
  const mouseDown = (e: MouseEvent<HTMLCanvasElement>) => {
    if (paintRef.current && e.button === 0 && !e.shiftKey) {
      // No text selection while dragging; the keys (e.g. the next slice) stay with the view.
      e.preventDefault();
      (e.currentTarget.closest('[tabindex]') as HTMLElement | null)?.focus({ preventScroll: true });
      const r = e.currentTarget.getBoundingClientRect();
      const at = (m: { clientX: number; clientY: number }): [number, number] => [(m.clientX - r.left) / r.width, (m.clientY - r.top) / r.height];
      paintRef.current.down(...at(e));
      const move = (m: globalThis.MouseEvent) => paintRef.current?.move(...at(m));
      const up = () => {
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
        paintRef.current?.up();
      };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
      return;
    }
    if (!panRef.current || !(e.button === 1 || (e.button === 0 && e.shiftKey))) return;
    e.preventDefault();
    const r = e.currentTarget.getBoundingClientRect();
    let last = { x: e.clientX, y: e.clientY };
    const move = (m: globalThis.MouseEvent) => {
      panRef.current?.((m.clientX - last.x) / r.width, (m.clientY - last.y) / r.height);
      last = { x: m.clientX, y: m.clientY };
    };
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };

  const click = (e: MouseEvent<HTMLCanvasElement>) => {
    // Shift+left drags pan: no cursor move.
    if (!onPick || (onPan && e.shiftKey) || onPaint) return;
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
          data-zoom={view.zoom}
          data-view-centre={`${view.cx},${view.cy}`}
          onClick={click}
          onMouseDown={onPan || onPaint ? mouseDown : undefined}
          onMouseMove={onHover ? (e) => hoverAt(e, onHover) : undefined}
          onMouseLeave={onHover ? () => onHover(null) : undefined}
          className={onPaint ? 'paintable' : onPick ? 'pickable' : undefined}
        />
      ) : (
        <div className="plane-empty">Loading…</div>
      )}
      <figcaption>
        <span className="plane-label">{label}</span>
        {bar && (
          <span className="scale-bar-label" data-bar-nm={bar.nm} data-bar-px={bar.px}>
            scale bar {bar.label}
          </span>
        )}
      </figcaption>
    </figure>
  );
}

function hoverAt(e: MouseEvent<HTMLCanvasElement>, onHover: (at: { sx: number; sy: number }) => void): void {
  const r = e.currentTarget.getBoundingClientRect();
  onHover({ sx: (e.clientX - r.left) / r.width, sy: (e.clientY - r.top) / r.height });
}
