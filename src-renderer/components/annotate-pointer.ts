// The Annotate mode on the xy orthoview: what the view draws over the grey
// (the paint of the shown slice in its classes' colours, the classifier's
// prediction and uncertainty when asked for, the brush ring under the pointer)
// and how the pointer paints. Pointer positions arrive as fractions of the view
// and become voxels through view-math's cursorFromScreen, so painting follows
// the zoom and pan; Shift+drag and the middle button still pan (PlaneCanvas).
import { useMemo, useRef, useState } from 'react';
import type { AnnotationClass } from '../../src-shared/contract';
import type { AnnotationPlane, AnnotationState, AnnotationStore, ClassifierPreview } from '../state/annotation-store';
import { classColourTable, predictionColourTable, uncertaintyColourTable, valuesToRgba } from './annotation-overlay';
import { drawBrushRing, LayerCanvas, type PlaneLayer } from './layer-draw';
import type { PaintHandlers } from './PlaneCanvas';
import { cursorFromScreen, planeToScreen, type Shape3, type ViewTransform } from './view-math';

export const PAINT_OPACITY = 0.7;
export const PREDICTION_OPACITY = 0.35;
export const UNCERTAINTY_OPACITY = 0.9;
/** Until the summary names them: the project's default classes. */
const DEFAULT_CLASSES: AnnotationClass[] = [
  { value: 1, name: 'pore', color: '#3b82f6' },
  { value: 2, name: 'solid', color: '#f59e0b' },
];

export interface AnnotateCanvasProps {
  layers: PlaneLayer[];
  decorate: ((ctx: CanvasRenderingContext2D, width: number, height: number) => void) | null;
  onPaint?: PaintHandlers;
  onHover: (at: { sx: number; sy: number } | null) => void;
}

/** The paint layer, kept in step with the plane: only the box a stroke changed is redrawn. */
function usePaintLayer(plane: AnnotationPlane | null, lut: Uint8ClampedArray): LayerCanvas | null {
  const drawn = useRef<{ layer: LayerCanvas; labels: Uint8Array; revision: number; lut: Uint8ClampedArray } | null>(null);
  if (plane === null) return null;
  let d = drawn.current;
  const fresh = d === null || d.layer.width !== plane.width || d.layer.height !== plane.height;
  if (fresh) d = drawn.current = { layer: new LayerCanvas(plane.width, plane.height), labels: plane.labels, revision: -1, lut };
  const layer = d!.layer;
  // Drawing here (not in an effect) keeps the layer in step with the canvas that draws it in this render; it is idempotent.
  if (d!.revision !== plane.revision || d!.labels !== plane.labels || d!.lut !== lut) {
    const partial = !fresh && d!.labels === plane.labels && d!.lut === lut && plane.changed !== null && d!.revision === plane.revision - 1;
    const box = partial ? plane.changed! : { x: 0, y: 0, width: plane.width, height: plane.height };
    layer.put(valuesToRgba(plane.labels, plane.width, box, lut), box);
    d!.labels = plane.labels;
    d!.revision = plane.revision;
    d!.lut = lut;
  }
  return layer;
}

function previewLayer(p: ClassifierPreview | null, values: 'labels' | 'uncertainty', lut: Uint8ClampedArray): LayerCanvas | null {
  const data = p === null ? null : values === 'labels' ? p.labels : p.uncertainty;
  if (p === null || data === null) return null;
  const layer = new LayerCanvas(p.width, p.height);
  const box = { x: 0, y: 0, width: p.width, height: p.height };
  layer.put(valuesToRgba(data, p.width, box, lut), box);
  return layer;
}

/**
 * The xy view's extras while `state` annotates the volume it shows (null: none).
 * z: the slice the view shows; the paint is drawn only when it is that slice's.
 */
export function useAnnotateCanvas(annotation: AnnotationStore, state: AnnotationState | null, shape: Shape3, view: ViewTransform, z: number): AnnotateCanvasProps | null {
  const classes = state?.summary?.classes ?? DEFAULT_CLASSES;
  const classKey = JSON.stringify(classes);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const paintLut = useMemo(() => classColourTable(classes), [classKey]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const predictionLut = useMemo(() => predictionColourTable(classes), [classKey]);
  const unsureLut = useMemo(() => uncertaintyColourTable(), []);
  const plane = state?.plane && state.plane.z === z ? state.plane : null;
  const paint = usePaintLayer(plane, paintLut);
  const result = state?.preview.result ?? null;
  const shown = result !== null && state !== null && result.volume === state.volume && result.z === z ? result : null;
  const prediction = useMemo(() => previewLayer(shown, 'labels', predictionLut), [shown, predictionLut]);
  const unsure = useMemo(() => previewLayer(shown, 'uncertainty', unsureLut), [shown, unsureLut]);
  const [hover, setHover] = useState<{ x: number; y: number } | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;
  if (state === null) return null;

  const toVoxel = (sx: number, sy: number) => {
    const c = cursorFromScreen('xy', sx, sy, viewRef.current, shape, { z, y: 0, x: 0 });
    return { x: c.x, y: c.y };
  };
  const layers: PlaneLayer[] = [];
  const add = (name: string, l: LayerCanvas | null, opacity: number) => {
    if (l !== null) layers.push({ name: `${name}-${l.id}`, image: l.canvas, opacity, revision: l.revision });
  };
  if (state.showPrediction) add('prediction', prediction, PREDICTION_OPACITY);
  if (state.showUncertainty) add('uncertainty', unsure, UNCERTAINTY_OPACITY);
  add('paint', paint, PAINT_OPACITY);

  const painting = annotation.canPaint();
  const decorate =
    painting && hover !== null
      ? (ctx: CanvasRenderingContext2D, w: number, h: number) => {
          const [, ny, nx] = shape;
          const c = planeToScreen(view, (hover.x + 0.5) / nx, (hover.y + 0.5) / ny);
          // The brush covers pixel centres within the radius: its outline lies half a pixel further out.
          const r = state.tool === 'fill' ? 0.5 : state.radiusPx + 0.5;
          drawBrushRing(ctx, c.sx * w, c.sy * h, (r / nx) * view.zoom * w, (r / ny) * view.zoom * h);
        }
      : null;
  return {
    layers,
    decorate,
    onHover: (at) => setHover(at === null ? null : toVoxel(at.sx, at.sy)),
    onPaint: painting
      ? {
          down: (sx, sy) => {
            const v = toVoxel(sx, sy);
            annotation.beginStroke(v.x, v.y);
          },
          move: (sx, sy) => {
            const v = toVoxel(sx, sy);
            setHover(v);
            annotation.extendStroke(v.x, v.y);
          },
          up: () => annotation.endStroke(),
        }
      : undefined,
  };
}
