// Colour maps of the 2D views (src-renderer/components/colormaps.ts, overlay.ts):
// viridis equals matplotlib's table rounded to 8 bits; inverted is 255 - v; the
// composite maps the windowed grey through the map and blends labels over it.
import { describe, expect, it } from 'vitest';
import { colormapTable, COLORMAPS } from '../../src-renderer/components/colormaps';
import { compositePlane } from '../../src-renderer/components/overlay';
import { runPython } from '../helpers/python';

describe('colour maps', () => {
  it("viridis is matplotlib's viridis, rounded to 8 bits", () => {
    const ref = JSON.parse(
      runPython(`import json, numpy as np
import matplotlib
matplotlib.use('Agg')
from matplotlib import cm
print(json.dumps(np.round(cm.get_cmap('viridis')(np.arange(256) / 255.0)[:, :3] * 255).astype(int).ravel().tolist()))`),
    ) as number[];
    expect([...colormapTable('viridis')]).toEqual(ref);
  });

  it('grey and inverted are ramps; the composite maps the windowed grey and blends labels over the colour', () => {
    expect(COLORMAPS).toEqual(['grey', 'inverted', 'viridis']);
    const grey = colormapTable('grey');
    const inv = colormapTable('inverted');
    for (const v of [0, 1, 128, 254, 255]) {
      expect([grey[3 * v], grey[3 * v + 1], grey[3 * v + 2]]).toEqual([v, v, v]);
      expect([inv[3 * v], inv[3 * v + 1], inv[3 * v + 2]]).toEqual([255 - v, 255 - v, 255 - v]);
    }
    const plane = Uint8Array.from([0, 100, 150, 200]);
    // Window 100..200: 100 -> 0, 150 -> 128 (rounded), 200 -> 255; through viridis.
    const vir = colormapTable('viridis');
    const out = compositePlane(plane, Uint8Array.from([0, 0, 0, 1]), { low: 100, high: 200, colormap: 'viridis', opacity: 0.5, colour: [255, 0, 0] });
    expect([...out.slice(0, 3)]).toEqual([...vir.slice(0, 3)]);
    expect([...out.slice(4, 7)]).toEqual([...vir.slice(0, 3)]);
    expect([...out.slice(8, 11)]).toEqual([...vir.slice(3 * 128, 3 * 128 + 3)]);
    const top = [...vir.slice(3 * 255, 3 * 255 + 3)];
    expect([...out.slice(12, 15)]).toEqual([Math.round(top[0] + (255 - top[0]) * 0.5), Math.round(top[1] * 0.5), Math.round(top[2] * 0.5)]);
    expect(out[15]).toBe(255);
    // Default: grey, as before.
    expect([...compositePlane(plane, null).slice(4, 8)]).toEqual([100, 100, 100, 255]);
  });
});
