"""Structure families: each makes a continuous field on the fine grid (larger =
more solid); `level_cut` turns it into solid (True) / pore (False) at the
threshold that gives the requested solid fraction on the imaged faces.

`feature_px` is the family's characteristic size in in-plane pixels:
spinodal and waves, half the dominant wavelength (about one ligament width at
50 % solid); grains, the median particle diameter; pores, the median pore
diameter; fibres, the fibre diameter. Lengths are isotropic in nm: a grid with
thicker planes (dz_px > 1) samples the same structure more coarsely along z.
"""
import math

import numpy as np
import scipy.fft as sfft

from .smooth_union import (fft_shape, line_log_weight, random_rotation, sequential_packing, soft_union)


def spinodal(rng, grid, p):
    """Gaussian random field with its power on a thin shell |f| ~ 1 / wavelength:
    the linear (Cahn-Hilliard) stage of spinodal decomposition, cut at a level."""
    fshape = fft_shape(grid.shape)
    noise = rng.standard_normal(fshape, dtype=np.float32)
    spec = sfft.rfftn(noise)
    fz = sfft.fftfreq(fshape[0], d=grid.dz_px).astype(np.float32)[:, None, None]
    fy = sfft.fftfreq(fshape[1]).astype(np.float32)[None, :, None]
    fx = sfft.rfftfreq(fshape[2]).astype(np.float32)[None, None, :]
    f = np.sqrt(fz * fz + fy * fy + fx * fx)
    f0 = 1.0 / (2.0 * p['feature_px'])
    width = p['spectral_width'] * f0
    spec *= np.exp(np.float32(-0.5) * ((f - np.float32(f0)) / np.float32(width)) ** 2)
    field = sfft.irfftn(spec, fshape)
    return _crop(field, grid.shape)


def waves(rng, grid, p):
    """Cahn's leveled wave: a sum of cosines of one wavelength with random
    directions (uniform on the sphere) and phases, evaluated exactly at every
    grid point (no periodic box). Per plane the sum is one complex matrix
    product: sum_n exp(i(q_n . x + phi_n)) = E_y^T diag(a_n(z)) E_x."""
    n = int(p['n_waves'])
    q = rng.standard_normal((n, 3))
    q *= (2 * math.pi / (2.0 * p['feature_px'])) / np.linalg.norm(q, axis=1, keepdims=True)
    phase = rng.uniform(0, 2 * math.pi, n)
    nzf, nyf, nxf = grid.shape
    ey = np.exp(1j * np.outer(np.arange(nyf), q[:, 1])).astype(np.complex64)  # (ny, n)
    ex = np.exp(1j * np.outer(q[:, 2], np.arange(nxf))).astype(np.complex64)  # (n, nx)
    field = np.empty(grid.shape, dtype=np.float32)
    for iz in range(nzf):
        a = np.exp(1j * (q[:, 0] * iz * grid.dz_px + phase)).astype(np.complex64)
        field[iz] = ((ey * a) @ ex).real
    return field


def grains(rng, grid, p):
    """Sintered particle packing: log-normal spheres placed by random sequential
    addition (15 % interpenetration allowed), joined by a smooth union whose
    length sets the necks; the level cut then grows or shrinks all particles
    together to the solid fraction."""
    fshape = fft_shape(grid.shape)
    box = _box_px(fshape, grid)
    r_med = p['feature_px'] / 2
    phi = p['solid_fraction']
    target = min(1.5, -math.log(1 - min(phi, 0.95)) * 1.3)
    radii = _radii(rng, r_med, p['size_spread'], target * np.prod(box))
    centres, radii = sequential_packing(rng, box, radii, overlap=0.85)
    k = max(p['neck'] * r_med, 0.35)
    return _crop(soft_union([(centres, radii / k, None)], fshape, grid.dz_px, k), grid.shape)


