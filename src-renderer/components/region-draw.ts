// Drawing and pointing for the rectangles users drag on a slice (the import region of
// interest, the ruler region): one look and one mouse mapping for both pickers.
import type { MouseEvent } from 'react';

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Outlines `rect` (image pixels of an image of imageWidth x imageHeight) on the canvas that shows that image. */
export function drawRegion(c: HTMLCanvasElement, rect: PixelRect, imageWidth: number, imageHeight: number): void {
  const ctx = c.getContext('2d');
  if (!ctx) return;
  const sx = c.width / imageWidth;
  const sy = c.height / imageHeight;
  ctx.save();
  ctx.fillStyle = 'rgba(255, 196, 0, 0.18)';
  ctx.strokeStyle = '#ffc400';
  ctx.lineWidth = 2;
  ctx.fillRect(rect.x * sx, rect.y * sy, rect.width * sx, rect.height * sy);
  ctx.strokeRect(rect.x * sx + 1, rect.y * sy + 1, rect.width * sx - 2, rect.height * sy - 2);
  ctx.restore();
}

/** Where the pointer is on the canvas, as fractions (0..1) of its displayed width and height. */
export function pointerFraction(e: MouseEvent<HTMLCanvasElement>): { fx: number; fy: number } {
  const r = e.currentTarget.getBoundingClientRect();
  return { fx: (e.clientX - r.left) / r.width, fy: (e.clientY - r.top) / r.height };
}
