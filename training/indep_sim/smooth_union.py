"""Smooth union of many spheres, ellipsoids or line segments on a periodic grid.

The union is written as a log-sum-exp ("soft maximum") of per-object
signed distances:

    f(x) = k * ln( sum_i exp((r_i - d_i(x)) / k) )

For one sphere f = r - d, its signed distance. Where two objects come close the
sum of both terms lifts f, which fills the gap between them with a concave
fillet of size ~k: the neck of two sintered particles. Since
exp((r_i - d_i) / k) = exp(r_i / k) * exp(-d_i / k), the sum is a convolution of
point weights exp(r_i / k) with ONE kernel exp(-|x| / k), so any number of
objects of any radii costs a few FFTs; an ellipsoid kernel
exp(-|M x| / k) (M symmetric, det M = 1) gives ellipsoids. A line segment is a row of points along its axis; the weight per
unit length 1 / (2 r K1(r / k)) puts the level f = 0 at distance r from the
axis, since the integral of exp(-sqrt(rho^2 + t^2) / k) dt is 2 rho K1(rho / k).
"""
import numpy as np
import scipy.fft as sfft
from scipy.spatial import cKDTree
from scipy.special import k1


def fft_shape(shape):
    return tuple(sfft.next_fast_len(int(n), real=True) for n in shape)


def splat(points_px, weights, fshape, dz_px):
    """Trilinear splat of weighted points (z, y, x in pixel units) onto a periodic grid."""
    idx = np.stack([points_px[:, 0] / dz_px, points_px[:, 1], points_px[:, 2]], axis=1)
    base = np.floor(idx).astype(np.int64)
    frac = idx - base
    nz, ny, nx = fshape
    flats, ws = [], []
    for dz in (0, 1):
        wz = frac[:, 0] if dz else 1 - frac[:, 0]
        iz = (base[:, 0] + dz) % nz
        for dy in (0, 1):
            wy = frac[:, 1] if dy else 1 - frac[:, 1]
            iy = (base[:, 1] + dy) % ny
            for dx in (0, 1):
                wx = frac[:, 2] if dx else 1 - frac[:, 2]
                ix = (base[:, 2] + dx) % nx
                flats.append((iz * ny + iy) * nx + ix)
                ws.append(weights * wz * wy * wx)
    out = np.bincount(np.concatenate(flats), weights=np.concatenate(ws), minlength=nz * ny * nx)
    return out.reshape(fshape)


def kernel_spectrum(fshape, dz_px, k, stretch=None):
    """rfftn of exp(-|M x| / k) sampled at the voxels of the periodic grid
    (minimum-image offsets); M^-1 = stretch (3x3 in z, y, x order) or identity.
    Sampled in real space, not taken from the closed-form transform: the
    truncated transform rings, and far from the objects (where a level cut at
    high fractions lies) the ringing would exceed the true, tiny sum."""
    # exp(-40) is below the FFT's rounding: the kernel is computed only within
    # 40 k (scaled by the largest stretch) of the origin and is 0 beyond.
    reach = 40.0 * k * (float(np.max(np.abs(np.linalg.eigvalsh(stretch)))) if stretch is not None else 1.0)
    axes = []
    for n, step in zip(fshape, (dz_px, 1.0, 1.0)):
        half = min(n // 2, int(np.ceil(reach / step)))
        i = np.arange(-half, half + 1) if 2 * half + 1 <= n else np.arange(-(n // 2), n - n // 2)
        axes.append(i)
    z = (axes[0] * dz_px)[:, None, None]
    y = axes[1][None, :, None].astype(np.float64)
    x = axes[2][None, None, :].astype(np.float64)
    if stretch is None:
        r2 = z * z + y * y + x * x
    else:
        m = np.linalg.inv(np.asarray(stretch))
        r2 = 0.0
        for row in m:
            c = row[0] * z + row[1] * y + row[2] * x
            r2 = r2 + c * c
    kernel = np.zeros(fshape, dtype=np.float64)
    kernel[np.ix_(axes[0] % fshape[0], axes[1] % fshape[1], axes[2] % fshape[2])] = np.exp(-np.sqrt(r2) / k)
    return sfft.rfftn(kernel)


def soft_union(groups, fshape, dz_px, k):
    """f = k ln(sum) over groups of (points_px, log_weights, stretch or None); float32 field."""
    acc = None
    # Weights are exp(log_w - ref): one reference for all groups keeps the
    # numbers near 1 without changing the level set (it is added back below).
    ref = max(float(np.max(lw)) for _, lw, _ in groups if len(lw)) if any(len(lw) for _, lw, _ in groups) else 0.0
    for points, log_w, stretch in groups:
        if len(points) == 0:
            continue
        spec = sfft.rfftn(splat(points, np.exp(log_w - ref), fshape, dz_px))
        spec *= kernel_spectrum(fshape, dz_px, k, stretch)
        acc = spec if acc is None else acc + spec
    if acc is None:
        return np.full(fshape, -1e3, dtype=np.float32)
    s = sfft.irfftn(acc, fshape)
    # Far from every object the sum is below the FFT's rounding noise: floor it.
    floor = 1e-12 * float(np.max(s))
    return (k * np.log(np.maximum(s, floor)) + ref * k).astype(np.float32)


def line_log_weight(radius, k):
    """ln of the weight per unit length of a segment whose soft-union level 0 lies at `radius`."""
    return -np.log(2 * radius * k1(radius / k))


def sequential_packing(rng, box_px, radii, overlap):
    """Random sequential addition: candidates in random order, each kept unless it
    comes closer than overlap * (r_i + r_j) to an already kept one (periodic box).

    The greedy order is resolved in vectorised rounds: a candidate is kept when
    no earlier candidate that is kept or still undecided conflicts with it; this
    gives exactly the one-by-one result. Returns (centres_px, radii) kept.
    """
    n = len(radii)
    box = np.asarray(box_px, dtype=np.float64)
    pts = rng.random((n, 3)) * box
    if n == 0:
        return pts, radii
    tree = cKDTree(pts, boxsize=box)
    pairs = tree.query_pairs(r=overlap * 2 * float(np.max(radii)), output_type='ndarray')
    if len(pairs):
        d = pts[pairs[:, 0]] - pts[pairs[:, 1]]
        d -= box * np.round(d / box)
        dist = np.sqrt((d * d).sum(axis=1))
        pairs = pairs[dist < overlap * (radii[pairs[:, 0]] + radii[pairs[:, 1]])]
        pairs = np.sort(pairs, axis=1)
    first, second = pairs[:, 0], pairs[:, 1]
    state = np.zeros(n, dtype=np.int8)  # 0 undecided, 1 kept, -1 dropped
    while np.any(state == 0):
        blocked = np.zeros(n, dtype=bool)
        blocked[second[state[first] >= 0]] = True
        state[(state == 0) & ~blocked] = 1
        dropped = second[state[first] == 1]
        state[dropped[state[dropped] == 0]] = -1
    keep = state == 1
    return pts[keep], radii[keep]


def random_rotation(rng):
    q = rng.standard_normal(4)
    q /= np.linalg.norm(q)
    a, b, c, d = q
    return np.array([
        [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
        [2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b)],
        [2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d],
    ])
