// Canvas drawing of layers over a plane (the Annotate mode's paint, prediction
// and uncertainty): each layer is an off-screen canvas at the slice's full
// resolution, scaled onto the view with the same zoom and pan as the grey
// (which may be a downsampled plane), blended at its opacity. Also the brush
// ring under the pointer. The pixel colours come from annotation-overlay.ts.
import type { PixelBox } from './annotation-overlay';

/** One image drawn over the whole plane; `revision` changes whenever its pixels do (the view redraws then). */
export interface PlaneLayer {
  name: string;
  image: HTMLCanvasElement;
  opacity: number;
  revision: number;
}

let nextLayerId = 1;

/** An off-screen canvas of width × height pixels whose rectangles are replaced by RGBA pixels. */
export class LayerCanvas {
  readonly canvas: HTMLCanvasElement;
  /** Unique per canvas, so that a new canvas never passes for an old one at the same revision. */
  readonly id = nextLayerId++;
  revision = 0;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
  }

  /** Replaces the pixels of `box` by `rgba` (box.width × box.height × 4 bytes). */
  put(rgba: Uint8ClampedArray, box: PixelBox): void {
    const ctx = this.canvas.getContext('2d');
    if (ctx === null || box.width <= 0 || box.height <= 0) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), box.width, box.height), box.x, box.y);
    this.revision++;
  }
}

/** Draws the layers over the canvas (after the plane), nearest neighbour, under the view's transform (view-math canvasTransform) when given. */
export function drawLayers(canvas: HTMLCanvasElement, layers: readonly PlaneLayer[], transform: { scale: number; e: number; f: number } | null): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null || layers.length === 0) return;
  ctx.save();
  ctx.imageSmoothingEnabled = false;
  for (const layer of layers) {
    if (layer.opacity <= 0) continue;
    ctx.globalAlpha = Math.min(1, layer.opacity);
    if (transform) ctx.setTransform(transform.scale, 0, 0, transform.scale, transform.e, transform.f);
    else ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layer.image, 0, 0, canvas.width, canvas.height);
  }
  ctx.restore();
}

/** The brush outline: an ellipse (a circle when the pixels are square) centred at (cx, cy) canvas pixels, light on dark so it shows on any grey. */
export function drawBrushRing(ctx: CanvasRenderingContext2D, cx: number, cy: number, rx: number, ry: number): void {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.beginPath();
  ctx.ellipse(cx, cy, Math.max(1, rx), Math.max(1, ry), 0, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.lineWidth = 1.2;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.95)';
  ctx.stroke();
  ctx.restore();
}

/** A layers' identity for a redraw: which images, at which revisions and opacities. */
export function layersKey(layers: readonly PlaneLayer[] | undefined): string {
  return (layers ?? []).map((l) => `${l.name}:${l.revision}:${l.opacity}`).join('|');
}
