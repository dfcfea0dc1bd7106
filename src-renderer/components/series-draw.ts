// Per-slice series on a canvas (the Thickness step's thicknesses with their
// target, the Registration step's drift dx / dy with error bars): slice index
// along x, one line per series, optional error bars, marked points (flagged
// slices) as red rings, a legend.
import { niceStep } from './curve-draw';
import { drawPlotFrame, ticks } from './plot-frame';
import { maxOf, minOf } from '../../src-shared/min-max';

export interface PlotSeries {
  label: string;
  colour: string;
  values: readonly (number | null)[];
  dashed?: boolean;
  /** Per point: an error bar of +- this much (e.g. 2 standard errors), drawn in the series' colour. */
  errors?: readonly (number | null)[];
}

/** Slices to mark (ring around the point of the first series) with what the ring means. */
export interface PlotMarks {
  indices: readonly number[];
  label: string;
}

export function seriesRange(series: readonly PlotSeries[]): { min: number; max: number } {
  const all = series.flatMap((s) =>
    s.values.flatMap((v, i) => {
      if (v === null || !Number.isFinite(v)) return [];
      const e = s.errors?.[i];
      return e !== null && e !== undefined && Number.isFinite(e) ? [v - e, v + e] : [v];
    }),
  );
  if (all.length === 0) return { min: 0, max: 1 };
  let min = minOf(all);
  let max = maxOf(all);
  if (max - min < 1e-9) {
    min -= 1;
    max += 1;
  }
  const pad = 0.08 * (max - min);
  return { min: min - pad, max: max + pad };
}

export function drawSeries(canvas: HTMLCanvasElement, opts: { title: string; xLabel: string; yLabel: string; series: readonly PlotSeries[]; marks?: PlotMarks; zeroLine?: boolean }): void {
  const n = Math.max(maxOf(opts.series.map((s) => s.values.length)), 1);
  const { min, max } = seriesRange(opts.series);
  const ys = niceStep(max - min, 6);
  const frame = drawPlotFrame(canvas, {
    margins: { left: 52, right: 12, top: 40, bottom: 36 }, // bottom = the baseline below
    // One slice alone stands in the middle.
    x: n <= 1 ? { min: -0.5, max: 0.5, ticks: [0] } : { min: 0, max: n - 1, ticks: ticks(0, n - 1, Math.max(1, Math.round(niceStep(n - 1)))) },
    y: { min, max, ticks: ticks(Math.ceil(min / ys) * ys, max, ys) },
    xLabel: opts.xLabel,
    title: `${opts.title}  ${opts.yLabel}`,
  });
  if (frame === null) return;
  const { ctx, px, py, left, right, width: W } = frame;
  const baseline = canvas.height - 36; // the x axis: where a mark without a value sits
  if (opts.zeroLine && min < 0 && max > 0) {
    ctx.strokeStyle = '#ccc';
    ctx.beginPath();
    ctx.moveTo(left, py(0));
    ctx.lineTo(W - right, py(0));
    ctx.stroke();
  }
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
    if (s.errors) {
      ctx.save();
      ctx.globalAlpha = 0.45;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([]);
      s.values.forEach((v, i) => {
        const e = s.errors?.[i];
        if (v === null || !Number.isFinite(v) || e === null || e === undefined || !Number.isFinite(e) || e <= 0) return;
        ctx.beginPath();
        ctx.moveTo(px(i), py(v - e));
        ctx.lineTo(px(i), py(v + e));
        ctx.moveTo(px(i) - 3, py(v - e));
        ctx.lineTo(px(i) + 3, py(v - e));
        ctx.moveTo(px(i) - 3, py(v + e));
        ctx.lineTo(px(i) + 3, py(v + e));
        ctx.stroke();
      });
      ctx.restore();
    }
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
      ctx.arc(px(i), v === null || v === undefined || !Number.isFinite(v) ? baseline : py(v), 6, 0, 2 * Math.PI);
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
