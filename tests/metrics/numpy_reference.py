# Independent reference for the metrics tests: numpy only, no run lengths, no FFT.
# argv: volume.raw nz ny nx rmax [truth.raw]; prints JSON with curves for r = 0..min(rmax, n_axis - 1).
import json
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

path, nz, ny, nx, rmax = sys.argv[1], *map(int, sys.argv[2:6])
vol = np.fromfile(path, dtype=np.uint8).reshape(nz, ny, nx).astype(bool)
AXIS = {"z": 0, "y": 1, "x": 2}


def s2(a, axis, r):
    n = a.shape[axis]
    head = np.take(a, np.arange(0, n - r), axis=axis)
    tail = np.take(a, np.arange(r, n), axis=axis)
    return float(np.mean(head & tail))


def lineal(a, axis, r):
    windows = sliding_window_view(a, r + 1, axis=axis)
    return float(np.mean(windows.all(axis=-1)))


out = {
    "s2": {d: [s2(vol, ax, r) for r in range(min(rmax, vol.shape[ax] - 1) + 1)] for d, ax in AXIS.items()},
    "lp": {d: [lineal(vol, ax, r) for r in range(min(rmax, vol.shape[ax] - 1) + 1)] for d, ax in AXIS.items()},
}
if len(sys.argv) > 6:
    truth = np.fromfile(sys.argv[6], dtype=np.uint8).reshape(nz, ny, nx).astype(bool)
    tp = int(np.sum(vol & truth))
    tn = int(np.sum(~vol & ~truth))
    fp = int(np.sum(vol & ~truth))
    fn = int(np.sum(~vol & truth))
    d_solid = 2 * tp / (2 * tp + fp + fn)
    d_pore = 2 * tn / (2 * tn + fp + fn)
    out["truth"] = {
        "mp": 100 * (1 - (tp + tn) / vol.size),
        "mgp": 100 * (1 - tp / (tp + fn)),
        "mds": (d_solid + d_pore) / 2,
    }
print(json.dumps(out))
