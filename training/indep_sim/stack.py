"""make_stack: structure -> faces -> detector image, with every parameter recorded.

Random numbers come from three independent streams spawned from the seed
(numpy SeedSequence): parameter draws, structure, artefacts and noise. So the same
seed gives the same structure whatever the imaging settings (kV, detector,
fill, noise): a kV series images one block.
"""
import time

import numpy as np

from . import params as P
from .acquisition import acquire
from .grid import make_grid
from .imaging import attenuation_lengths_nm, face_signal
from .structures import FIELD_MAKERS, level_cut


def make_stack(family, seed, shape=(16, 64, 64), randomize=False, **params):
    """Returns (grey (nz, ny, nx) uint8/uint16, truth (nz, ny, nx) uint8 0/1, info dict).

    family: one of FAMILIES, or 'random' (drawn from the seed).
    randomize: draw every parameter not given in **params from the documented
    ranges (params.RANDOM_*), for domain randomisation.
    """
    t0 = time.perf_counter()
    seed = int(seed)
    draw_ss, structure_ss, noise_ss = np.random.SeedSequence(seed).spawn(3)
    draw_rng = np.random.default_rng(draw_ss)
    if family == 'random':
        family = P.FAMILIES[int(draw_rng.integers(len(P.FAMILIES)))]
    if family not in FIELD_MAKERS:
        raise ValueError(f'family must be one of {list(FIELD_MAKERS)} or "random", got {family!r}')
    p = P.resolve(params, draw_rng if randomize else None)
    if randomize and 'feature_px' not in params:
        # Keep a few features across the smallest in-plane side.
        p['feature_px'] = float(min(p['feature_px'], max(4.0, min(shape[1], shape[2]) / 4)))
    grid = make_grid(shape, p)

    field = FIELD_MAKERS[family](np.random.default_rng(structure_ss), grid, p)
    solid, threshold = level_cut(field, grid, p['solid_fraction'])
    del field
    t1 = time.perf_counter()
    signal, truth = face_signal(solid, grid, p)
    grey = acquire(signal, np.random.default_rng(noise_ss), p)
    t2 = time.perf_counter()

    fill_nm, solid_nm = attenuation_lengths_nm(p)
    info = {
        'generator': 'fibrecon independent FIB-SEM simulator (training/indep_sim)',
        'version': 1,
        'family': family,
        'seed': seed,
        'randomize': bool(randomize),
        'shape': [int(n) for n in grey.shape],
        'dtype': p['dtype'],
        'voxel_size_nm': {'x': p['pixel_nm'], 'y': p['pixel_nm'], 'z': p['slice_nm']},
        'z_positions_nm': [i * p['slice_nm'] for i in range(grid.nz)],
        'params': p,
        'solid_fraction_requested': p['solid_fraction'],
        'solid_fraction_true': float(truth.mean()),
        'level_cut_threshold': threshold,
        'attenuation_length_nm': {'fill': fill_nm, 'solid': solid_nm},
        'grid': grid.describe(),
        'seconds': {'structure': round(t1 - t0, 3), 'imaging': round(t2 - t1, 3)},
    }
    return grey, truth, info


def otsu_sanity(grey, truth):
    """Otsu's threshold (scikit-image) on the whole grey stack: its misclassified
    percentage (MP) against the truth, and the solid fraction it gives."""
    from skimage.filters import threshold_otsu
    t = float(threshold_otsu(grey))
    seg = grey > t
    return {
        'otsu_threshold': t,
        'otsu_mp_percent': float(100.0 * np.mean(seg != truth.astype(bool))),
        'otsu_solid_fraction': float(seg.mean()),
    }
