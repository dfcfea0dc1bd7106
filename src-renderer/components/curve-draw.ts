// The Quality step's curves on a canvas: S2(r) or L(r) along x, y and z, r in nm,
// one line per axis with a legend. On an isotropic material the three agree.
import type { AxisCurves } from '../../src-shared/metric-definitions';

export const AXIS_COLOURS: Record<'x' | 'y' | 'z', string> = { x: '#d94f3d', y: '#2f9e44', z: '#1c6ed6' };

/** Round step for about `n` ticks over 0..max. */
export function niceStep(max: number, n = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

export function drawCurves(canvas: HTMLCanvasElement, curves: AxisCurves, title: string, yLabel: string): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const W = canvas.width;
  const H = canvas.height;
  const left = 48;
  const right = 12;
  const top = 26;
  const bottom = 36;
  const axes = ['x', 'y', 'z'] as const;
  const xMax = Math.max(...axes.map((a) => curves[a].rNm[curves[a].rNm.length - 1] ?? 0), 1e-9);
  const yMax = Math.max(...axes.flatMap((a) => curves[a].values), 1e-9) * 1.05;
  const px = (r: number) => left + (r / xMax) * (W - left - right);
  const py = (v: number) => top + (1 - v / yMax) * (H - top - bottom);
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#333';
  // Axes, ticks and labels.
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, H - bottom);
  ctx.lineTo(W - right, H - bottom);
  ctx.stroke();
  const xs = niceStep(xMax);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let r = 0; r <= xMax + 1e-9; r += xs) {
    ctx.beginPath();
    ctx.moveTo(px(r), H - bottom);
    ctx.lineTo(px(r), H - bottom + 4);
    ctx.stroke();
    ctx.fillText(String(Number(r.toFixed(3))), px(r), H - bottom + 6);
  }
  ctx.fillText('r (nm)', left + (W - left - right) / 2, H - 14);
  const ys = niceStep(yMax, 4);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let v = 0; v <= yMax + 1e-9; v += ys) {
    ctx.beginPath();
    ctx.moveTo(left - 4, py(v));
    ctx.lineTo(left, py(v));
    ctx.stroke();
    ctx.fillText(String(Number(v.toFixed(3))), left - 6, py(v));
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.font = 'bold 12px system-ui, sans-serif';
  ctx.fillText(`${title}  ${yLabel}`, left, 6);
  // One line per axis, and the legend at the top right.
  ctx.font = '11px system-ui, sans-serif';
  axes.forEach((a, i) => {
    const c = curves[a];
    ctx.strokeStyle = AXIS_COLOURS[a];
    ctx.lineWidth = 2;
    ctx.beginPath();
    c.rNm.forEach((r, k) => (k === 0 ? ctx.moveTo(px(r), py(c.values[k])) : ctx.lineTo(px(r), py(c.values[k]))));
    ctx.stroke();
    const lx = W - right - 150 + i * 50;
    ctx.beginPath();
    ctx.moveTo(lx, 12);
    ctx.lineTo(lx + 16, 12);
    ctx.stroke();
    ctx.fillStyle = '#333';
    ctx.textBaseline = 'middle';
    ctx.fillText(a, lx + 20, 12);
  });
  ctx.restore();
}
