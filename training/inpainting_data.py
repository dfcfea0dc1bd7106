"""Stacks for the ML inpainting model, made by training/make_inpainting_data.ts
(the app's own synthetic milled runs, repositioned and distance-splined by the app),
and the network's input channels (same as src-main/geometry/inpaint-input.ts)."""
import os
import subprocess

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, 'data', 'inpaint')
GAP_FEATURE_MAX = 4.0


def ensure_stacks(seeds, data_dir=DATA_DIR):
    """Makes the stacks that are not there yet with the app's own code (node + tsx from the repo)."""
    missing = [s for s in seeds if not os.path.exists(os.path.join(data_dir, f'seed-{s}', 'truth.npy'))]
    if missing:
        print(f'making {len(missing)} stack(s) with training/make_inpainting_data.ts ...', flush=True)
        subprocess.run(['node', '--import', 'tsx', os.path.join(HERE, 'make_inpainting_data.ts'), '--out', data_dir,
                        '--seeds', ','.join(str(s) for s in missing)], cwd=os.path.dirname(HERE), check=True)


def load_stack(seed, data_dir=DATA_DIR):
    d = os.path.join(data_dir, f'seed-{seed}')
    if not os.path.exists(os.path.join(d, 'truth.npy')):
        raise SystemExit(f'no inpainting data for seed {seed} in {data_dir}: run '
                         f'node --import tsx training/make_inpainting_data.ts --out {data_dir} --seeds {seed}')
    return (np.load(os.path.join(d, 'distance.npy')), np.load(os.path.join(d, 'known.npy')),
            np.load(os.path.join(d, 'truth.npy')))


def rows_to_known(known):
    """Rows from each plane to the nearest measured plane (0 on measured planes)."""
    idx = np.flatnonzero(known)
    z = np.arange(len(known))
    return np.min(np.abs(z[:, None] - idx[None, :]), axis=1).astype(np.float32)


class Stack:
    """One stack's channels as [nz, ny, nx] arrays (channel 0) and [nz] rows (channels 1, 2)."""

    def __init__(self, distance, known, truth, distance_scale_nm, gap_scale_rows):
        self.t = np.tanh(distance / np.float32(distance_scale_nm)).astype(np.float32)
        self.known = known.astype(np.float32)
        self.gap = np.minimum(rows_to_known(known) / np.float32(gap_scale_rows), GAP_FEATURE_MAX).astype(np.float32)
        self.truth = truth.astype(np.float32)
        self.distance = distance
        self.known_u8 = known

    def plane(self, axis, i):
        """Input [3, nz, w] and target [1, nz, w] of zx plane y = i (axis 'zx') or zy plane x = i ('zy')."""
        t = self.t[:, i, :] if axis == 'zx' else self.t[:, :, i]
        y = self.truth[:, i, :] if axis == 'zx' else self.truth[:, :, i]
        nz, w = t.shape
        x = np.empty((3, nz, w), np.float32)
        x[0] = t
        x[1] = self.known[:, None]
        x[2] = self.gap[:, None]
        return x, y[None]
