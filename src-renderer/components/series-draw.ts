// Per-slice series on a canvas (the Thickness step's thicknesses with their
// target, the Registration step's drift dx / dy): slice index along x, one line
// per series, marked points (flagged slices) as red rings, a legend.
import { niceStep } from './curve-draw';

export interface PlotSeries {
  label: string;
  colour: string;
  values: readonly (number | null)[];
  dashed?: boolean;
}

/** Slices to mark (ring around the point of the first series) with what the ring means. */
export interface PlotMarks {
  indices: readonly number[];
  label: string;
}

export function seriesRange(series: readonly PlotSeries[]): { min: number; max: number } {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (all.length === 0) return { min: 0, max: 1 };
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (max - min < 1e-9) {
    min -= 1;
    max += 1;
  }
  const pad = 0.08 * (max - min);
  return { min: min - pad, max: max + pad };
}

export function drawSeries(canvas: HTMLCanvasElement, opts: { title: string; xLabel: string; yLabel: string; series: readonly PlotSeries[]; marks?: PlotMarks; zeroLine?: boolean }): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const W = canvas.width;
  const H = canvas.height;
  const left = 52;
  const right = 12;
  const top = 40;
  const bottom = 36;
  const n = Math.max(...opts.series.map((s) => s.values.length), 1);
  const { min, max } = seriesRange(opts.series);
  const px = (i: number) => left + (n <= 1 ? 0.5 : i / (n - 1)) * (W - left - right);
  const py = (v: number) => top + (1 - (v - min) / (max - min)) * (H - top - bottom);
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
  const xs = Math.max(1, Math.round(niceStep(n - 1 || 1)));
  for (let i = 0; i < n; i += xs) {
    ctx.beginPath();
    ctx.moveTo(px(i), H - bottom);
    ctx.lineTo(px(i), H - bottom + 4);
    ctx.stroke();
    ctx.fillText(String(i), px(i), H - bottom + 6);
  }
  ctx.fillText(opts.xLabel, left + (W - left - right) / 2, H - 14);
  const ys = niceStep(max - min, 6);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let v = Math.ceil(min / ys) * ys; v <= max + 1e-9; v += ys) {
    ctx.beginPath();
    ctx.moveTo(left - 4, py(v));
    ctx.lineTo(left, py(v));
    ctx.stroke();
    ctx.fillText(String(Number(v.toFixed(3))), left - 6, py(v));
  }
  if (opts.zeroLine && min < 0 && max > 0) {
    ctx.strokeStyle = '#ccc';
    ctx.beginPath();
    ctx.moveTo(left, py(0));
    ctx.lineTo(W - right, py(0));
    ctx.stroke();
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.font = 'bold 12px system-ui, sans-serif';
  ctx.fillText(`${opts.title}  ${opts.yLabel}`, left, 6);
  ctx.font = '11px system-ui, sans-serif';
  let lx = left;
  const legend = (label: string, draw: (x: number) => void) => {
    draw(lx);
    ctx.fillStyle = '#333';
    ctx.textBaseline = 'middle';
    ctx.fillText(label, lx + 20, 28);
    lx += 28 + ctx.measureText(label).width;
  };
  for (const s of opts.series) {
    ctx.strokeStyle = s.colour;
    ctx.fillStyle = s.colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [6, 4] : []);
    ctx.beginPath();
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      if (pen) ctx.lineTo(px(i), py(v));
      else ctx.moveTo(px(i), py(v));
      pen = true;
    });
    ctx.stroke();
    if (!s.dashed)
      s.values.forEach((v, i) => {
        if (v === null || !Number.isFinite(v)) return;
        ctx.beginPath();
        ctx.arc(px(i), py(v), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      });
    legend(s.label, (x) => {
      ctx.beginPath();
      ctx.moveTo(x, 28);
      ctx.lineTo(x + 16, 28);
      ctx.stroke();
    });
  }
  ctx.setLineDash([]);
  const marks = opts.marks;
  const first = opts.series[0];
  if (marks && marks.indices.length > 0 && first) {
    ctx.strokeStyle = '#e03131';
    ctx.lineWidth = 2;
    for (const i of marks.indices) {
      const v = first.values[i];
      ctx.beginPath();
      ctx.arc(px(i), v === null || v === undefined || !Number.isFinite(v) ? H - bottom : py(v), 6, 0, 2 * Math.PI);
      ctx.stroke();
    }
    legend(marks.label, (x) => {
      ctx.beginPath();
      ctx.arc(x + 8, 28, 5, 0, 2 * Math.PI);
      ctx.stroke();
    });
  }
  ctx.restore();
}
