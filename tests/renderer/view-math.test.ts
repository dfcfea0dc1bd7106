// The 2D views' geometry without a browser: physical aspect, canvas size,
// scale-bar lengths, click ↔ voxel index for every plane, and the pixels of
// window/level and the label overlay.
import { describe, expect, it } from 'vitest';
import { compositePlane, LABEL_COLOUR, windowLevelLut } from '../../src-renderer/components/overlay';
import {
  canvasTransform,
  chooseScaleBar,
  formatLengthNm,
  clampView,
  cursorFromClick,
  cursorFromScreen,
  cursorOnScreen,
  IDENTITY_VIEW,
  panView,
  planeAxes,
  planeToScreen,
  screenToPlane,
  wheelZoomFactor,
  zoomViewAbout,
  ZOOM_MAX,
  ZOOM_MIN,
  ZOOM_STEP,
  cursorNm,
  cursorOnCanvas,
  physicalAspect,
  physicalCanvasSize,
  planeIndex,
  stepCursor,
  type Cursor,
} from '../../src-renderer/components/view-math';

describe('physical aspect and canvas size', () => {
  it('stretches z by the true voxel size: 48 × 8 pixels of 5 × 20 nm are 240 × 160 nm', () => {
    expect(physicalAspect(48, 8, { u: 5, v: 20 })).toBeCloseTo(160 / 240, 12);
    const s = physicalCanvasSize(48, 8, { u: 5, v: 20 }, 340, 340);
    expect([s.width, s.height]).toEqual([340, Math.round((340 * 160) / 240)]);
    expect(s.nmPerPx).toBeCloseTo(240 / 340, 12);
  });

  it('fits tall planes by height and keeps square pixels square', () => {
    const tall = physicalCanvasSize(10, 100, { u: 5, v: 5 }, 340, 340);
    expect([tall.width, tall.height]).toEqual([34, 340]);
    expect(tall.nmPerPx).toBeCloseTo(500 / 340, 12);
    const sq = physicalCanvasSize(40, 40, { u: 2.5, v: 2.5 }, 300, 200);
    expect([sq.width, sq.height]).toEqual([200, 200]);
    // Never collapses to nothing.
    expect(physicalCanvasSize(1000, 1, { u: 1, v: 1 }, 100, 100).height).toBe(1);
  });
});

describe('scale bar', () => {
  it('takes the longest of 1, 2, 5 × 10^k nm within 30 % of the width', () => {
    // 1 nm per px on 340 px: at most 102 nm → 100 nm, 100 px.
    expect(chooseScaleBar(1, 340)).toEqual({ nm: 100, px: 100, label: '100 nm' });
    // Units that scale: µm from 1000 nm, mm from 10^6 nm.
    expect(chooseScaleBar(10, 340)?.label).toBe('1 µm');
    expect(chooseScaleBar(30, 400)?.label).toBe('2 µm');
    expect(chooseScaleBar(0.01, 100)?.label).toBe('0.2 nm');
    expect(formatLengthNm(500)).toBe('500 nm');
    expect(formatLengthNm(1500)).toBe('1.5 µm');
    expect(formatLengthNm(5e6)).toBe('5 mm');
    // 0.70588 nm/px × 340 px × 0.3 = 72 nm → 50 nm.
    expect(chooseScaleBar(240 / 340, 340)?.nm).toBe(50);
    expect(chooseScaleBar(10, 340)?.nm).toBe(1000);
    expect(chooseScaleBar(30, 400)?.nm).toBe(2000);
    expect(chooseScaleBar(0.01, 100)?.nm).toBe(0.2);
    for (const [nmPerPx, w] of [
      [0.37, 512],
      [3.3, 300],
      [17, 200],
    ] as const) {
      const bar = chooseScaleBar(nmPerPx, w)!;
      expect(bar.px).toBeLessThanOrEqual(0.3 * w + 1e-9);
      expect(bar.px).toBeGreaterThan(0.3 * w * 0.4 - 1e-9); // the next round length would not fit: at most 2.5 × shorter
      expect(bar.px * nmPerPx).toBeCloseTo(bar.nm, 9);
      expect(String(bar.nm)).toMatch(/^[125]0*$|^0\.[125]$/);
    }
  });
});

