// The Quality step's curves on a canvas: S2(r) or L(r) along x, y and z, r in nm,
// one line per axis with a legend. On an isotropic material the three agree.
import type { AxisCurves } from '../../src-shared/metric-definitions';
import { maxOf } from '../../src-shared/min-max';
import { drawPlotFrame, ticks } from './plot-frame';

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
  const axes = ['x', 'y', 'z'] as const;
  const xMax = Math.max(...axes.map((a) => curves[a].rNm[curves[a].rNm.length - 1] ?? 0), 1e-9);
  const yMax = Math.max(maxOf(axes.flatMap((a) => curves[a].values)), 1e-9) * 1.05;
  const frame = drawPlotFrame(canvas, {
    margins: { left: 48, right: 12, top: 26, bottom: 36 },
    x: { min: 0, max: xMax, ticks: ticks(0, xMax, niceStep(xMax)) },
    y: { min: 0, max: yMax, ticks: ticks(0, yMax, niceStep(yMax, 4)) },
    xLabel: 'r (nm)',
    title: `${title}  ${yLabel}`,
  });
  if (frame === null) return;
  const { ctx, px, py, right, width: W } = frame;
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
