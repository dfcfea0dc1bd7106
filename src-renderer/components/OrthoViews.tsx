// Three orthogonal planes of one volume (xy, xz, yz) with a linked cursor:
// clicking in one view sets the indices of the other two. z is drawn with the
// true voxel size, so a stack of 20 nm slices on 5 nm pixels looks 4× taller
// per slice than per pixel. Keyboard (when the views have focus): ArrowDown =
// next xy slice (deeper), ArrowUp = previous, PageDown / PageUp = 10 slices
// on / back, Home / End = first / last slice, 0 = reset the view. The wheel zooms about the pointer (one zoom for the three views, so
// they keep their relative scale), a middle-button or Shift+left drag pans the
// view it is in; clicks map through the zoom and pan (view-math cursorFromScreen).
// In the Annotate mode (the Segmentation step's pixel classifier) the xy view of
// the annotated volume paints instead, with the tools above the views.
// The read-out lines give the cursor's and the pointer's voxel: indices, position
// (z the slice's stored z) and the value as stored, read from the backend (the
// views draw 8-bit previews). The views size themselves to the space they have.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { uiRequests } from '../state/ui-requests';
import type { VolumeSummary, VoxelValue } from '../../src-shared/contract';
import type { PlaneAxis } from '../../src-shared/pipeline-methods';
import { formatNm } from '../format';
import { autoWindow } from './auto-window';
import { COLORMAPS, type Colormap } from './colormaps';
import type { AnnotationState } from '../state/annotation-store';
import type { ProjectStore } from '../state/project-store';
import { useAnnotationState } from '../state/use-annotation-state';
import { useAnnotateCanvas } from './annotate-pointer';
import { AnnotationTools } from './AnnotationTools';
import { PlaneCanvas } from './PlaneCanvas';
import { formatShape, formatVoxelSize } from './step-text';
import { usePlane } from './use-plane';
import {
  axisLength,
  centreCursor,
  clampIndex,
  cursorFromScreen,
  cursorNm,
  cursorOnCanvas,
  IDENTITY_VIEW,
  panView,
  planeAxes,
  planeIndex,
  stepCursor,
  zoomViewAbout,
  ZOOM_MAX,
  ZOOM_MIN,
  type Cursor,
  type ViewTransform,
} from './view-math';

/** A view's box before the space for the views is known, and the smallest one. */
const VIEW_BOX = 340;
const MIN_BOX = 120;
/** The xy view while annotating: larger, for painting. */
const ANNOTATE_BOX = 520;
/** Gap between the views, and the height under a view for its caption and slider line, px (as in app.css). */
const GRID_GAP = 14;
const SLIDER_LINE = 64;

/** Size of an element as laid out (ResizeObserver); null until measured. */
function useElementSize<T extends HTMLElement>(): [RefObject<T | null>, { width: number; height: number } | null] {
  const ref = useRef<T | null>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (el === null || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      setSize((s) => (s && Math.abs(s.width - r.width) < 1 && Math.abs(s.height - r.height) < 1 ? s : { width: r.width, height: r.height }));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, size];
}

/** A length for the read-out: nm below 10 µm, µm beyond. */
export function formatLength(nm: number): string {
  return Math.abs(nm) < 10_000 ? `${formatNm(nm)} nm` : `${Number((nm / 1000).toFixed(3))} µm`;
}

