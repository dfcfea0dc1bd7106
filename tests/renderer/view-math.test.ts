// The 2D views' geometry without a browser: physical aspect, canvas size,
// scale-bar lengths, click ↔ voxel index for every plane, and the pixels of
// window/level and the label overlay.
import { describe, expect, it } from 'vitest';
import { compositePlane, LABEL_COLOUR, windowLevelLut } from '../../src-renderer/components/overlay';
import {
  chooseScaleBar,
  cursorFromClick,
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