describe('linked cursor', () => {
  const shape = [8, 40, 48] as const; // z, y, x
  const c: Cursor = { z: 4, y: 20, x: 24 };

  it('each view shows the plane of its own index: xy → z, xz → y, yz → x', () => {
    expect([planeIndex('xy', c), planeIndex('xz', c), planeIndex('yz', c)]).toEqual([4, 20, 24]);
  });

  it('a click sets the two in-plane indices and keeps the plane index', () => {
    // xz view: u = x (48), v = z (8). A click at 25 %, 80 % → x 12, z 6; y stays 20.
    expect(cursorFromClick('xz', 0.25, 0.8, 1, 1, shape, c)).toEqual({ z: 6, y: 20, x: 12 });
    // xy view on a 480 × 400 canvas: (95, 399) → x 9, y 39.
    expect(cursorFromClick('xy', 95, 399, 480, 400, shape, c)).toEqual({ z: 4, y: 39, x: 9 });
    // yz view: u = y (40), v = z (8); the very edge clamps to the last voxel.
    expect(cursorFromClick('yz', 1, 1, 1, 1, shape, c)).toEqual({ z: 7, y: 39, x: 24 });
    expect(cursorFromClick('yz', -0.1, 0, 1, 1, shape, c)).toEqual({ z: 0, y: 0, x: 24 });
  });

  it('round-trips: the cursor drawn on a canvas, clicked there, is the same voxel', () => {
    for (const axis of ['xy', 'xz', 'yz'] as const) {
      for (const cur of [c, { z: 0, y: 0, x: 0 }, { z: 7, y: 39, x: 47 }]) {
        const p = cursorOnCanvas(axis, cur, 340, 227, shape);
        expect(cursorFromClick(axis, p.cx, p.cy, 340, 227, shape, cur)).toEqual(cur);
      }
    }
  });

  it('steps and clamps, and gives the position in nm', () => {
    expect(stepCursor(c, 'z', 1, shape).z).toBe(5);
    expect(stepCursor({ ...c, z: 7 }, 'z', 1, shape).z).toBe(7);
    expect(stepCursor({ ...c, z: 0 }, 'z', -1, shape).z).toBe(0);
    expect(cursorNm(c, { x: 5, y: 5, z: 20 })).toEqual({ x: 120, y: 100, z: 80 });
    expect(cursorNm(c, { x: 5, y: 5, z: 20 }, 10)).toEqual({ x: 120, y: 100, z: 90 });
  });
});

describe('window/level and label overlay', () => {
  it('maps the window onto 0..255 and clamps outside', () => {
    const lut = windowLevelLut(50, 150);
    expect([lut[0], lut[50], lut[100], lut[150], lut[255]]).toEqual([0, 0, 128, 255, 255]);
    expect(Array.from(windowLevelLut(0, 255))).toEqual(Array.from({ length: 256 }, (_, i) => i));
    const step = windowLevelLut(100, 100);
    expect([step[99], step[100]]).toEqual([0, 255]);
  });

  it('blends the label colour over solid pixels only, at the opacity', () => {
    const grey = Uint8Array.from([0, 100, 200, 255]);
    const labels = Uint8Array.from([255, 0, 1, 255]);
    const half = compositePlane(grey, labels, { opacity: 0.5 });
    const [r, g, b] = LABEL_COLOUR;
    expect(Array.from(half.slice(0, 4))).toEqual([Math.round(r / 2), Math.round(g / 2), Math.round(b / 2), 255]);
    expect(Array.from(half.slice(4, 8))).toEqual([100, 100, 100, 255]);
    expect(Array.from(half.slice(8, 12))).toEqual([Math.round(200 + (r - 200) / 2), Math.round(200 + (g - 200) / 2), Math.round(200 + (b - 200) / 2), 255]);
    // Opacity 0 and no labels: plain grey; opacity 1: the colour.
    expect(Array.from(compositePlane(grey, labels, { opacity: 0 }))).toEqual(Array.from(compositePlane(grey, null)));
    expect(Array.from(compositePlane(grey, labels, { opacity: 1 }).slice(12, 15))).toEqual([r, g, b]);
    // Labels of another size are ignored rather than misdrawn.
    expect(Array.from(compositePlane(grey, Uint8Array.from([255]), { opacity: 1 }).slice(0, 3))).toEqual([0, 0, 0]);
    // The window applies before the blend.
    expect(Array.from(compositePlane(grey, null, { low: 100, high: 200 }).filter((_, i) => i % 4 === 0))).toEqual([0, 0, 255, 255]);
  });
});