def pores(rng, grid, p):
    """Solid matrix with ellipsoidal pores (log-normal sizes, random orientations
    from a few shared rotations, aspect up to pore_aspect), placed by random
    sequential addition with generous overlap so that pores connect at high
    porosity; solid = outside the (sharp) smooth union of pores."""
    fshape = fft_shape(grid.shape)
    box = _box_px(fshape, grid)
    r_med = p['feature_px'] / 2
    porosity = 1 - p['solid_fraction']
    target = -math.log(1 - min(porosity, 0.95)) * 1.1
    radii = _radii(rng, r_med, p['size_spread'], target * np.prod(box))
    centres, radii = sequential_packing(rng, box, radii, overlap=0.6)
    k = max(0.15 * r_med, 0.3)
    n_orient = max(1, int(p['pore_orientations'])) if p['pore_aspect'] > 1 else 1
    which = rng.integers(n_orient, size=len(radii))
    groups = []
    for o in range(n_orient):
        rot = random_rotation(rng)
        a = p['pore_aspect']
        semi = np.array([a, 1.0, 1.0]) / a ** (1 / 3)  # volume of the unit sphere kept
        stretch = rot @ np.diag(semi) @ rot.T if a > 1 else None
        sel = which == o
        groups.append((centres[sel], radii[sel] / k, stretch))
    return _crop(-soft_union(groups, fshape, grid.dz_px, k), grid.shape)


def fibres(rng, grid, p):
    """Random straight fibres (isotropic directions, log-normal radii, length =
    fibre_aspect x diameter) bonded where they cross by the smooth union."""
    fshape = fft_shape(grid.shape)
    box = _box_px(fshape, grid)
    r_med = p['feature_px'] / 2
    length = min(p['fibre_aspect'] * p['feature_px'], float(max(box)))
    target = -math.log(1 - min(p['solid_fraction'], 0.95)) * 1.1 * np.prod(box)
    mean_vol = math.pi * r_med ** 2 * math.exp(p['size_spread'] ** 2) * length
    n = max(1, int(round(target / mean_vol)))
    radii = np.clip(r_med * np.exp(p['size_spread'] * rng.standard_normal(n)), 0.5 * r_med, 2 * r_med)
    centres = rng.random((n, 3)) * box
    dirs = rng.standard_normal((n, 3))
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    step = 0.5
    k = max(0.25 * r_med, 0.35)
    t = np.arange(-length / 2, length / 2 + 1e-9, step)
    pts = (centres[:, None, :] + t[None, :, None] * dirs[:, None, :]).reshape(-1, 3) % box
    log_w = np.repeat(line_log_weight(radii, k) + math.log(step), len(t))
    return _crop(soft_union([(pts, log_w, None)], fshape, grid.dz_px, k), grid.shape)


FIELD_MAKERS = {'spinodal': spinodal, 'waves': waves, 'grains': grains, 'pores': pores, 'fibres': fibres}


def level_cut(field, grid, solid_fraction):
    """Threshold at the value that makes round(fraction * N) face voxels solid
    (exact unless values tie at the threshold). Returns (solid, threshold)."""
    faces = field[[grid.face_plane(i) for i in range(grid.nz)], :grid.ny, :]
    vals = faces.ravel()
    n = vals.size
    n_solid = int(round(solid_fraction * n))
    if n_solid <= 0:
        thr = float(vals.max())
    elif n_solid >= n:
        thr = float(np.nextafter(vals.min(), -np.inf))
    else:
        thr = float(np.partition(vals, n - n_solid - 1)[n - n_solid - 1])
    return field > thr, thr


def _radii(rng, r_med, spread, volume_px):
    """Log-normal radii (median r_med, clipped to [0.5, 2] r_med) whose spheres add up to volume_px."""
    mean_vol = 4 / 3 * math.pi * r_med ** 3 * math.exp(4.5 * spread ** 2)
    n = max(1, int(round(volume_px / mean_vol)))
    return np.clip(r_med * np.exp(spread * rng.standard_normal(n)), 0.5 * r_med, 2 * r_med)


def _box_px(fshape, grid):
    return (fshape[0] * grid.dz_px, float(fshape[1]), float(fshape[2]))


def _crop(field, shape):
    return np.ascontiguousarray(field[:shape[0], :shape[1], :shape[2]], dtype=np.float32)
