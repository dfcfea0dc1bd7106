"""The face signal of each slice: what the beam makes in the face slab and in
the material behind it (shine-through), and the secondary-electron edge effect.

Slab model. The beam enters the face at incidence angle alpha to the face
normal and goes deeper along the milling direction (+z) and down the image
(+y): at depth d it is d * tan(alpha) rows further down. The grid planes are
slabs of thickness dz; each stops a share of the beam still going,
1 - exp(-dz / L_fill) in pore fill and 1 - exp(-dz / L_solid) in solid, and
gives back signal in proportion to what it stopped, times its yield
(solid_signal, fill_signal). With T(d) the part of the beam that reaches plane d
(a product of exp(-dz / L) over the planes in front), plane d gives

    e(d) = T(d) * [solid_signal * s(d) * (1 - exp(-dz / L_solid)) + fill_signal * (1 - s(d)) * (1 - exp(-dz / L_fill))].

The detector counts the face slab (d = 0) fully and what comes from below with
the weight subsurface_gain (through-the-lens: most of it; in-column BSE: little).
Through a pore the beam reaches the solid behind it: that is the shine-through,
weighted by exp(-d / L_fill) and cut off by the first solid wall. The
attenuation lengths grow with beam energy like the electron range,
L(kV) = L(1 kV) * kV^1.67 (Kanaya and Okayama 1972: range ~ E^1.67). In vacuum
the fill stops nothing; its length then stands for the escape of signal from
a pore and does not depend on kV (exponent 0). The signal from depth d spreads
sideways (beam broadening): a Gaussian of sigma(d) = sqrt(0.3^2 +
(spread_per_depth * d / pixel)^2) pixels, applied per octave of depth.

The sum is divided by what bulk solid gives, solid_signal * (1 - k_s +
subsurface_gain * k_s) with k_s = exp(-dz / L_solid), like an operator who sets
contrast on the solid at every kV.
"""
import math

import numpy as np
from scipy import ndimage


def attenuation_lengths_nm(p):
    fill = p['fill_range_1kv_nm'] * p['kv'] ** p['fill_kv_exponent']
    solid = p['solid_range_1kv_nm'] * p['kv'] ** p['solid_kv_exponent']
    return fill, solid


def face_truth(solid, grid):
    """Solid (uint8 0/1) at the imaged faces, (nz, ny, nx)."""
    planes = [grid.face_plane(i) for i in range(grid.nz)]
    return solid[planes, :grid.ny, :].astype(np.uint8)


def slab_keeps(grid, p):
    """(k_fill, k_solid): the share of the beam one plane of fill / solid lets through."""
    fill_nm, solid_nm = attenuation_lengths_nm(p)
    return math.exp(-grid.dz_nm / fill_nm), math.exp(-grid.dz_nm / solid_nm)


def depth_signal(solid, grid, p):
    """(face-slab signal, signal from behind the face), each (nz, ny, nx) float32, not yet weighted by the detector."""
    keep_fill, keep_solid = slab_keeps(grid, p)
    yield_solid = np.float32(p['solid_signal'] * (1.0 - keep_solid))
    yield_fill = np.float32(p['fill_signal'] * (1.0 - keep_fill))
    rows_per_nm = math.tan(math.radians(p['incidence_deg'])) / grid.pixel_nm
    faces = np.array([grid.face_plane(i) for i in range(grid.nz)])
    ny = grid.ny
    face = solid[faces, :ny, :].astype(np.float32)
    at_face = yield_fill + (yield_solid - yield_fill) * face
    trans = keep_fill + (keep_solid - keep_fill) * face
    octaves = {}
    for d in range(1, grid.depth_planes + 1):
        shift = d * grid.dz_nm * rows_per_nm
        r0 = int(math.floor(shift))
        frac = np.float32(shift - r0)
        behind = solid[faces + d]
        plane = behind[:, r0:r0 + ny, :].astype(np.float32)
        if frac > 1e-6:
            plane += frac * (behind[:, r0 + 1:r0 + 1 + ny, :] - plane)
        emitted = (yield_fill + (yield_solid - yield_fill) * plane) * trans
        octave = int(math.log2(d))
        if octave in octaves:
            octaves[octave] += emitted
        else:
            octaves[octave] = emitted
        trans *= keep_fill + (keep_solid - keep_fill) * plane
        if float(trans.max()) < 1e-4:
            break
    return at_face, _blur_octaves(octaves, grid, p)


def _blur_octaves(octaves, grid, p):
    # Deepest octave first; each shallower octave is added and the sum blurred
    # by the difference of variances, so octave b ends up blurred by sigma_b.
    out = None
    prev_var = 0.0
    for octave in sorted(octaves, reverse=True):
        mid_nm = 1.5 * (2 ** octave) * grid.dz_nm
        var = 0.3 ** 2 + (p['spread_per_depth'] * mid_nm / grid.pixel_nm) ** 2
        if out is None:
            out, prev_var = octaves[octave], var
            continue
        sd = math.sqrt(prev_var - var)
        out = ndimage.gaussian_filter(out, (0, sd, sd), mode='nearest')
        out += octaves[octave]
        prev_var = var
    return ndimage.gaussian_filter(out, (0, math.sqrt(prev_var), math.sqrt(prev_var)), mode='nearest')


def edge_signal(face, grid, p):
    """Secondary-electron edge effect: solid pixels next to a pore emit more
    (electrons escape through the side wall too). Modelled as the positive
    part of face - blur(face), which is largest on the solid side of the
    boundary and fades over edge_width_nm; scaled so a straight edge peaks at 1."""
    width_px = max(p['edge_width_nm'] / grid.pixel_nm, 0.3)
    f = face.astype(np.float32)
    rim = f - ndimage.gaussian_filter(f, (0, width_px, width_px), mode='nearest')
    return 2.0 * np.clip(rim, 0, None)


def bulk_solid_signal(grid, p):
    _, keep_solid = slab_keeps(grid, p)
    return p['solid_signal'] * (1.0 - keep_solid + p['subsurface_gain'] * keep_solid)


def face_signal(solid, grid, p):
    """Noise-free signal per face pixel (bulk solid = 1), and the truth (uint8)."""
    truth = face_truth(solid, grid)
    at_face, below = depth_signal(solid, grid, p)
    signal = at_face + np.float32(p['subsurface_gain']) * below + np.float32(p['edge_gain']) * edge_signal(truth, grid, p)
    return (signal / np.float32(bulk_solid_signal(grid, p))).astype(np.float32), truth