describe('zoom and pan of a view (screen ↔ plane ↔ voxel)', () => {
  const shape = [8, 40, 48] as const;
  const start: Cursor = { z: 4, y: 20, x: 24 };

  it('at rest the screen is the plane: the same voxels as a plain click', () => {
    for (const [sx, sy] of [
      [0, 0],
      [0.3, 0.71],
      [0.999, 0.999],
    ])
      expect(cursorFromScreen('xy', sx, sy, IDENTITY_VIEW, shape, start)).toEqual(cursorFromClick('xy', sx, sy, 1, 1, shape, start));
  });

  it('zooming about a point keeps the plane point under it fixed', () => {
    for (const [sx, sy] of [
      [0.3, 0.6],
      [0.5, 0.5],
      [0.62, 0.41],
    ]) {
      const before = screenToPlane(IDENTITY_VIEW, sx, sy);
      const z2 = zoomViewAbout(IDENTITY_VIEW, 2, sx, sy);
      expect(z2.zoom).toBe(2);
      const after = screenToPlane(z2, sx, sy);
      expect(after.fx).toBeCloseTo(before.fx, 12);
      expect(after.fy).toBeCloseTo(before.fy, 12);
      // And again from the zoomed view, by a wheel notch.
      const z3 = zoomViewAbout(z2, z2.zoom * ZOOM_STEP, sx, sy);
      expect(screenToPlane(z3, sx, sy).fx).toBeCloseTo(before.fx, 12);
      expect(screenToPlane(z3, sx, sy).fy).toBeCloseTo(before.fy, 12);
    }
    // Numbers: 2× about (0.3, 0.6) puts the centre at 0.3 + 0.2 / 2 = 0.4, 0.6 − 0.1 / 2 = 0.55.
    const t = zoomViewAbout(IDENTITY_VIEW, 2, 0.3, 0.6);
    expect(t.cx).toBeCloseTo(0.4, 12);
    expect(t.cy).toBeCloseTo(0.55, 12);
    // The voxel under the pointer is the same before and after.
    expect(cursorFromScreen('xy', 0.3, 0.6, t, shape, start)).toEqual(cursorFromScreen('xy', 0.3, 0.6, IDENTITY_VIEW, shape, start));
    // Elsewhere a click lands half as far from the pointer: screen 0.8 → plane 0.3 + 0.5 / 2 = 0.55 → x = floor(0.55 · 48) = 26.
    expect(cursorFromScreen('xy', 0.8, 0.6, t, shape, start).x).toBe(26);
  });

  it('four wheel notches double the zoom, wheel down zooms out', () => {
    expect(wheelZoomFactor(-400)).toBeCloseTo(2, 12);
    expect(wheelZoomFactor(-100)).toBeCloseTo(ZOOM_STEP, 12);
    expect(wheelZoomFactor(100)).toBeCloseTo(1 / ZOOM_STEP, 12);
    expect(wheelZoomFactor(-3, 1)).toBeCloseTo(ZOOM_STEP, 12);
  });

  it('panning moves the plane with the pointer: a drag of a quarter view at 2× shifts the centre by an eighth', () => {
    const t = { zoom: 2, cx: 0.5, cy: 0.5 };
    const p = panView(t, -0.25, 0.1);
    expect(p.cx).toBeCloseTo(0.625, 12);
    expect(p.cy).toBeCloseTo(0.45, 12);
    // The plane point that was under (0.6, 0.6) is under (0.35, 0.7) after the drag.
    const f = screenToPlane(t, 0.6, 0.6);
    const g = screenToPlane(p, 0.35, 0.7);
    expect(g.fx).toBeCloseTo(f.fx, 12);
    expect(g.fy).toBeCloseTo(f.fy, 12);
  });

  it('clamps the zoom to 1..16 and the centre so the plane fills the view', () => {
    expect(zoomViewAbout(IDENTITY_VIEW, 100, 0.2, 0.2).zoom).toBe(ZOOM_MAX);
    expect(zoomViewAbout({ zoom: 4, cx: 0.3, cy: 0.3 }, 0.1, 0.2, 0.2)).toEqual(IDENTITY_VIEW);
    expect(ZOOM_MIN).toBe(1);
    // No pan at 1×; at 4× the centre stays within 1/8 .. 7/8.
    expect(panView(IDENTITY_VIEW, 0.3, -0.2)).toEqual(IDENTITY_VIEW);
    expect(panView({ zoom: 4, cx: 0.5, cy: 0.5 }, 10, -10)).toEqual({ zoom: 4, cx: 0.125, cy: 0.875 });
    // Zooming about a corner near the edge still shows only the plane.
    const t = zoomViewAbout(IDENTITY_VIEW, 2, 0, 1);
    expect(screenToPlane(t, 0, 1)).toEqual({ fx: 0, fy: 1 });
    expect(clampView({ zoom: Number.NaN, cx: 2, cy: -1 })).toEqual(IDENTITY_VIEW);
    // Clicks off the plane cannot happen in a clamped view; indices are still clamped to the volume.
    expect(cursorFromScreen('xz', 1.5, -0.5, IDENTITY_VIEW, shape, start)).toEqual({ z: 0, y: 20, x: 47 });
  });

  it('screen ↔ plane round-trips, and the cursor drawn is the voxel clicked', () => {
    const views = [IDENTITY_VIEW, { zoom: 2.5, cx: 0.3, cy: 0.7 }, { zoom: 16, cx: 0.9, cy: 0.05 }].map(clampView);
    for (const t of views)
      for (const [fx, fy] of [
        [0.1, 0.2],
        [0.55, 0.95],
      ]) {
        const s = planeToScreen(t, fx, fy);
        const back = screenToPlane(t, s.sx, s.sy);
        expect(back.fx).toBeCloseTo(fx, 12);
        expect(back.fy).toBeCloseTo(fy, 12);
      }
    for (const axis of ['xy', 'xz', 'yz'] as const)
      for (const t of views) {
        const c: Cursor = { z: 5, y: 33, x: 44 };
        const s = cursorOnScreen(axis, c, t, shape);
        expect(cursorFromScreen(axis, s.sx, s.sy, t, shape, start)[planeAxes(axis).u]).toBe(c[planeAxes(axis).u]);
        expect(cursorFromScreen(axis, s.sx, s.sy, t, shape, start)[planeAxes(axis).v]).toBe(c[planeAxes(axis).v]);
      }
  });

  it('the canvas transform draws plane fraction f at screen fraction sx', () => {
    const t = { zoom: 3, cx: 0.4, cy: 0.6 };
    const m = canvasTransform(t, 340, 200);
    const s = planeToScreen(t, 0.45, 0.52);
    expect(m.scale * 0.45 * 340 + m.e).toBeCloseTo(s.sx * 340, 9);
    expect(m.scale * 0.52 * 200 + m.f).toBeCloseTo(s.sy * 200, 9);
  });

  it('the scale bar at zoom z measures nm per screen pixel divided by z', () => {
    const base = chooseScaleBar(240 / 340, 340)!;
    const zoomed = chooseScaleBar(240 / 340 / 4, 340)!;
    expect(base.nm / base.px).toBeCloseTo(240 / 340, 12);
    expect(zoomed.nm / zoomed.px).toBeCloseTo(240 / 340 / 4, 12);
    expect([base.label, zoomed.label]).toEqual(['50 nm', '10 nm']);
  });
});
