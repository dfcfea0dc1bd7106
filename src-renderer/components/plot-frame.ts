// The frame both plot kinds share (Quality curves, Thickness / Registration series):
// white background, the two axes, ticks with labels along x and y, the x label and
// the title. The caller maps data to pixels with the returned px / py.

export interface PlotFrame {
  ctx: CanvasRenderingContext2D;
  px: (x: number) => number;
  py: (y: number) => number;
  left: number;
  right: number;
  width: number;
}

export interface FrameOptions {
  margins: { left: number; right: number; top: number; bottom: number };
  x: { min: number; max: number; ticks: readonly number[] };
  y: { min: number; max: number; ticks: readonly number[] };
  xLabel: string;
  title: string;
}

const label = (v: number) => String(Number(v.toFixed(3)));

/** Draws the frame and leaves the context saved (the caller restores it after drawing its data). */
export function drawPlotFrame(canvas: HTMLCanvasElement, o: FrameOptions): PlotFrame | null {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return null;
  const W = canvas.width;
  const H = canvas.height;
  const { left, right, top, bottom } = o.margins;
  const spanX = o.x.max - o.x.min || 1;
  const spanY = o.y.max - o.y.min || 1;
  const px = (x: number) => left + ((x - o.x.min) / spanX) * (W - left - right);
  const py = (y: number) => top + (1 - (y - o.y.min) / spanY) * (H - top - bottom);
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#333';
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, H - bottom);
  ctx.lineTo(W - right, H - bottom);
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of o.x.ticks) {
    ctx.beginPath();
    ctx.moveTo(px(t), H - bottom);
    ctx.lineTo(px(t), H - bottom + 4);
    ctx.stroke();
    ctx.fillText(label(t), px(t), H - bottom + 6);
  }
  ctx.fillText(o.xLabel, left + (W - left - right) / 2, H - 14);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of o.y.ticks) {
    ctx.beginPath();
    ctx.moveTo(left - 4, py(t));
    ctx.lineTo(left, py(t));
    ctx.stroke();
    ctx.fillText(label(t), left - 6, py(t));
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.font = 'bold 12px system-ui, sans-serif';
  ctx.fillText(o.title, left, 6);
  ctx.font = '11px system-ui, sans-serif';
  return { ctx, px, py, left, right, width: W };
}

/** Ticks from..to (inclusive, with a small tolerance) every step. */
export function ticks(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(v);
  return out;
}