/** A stored value as read: integers as they are, floats to 4 significant digits. */
export function formatVoxelValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/** The stored value of the voxel at `c` (null while it is read or when there is none), read a moment after c settles. */
function useVoxelValue(store: ProjectStore, volume: string, c: Cursor | null): { value: VoxelValue | null; error: string | null } {
  const key = c === null ? '' : `${volume}|${c.z}|${c.y}|${c.x}`;
  const [got, setGot] = useState<{ key: string; value: VoxelValue | null; error: string | null }>({ key: '', value: null, error: null });
  useEffect(() => {
    if (c === null) return;
    let live = true;
    const t = setTimeout(() => {
      void store.voxelValue({ volume, z: c.z, y: c.y, x: c.x }).then((r) => {
        if (live) setGot({ key, value: r.ok ? r.value : null, error: r.ok ? null : r.error.message });
      });
    }, 30);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // The key says everything the request depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, key]);
  return got.key === key ? got : { value: null, error: null };
}

/** The boxes of the views in the space they have: three side by side, the xy view larger while annotating. */
export function viewBoxes(space: { width: number; height: number } | null, annotating: boolean): { xy: number; other: number } {
  if (space === null) return { xy: annotating ? ANNOTATE_BOX : VIEW_BOX, other: VIEW_BOX };
  const tall = Math.max(MIN_BOX, Math.floor(space.height - SLIDER_LINE));
  const third = Math.max(MIN_BOX, Math.floor((space.width - 2 * GRID_GAP) / 3));
  if (!annotating) {
    const box = Math.min(third, tall);
    return { xy: box, other: box };
  }
  const xy = Math.max(MIN_BOX, Math.min(ANNOTATE_BOX, tall, Math.floor(space.width * 0.55)));
  const other = Math.max(MIN_BOX, Math.min(tall, Math.floor((space.width - xy - 2 * GRID_GAP) / 2)));
  return { xy, other };
}
const MAX_PLANE = 512;
const AXES: PlaneAxis[] = ['xy', 'xz', 'yz'];
type Views = Record<PlaneAxis, ViewTransform>;
const RESET_VIEWS: Views = { xy: IDENTITY_VIEW, xz: IDENTITY_VIEW, yz: IDENTITY_VIEW };

interface OrthoViewsProps {
  store: ProjectStore;
  volume: VolumeSummary;
  /** Every volume: label volumes of the same shape can be overlaid. */
  volumes: VolumeSummary[];
  onSelect: (name: string) => void;
}

export function OrthoViews({ store, volume, volumes, onSelect }: OrthoViewsProps) {
  const shape = volume.shape;
  const [cursor, setCursor] = useState<Cursor>(() => centreCursor(shape));
  const [low, setLow] = useState(0);
  const [high, setHigh] = useState(255);
  const [colormap, setColormap] = useState<Colormap>('grey');
  // The xy view's preview pixels, for Auto contrast.
  const xyPixels = useRef<Uint8Array | null>(null);
  const autoContrast = () => {
    if (!xyPixels.current) return;
    const w = autoWindow(xyPixels.current);
    setLow(w.low);
    setHigh(w.high);
  };
  const [overlayName, setOverlayName] = useState('');
  const [opacity, setOpacity] = useState(0.4);
  const [views, setViews] = useState<Views>(RESET_VIEWS);
  /** The voxel under the pointer in any of the views; null when the pointer is elsewhere. */
  const [pointer, setPointerState] = useState<Cursor | null>(null);
  const setPointer = useCallback(
    (c: Cursor | null) => setPointerState((p) => (p === c || (p !== null && c !== null && p.z === c.z && p.y === c.y && p.x === c.x) ? p : c)),
    [],
  );
  const zoom = views.xy.zoom;
  // (The parent keys this component by volume: another volume starts again from its centre.)
  const shapeKey = shape.join('x');

  const overlayChoices = volumes.filter((v) => v.kind === 'labels' && v.name !== volume.name && v.shape.join('x') === shapeKey);
  const overlay = overlayChoices.find((v) => v.name === overlayName) ?? null;
  const pos = cursorNm(cursor, volume.voxelSizeNm, volume.zRangeNm[0]);
  const cursorValue = useVoxelValue(store, volume.name, cursor);
  const pointerValue = useVoxelValue(store, volume.name, pointer);
  // The slice's own stored z where it is known (slices may be unevenly spaced).
  const cursorZNm = cursorValue.value?.positionNm.z ?? pos.z;
  const pp = pointerValue.value;
  const annotation = useAnnotationState(store.annotation);
  const annotating = annotation.volume === volume.name;
  const [gridRef, gridSize] = useElementSize<HTMLDivElement>();
  const boxes = viewBoxes(gridSize, annotating);
  useEffect(() => {
    if (annotating) store.annotation.showSlice(cursor.z);
  }, [store, annotating, cursor.z]);

  // The wheel in one view: the new zoom for all three, about the pointer there and about the middle of the others.
  const zoomAt = (axis: PlaneAxis, factor: number, sx: number, sy: number) =>
    setViews((v) => {
      const z = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, v[axis].zoom * factor));
      const out = { ...v };
      for (const a of AXES) out[a] = a === axis ? zoomViewAbout(v[a], z, sx, sy) : zoomViewAbout(v[a], z, 0.5, 0.5);
      return out;
    });
  const panAt = (axis: PlaneAxis, dsx: number, dsy: number) => setViews((v) => ({ ...v, [axis]: panView(v[axis], dsx, dsy) }));
  const resetViews = () => setViews(RESET_VIEWS);

  const keyDown = (e: KeyboardEvent<HTMLElement>) => {
    const tag = (e.target as HTMLElement).tagName;
    if (e.key === '0' && tag !== 'INPUT' && tag !== 'SELECT' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      resetViews();
      return;
    }
    if (tag === 'INPUT' || tag === 'SELECT') return;
    if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      setCursor((c) => ({ ...c, z: e.key === 'Home' ? 0 : shape[0] - 1 }));
      return;
    }
    const delta = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[e.key] ?? 0;
    if (delta === 0) return;
    e.preventDefault();
    setCursor((c) => stepCursor(c, 'z', delta, shape));
  };

  // View > Next / Previous slice in the native menu step the same way.
  useEffect(
    () =>
      uiRequests.on((r) => {
        if (r.type === 'go-to-slice') {
          setCursor((c) => ({ ...c, z: clampIndex(r.z, shape[0]) }));
          return true;
        }
        if (r.type !== 'slice-step') return false;
        setCursor((c) => stepCursor(c, 'z', r.delta, shape));
        return true;
      }),
    [shape],
  );

  return (
    <section className="card ortho-views" aria-label="Orthoviews" tabIndex={0} onKeyDown={keyDown} data-volume={volume.name}>
      <div className="ortho-head">
        <h2>Orthoviews</h2>
        <label className="inline">
          Volume
          <select name="ortho-volume" value={volume.name} onChange={(e) => onSelect(e.target.value)}>
            {volumes.map((v) => (
              <option key={v.name} value={v.name}>
                {v.name} ({v.kind})
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {formatShape(shape)} voxels (z × y × x) · {formatVoxelSize(volume.voxelSizeNm)}
        </span>
      </div>
      <p className="cursor-readout" aria-live="polite">
        Cursor: <span className="cursor-z">z {cursor.z}</span> · <span className="cursor-y">y {cursor.y}</span> · <span className="cursor-x">x {cursor.x}</span> — position x{' '}
        {formatLength(pos.x)}, y {formatLength(pos.y)}, z {formatLength(cursorZNm)}
        {cursorValue.value && (
          <>
            {' '}
            · <span className="cursor-value">value {formatVoxelValue(cursorValue.value.value)}</span>
          </>
        )}
      </p>
      <p
        className="pointer-readout muted"
        data-z={pp?.z ?? ''}
        data-y={pp?.y ?? ''}
        data-x={pp?.x ?? ''}
        data-value={pp?.value ?? ''}
      >
        {pointer === null ? (
          'Pointer: move over a view to read a voxel'
        ) : (
          <>
            Pointer: z {pointer.z} · y {pointer.y} · x {pointer.x}
            {pp && pp.z === pointer.z && pp.y === pointer.y && pp.x === pointer.x && (
              <>
                {' '}
                — x {formatLength(pp.positionNm.x)}, y {formatLength(pp.positionNm.y)}, z {formatLength(pp.positionNm.z)} · <span className="pointer-value">value {formatVoxelValue(pp.value)}</span> ({pp.dtype})
              </>
            )}
            {pointerValue.error && <span className="field-error"> {pointerValue.error}</span>}
          </>
        )}
      </p>
      {annotating && <AnnotationTools annotation={store.annotation} state={annotation} />}
      <div className="ortho-grid" ref={gridRef}>
        {AXES.map((axis) => (
          <OrthoPlane
            key={axis}
            store={store}
            volume={volume}
            overlay={overlay}
            axis={axis}
            cursor={cursor}
            low={low}
            high={high}
            colormap={colormap}
            opacity={opacity}
            onCursor={setCursor}
            view={views[axis]}
            onZoom={(f, sx, sy) => zoomAt(axis, f, sx, sy)}
            onPan={(dx, dy) => panAt(axis, dx, dy)}
            annotate={axis === 'xy' && annotating ? annotation : null}
            box={axis === 'xy' ? boxes.xy : boxes.other}
            onPointer={setPointer}
            onPlane={
              axis === 'xy'
                ? (p) => {
                    xyPixels.current = p;
                  }
                : undefined
            }
          />
        ))}
      </div>
      <div className="ortho-controls">
        <span className="zoom-readout" data-zoom={zoom}>
          Zoom {zoom.toFixed(2)}×
        </span>
        <button type="button" name="ortho-reset-view" onClick={resetViews} disabled={zoom === 1}>
          Reset view
        </button>
        {volume.kind !== 'labels' && (
          <>
            <label className="inline">
              Window low {low}
              <input type="range" name="window-low" min={0} max={254} value={low} onChange={(e) => setLow(Math.min(Number(e.target.value), high - 1))} />
            </label>
            <label className="inline">
              high {high}
              <input type="range" name="window-high" min={1} max={255} value={high} onChange={(e) => setHigh(Math.max(Number(e.target.value), low + 1))} />
            </label>
            <label className="inline">
              Colours
              <select name="ortho-colormap" value={colormap} onChange={(e) => setColormap(e.target.value as Colormap)}>
                {COLORMAPS.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" name="ortho-auto-contrast" className="secondary small" onClick={autoContrast} title="Window from the 0.5 and 99.5 percentiles of the xy slice shown">
              Auto contrast
            </button>
          </>
        )}
        <label className="inline">
          Label overlay
          <select name="ortho-overlay" value={overlay?.name ?? ''} onChange={(e) => setOverlayName(e.target.value)} disabled={overlayChoices.length === 0}>
            <option value="">{overlayChoices.length === 0 ? 'none of the same shape' : 'none'}</option>
            {overlayChoices.map((v) => (
              <option key={v.name} value={v.name}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        {overlay && (
          <label className="inline">
            Opacity {Math.round(opacity * 100)} %
            <input type="range" name="ortho-opacity" min={0} max={100} value={Math.round(opacity * 100)} onChange={(e) => setOpacity(Number(e.target.value) / 100)} />
          </label>
        )}
      </div>
      <p className="hint">
        Click a view to move the cursor there; ↑/↓ or PgUp/PgDn step the xy slice when the views have focus. Wheel: zoom about the pointer (1× to 16×); middle-button
        or Shift+drag: pan; 0 or Reset view: the whole planes again.
      </p>
    </section>
  );
}

interface OrthoPlaneProps {
  store: ProjectStore;
  volume: VolumeSummary;
  overlay: VolumeSummary | null;
  axis: PlaneAxis;
  cursor: Cursor;
  low: number;
  high: number;
  colormap: Colormap;
  opacity: number;
  onCursor: (c: Cursor) => void;
  view: ViewTransform;
  onZoom: (factor: number, sx: number, sy: number) => void;
  onPan: (dsx: number, dsy: number) => void;
  /** The Annotate mode's state when this view paints (the xy view of the annotated volume). */
  annotate: AnnotationState | null;
  /** The square the view must fit in, px. */
  box: number;
  /** The voxel under the pointer over this view; null when it leaves. */
  onPointer: (c: Cursor | null) => void;
  /** Told the preview pixels this view shows (null while none). */
  onPlane?: (pixels: Uint8Array | null) => void;
}

function OrthoPlane({ store, volume, overlay, axis, cursor, low, high, colormap, opacity, onCursor, view, onZoom, onPan, annotate, box, onPointer, onPlane }: OrthoPlaneProps) {
  const index = planeIndex(axis, cursor);
  const { plane, error } = usePlane(store, { volume: volume.name, axis, index, maxSize: MAX_PLANE });
  useEffect(() => {
    onPlane?.(plane?.pixels ?? null);
  }, [plane, onPlane]);
  const labels = usePlane(store, overlay ? { volume: overlay.name, axis, index, maxSize: MAX_PLANE } : null);
  const a = planeAxes(axis);
  const n = axisLength(volume.shape, a.index);
  const onCanvas = cursorOnCanvas(axis, cursor, 1, 1, volume.shape);
  const paint = useAnnotateCanvas(store.annotation, annotate, volume.shape, view, index);
  return (
    <div className={`ortho-plane ortho-${axis}`} style={{ maxWidth: box }}>
      <PlaneCanvas
        plane={plane}
        overlay={overlay ? labels.plane : null}
        opacity={opacity}
        low={volume.kind === 'labels' ? 0 : low}
        high={volume.kind === 'labels' ? 255 : high}
        colormap={volume.kind === 'labels' ? 'grey' : colormap}
        maxWidth={box}
        maxHeight={box}
        cursor={{ fx: onCanvas.cx, fy: onCanvas.cy }}
        label={`${axis} plane, ${a.index} = ${index}`}
        onPick={(sx, sy) => onCursor(cursorFromScreen(axis, sx, sy, view, volume.shape, cursor))}
        view={view}
        onZoom={onZoom}
        onPan={onPan}
        layers={paint?.layers}
        decorate={paint?.decorate}
        onPaint={paint?.onPaint}
        onHover={(at) => {
          paint?.onHover?.(at);
          onPointer(at === null || at.sx < 0 || at.sx > 1 || at.sy < 0 || at.sy > 1 ? null : cursorFromScreen(axis, at.sx, at.sy, view, volume.shape, cursor));
        }}
      />
      {error && <p className="field-error">{error.message}</p>}
      <label className="inline slice-slider">
        {a.index} {index} / {n - 1}
        <input
          type="range"
          name={`slice-${axis}`}
          min={0}
          max={n - 1}
          value={index}
          onChange={(e) => onCursor({ ...cursor, [a.index]: Number(e.target.value) })}
          aria-label={`${axis} plane index (${a.index})`}
        />
      </label>
    </div>
  );
}
