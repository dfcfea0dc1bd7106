"""Independent synthetic FIB-SEM simulator (structures with ground truth and a
physically motivated forward model), written without the app's own simulator
so that segmentation methods can be judged on data it did not make.
See docs/independent-simulator.md.

    from training.indep_sim import make_stack   # from the repository root
    grey, truth, info = make_stack('spinodal', seed=3, shape=(24, 128, 128), kv=2)
"""
from .params import DEFAULTS, DETECTORS, FAMILIES, FILLS
from .stack import make_stack, otsu_sanity

__all__ = ['make_stack', 'otsu_sanity', 'DEFAULTS', 'FAMILIES', 'DETECTORS', 'FILLS']
