# Independent references for the gap-filling tests (scipy, numpy): reads raw
# little-endian arrays named in a JSON spec (argv[1]) and writes raw results.
import json, sys
import numpy as np
from scipy import ndimage
from scipy.interpolate import CubicSpline

spec = json.loads(sys.argv[1])
mode = spec['mode']

if mode in ('cubic', 'linear', 'nearest'):
    knots = np.array(spec['knots'], dtype=np.float64)
    cols = spec['columns']
    y = np.fromfile(spec['values'], dtype='<f8').reshape(len(knots), cols)
    xe = np.array(spec['eval'], dtype=np.float64)
    if mode == 'cubic':
        out = CubicSpline(knots, y, axis=0, bc_type='not-a-knot')(xe)
    elif mode == 'linear':
        out = np.stack([np.interp(xe, knots, y[:, c]) for c in range(cols)], axis=1)
    else:
        # nearest knot; halfway goes to the smaller knot
        d = np.abs(xe[:, None] - knots[None, :])
        idx = np.argmin(d, axis=1)  # argmin returns the first (smaller) on ties
        out = y[idx, :]
    np.ascontiguousarray(out, dtype='<f8').tofile(spec['out'])

elif mode == 'holes':
    nz, ny, nx = spec['shape']
    v = np.fromfile(spec['volume'], dtype=np.uint8).reshape(nz, ny, nx).astype(bool)
    known = np.array(spec['known'], dtype=bool)
    max_area = spec['maxArea']
    cross = ndimage.generate_binary_structure(2, 1)
    fill = np.zeros_like(v)

    def small_holes(plane):
        holes = ndimage.binary_fill_holes(plane) & ~plane
        lab, n = ndimage.label(holes, structure=cross)
        if n == 0:
            return np.zeros_like(plane)
        sizes = ndimage.sum(np.ones_like(lab), lab, index=np.arange(1, n + 1))
        keep = np.zeros(n + 1, dtype=bool)
        keep[1:] = sizes < max_area
        return keep[lab]

    for y in range(ny):
        fill[:, y, :] |= small_holes(v[:, y, :])
    for x in range(nx):
        fill[:, :, x] |= small_holes(v[:, :, x])
    fill[known] = False
    out = (v | fill).astype(np.uint8)
    out.tofile(spec['out'])
