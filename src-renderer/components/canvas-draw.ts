// Canvas drawing for the 2D views: the plane's pixels scaled (nearest, no
// smoothing) to a canvas sized for the physical aspect, the linked cursor and
// the scale bar; zoom and pan by the canvas transform. The maths lives in view-math.ts and overlay.ts.
import type { ScaleBar } from './view-math';

/** Draws width × height RGBA pixels over the whole canvas, nearest neighbour. */
export function drawPixels(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, width: number, height: number): void {
  const src = planeImage(rgba, width, height);
  if (src !== null) drawPlaneImage(canvas, src, null);
}

/** width × height RGBA pixels on an off-screen canvas, to be drawn (scaled, moved) by drawPlaneImage. */
export function planeImage(rgba: Uint8ClampedArray, width: number, height: number): HTMLCanvasElement | null {
  const src = document.createElement('canvas');
  src.width = width;
  src.height = height;
  const sctx = src.getContext('2d');
  if (sctx === null) return null;
  sctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  return src;
}

/**
 * Clears the canvas and draws the plane image over it, nearest neighbour,
 * under a zoom/pan transform (view-math canvasTransform) when given; the
 * transform is reset afterwards, so what follows draws in canvas pixels.
 */
export function drawPlaneImage(canvas: HTMLCanvasElement, src: HTMLCanvasElement, transform: { scale: number; e: number; f: number } | null): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = false;
  if (transform) ctx.setTransform(transform.scale, 0, 0, transform.scale, transform.e, transform.f);
  ctx.drawImage(src, 0, 0, canvas.width, canvas.height);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

/** Two thin lines through (cx, cy), the linked cursor. */
export function drawCrosshair(canvas: HTMLCanvasElement, cx: number, cy: number): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.save();
  ctx.strokeStyle = 'rgba(0, 200, 255, 0.85)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, Math.round(cy) + 0.5);
  ctx.lineTo(canvas.width, Math.round(cy) + 0.5);
  ctx.moveTo(Math.round(cx) + 0.5, 0);
  ctx.lineTo(Math.round(cx) + 0.5, canvas.height);
  ctx.stroke();
  ctx.restore();
}

/** A white bar with its length, bottom left, on a dark backing for contrast. */
export function drawScaleBar(canvas: HTMLCanvasElement, bar: ScaleBar): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const x = 8;
  const y = canvas.height - 10;
  ctx.save();
  ctx.font = '11px system-ui, sans-serif';
  const textWidth = ctx.measureText(bar.label).width;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.fillRect(x - 4, y - 18, Math.max(bar.px, textWidth) + 8, 24);
  ctx.fillStyle = '#fff';
  ctx.fillRect(x, y, bar.px, 3);
  ctx.fillText(bar.label, x, y - 4);
  ctx.restore();
}
