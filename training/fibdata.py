"""Synthetic training data (made by the app's own generator), normalisation,
slice windows and the quality metrics shared by training and evaluation.

Conventions (see docs/conventions.md): axes (z, y, x); labels 1 = solid,
0 = pore; voxel 2.5 nm in the synthetic preset.
"""
import json
import os
import subprocess
import sys

import numpy as np
import tifffile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA_DIR = os.path.join(HERE, 'data')

# The generator preset all shipped models were trained on.
PRESET = dict(columns=256, rows=192, slices=40, kv='1,2,4')


def generator_command(seed, outdir='OUTDIR'):
    return ['node', 'bin/fibrecon.mjs', 'synth', outdir, '--columns', str(PRESET['columns']),
            '--rows', str(PRESET['rows']), '--slices', str(PRESET['slices']), '--seed', str(seed),
            '--kv', PRESET['kv'], '--json']


def stack_dir(seed):
    return os.path.join(DATA_DIR, f'seed-{seed}')


def ensure_stack(seed):
    """Generates the synthetic sample for `seed` into training/data/seed-N unless it is there."""
    d = stack_dir(seed)
    if os.path.exists(os.path.join(d, 'manifest.json')) and os.path.exists(os.path.join(d, 'truth.tif')):
        return d
    os.makedirs(DATA_DIR, exist_ok=True)
    print(f'generating seed {seed} -> {d}', file=sys.stderr)
    subprocess.run(generator_command(seed, d), cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return d


# (slices, rows, columns) kept of every stack, or None for all: set by --max-stack for quick
# checks of a training script (tests), never for a shipped model.
MAX_STACK = None


def load_stack(seed, kv=2, detector='TLD'):
    """Returns (grey uint8/uint16 (Z, H, W) cropped to the ROI, truth uint8 (Z, H, W)); only the
    first MAX_STACK slices / rows / columns when MAX_STACK is set."""
    d = ensure_stack(seed)
    with open(os.path.join(d, 'manifest.json')) as f:
        roi = json.load(f)['roi']
    grey = tifffile.imread(os.path.join(d, f'{kv:g}kV_{detector}.tif'))
    grey = grey[:, roi['y']:roi['y'] + roi['height'], roi['x']:roi['x'] + roi['width']]
    truth = tifffile.imread(os.path.join(d, 'truth.tif')).astype(np.uint8)
    assert grey.shape == truth.shape, (grey.shape, truth.shape)
    if MAX_STACK is not None:
        z, y, x = MAX_STACK
        grey, truth = grey[:z, :y, :x], truth[:z, :y, :x]
    return grey, truth


# Exactly the engine's 'minmax-percentile' (src-main/inference/normalise.ts): per SLICE.
NORMALISATION = {'type': 'minmax-percentile', 'low': 1, 'high': 99, 'clip': True}
NORMALISATION_TEXT = (
    'per slice: x = clip((v - p1) / (p99 - p1), 0, 1) as float32, where v is the raw grey value and p1, p99 '
    'are the 1st and 99th percentiles of that slice (ROI only: ruler band / data bar cropped), computed like '
    "numpy.percentile (method 'linear': sort the N values, rank = q/100 * (N - 1), interpolate linearly between "
    'the two neighbouring sorted values); a flat slice (p99 == p1) gives 0. Each slice of a 2.5D window is '
    "normalised on its own. This is the app engine's {type: 'minmax-percentile', low: 1, high: 99, clip: true}.")


def normalise(stack):
    """Per-slice percentile min-max to [0, 1] (see NORMALISATION_TEXT)."""
    v = np.asarray(stack, dtype=np.float64)
    out = np.zeros(v.shape, np.float32)
    for z in range(v.shape[0]):
        lo, hi = np.percentile(v[z], [NORMALISATION['low'], NORMALISATION['high']])
        if hi > lo:
            out[z] = np.clip((v[z] - lo) / (hi - lo), 0, 1)
    return out


def pad_window(stack, window):
    """Pads the slice axis by window // 2 on both sides like numpy 'reflect' (edge slice not repeated)."""
    w = window // 2
    if w == 0:
        return stack
    return np.pad(stack, ((w, w), (0, 0), (0, 0)), mode='reflect')


def windows(stack, window, z0=0, z1=None):
    """(Z, window, H, W): channel k of slice i is slice i - w + k (reflected at the ends)."""
    z1 = stack.shape[0] if z1 is None else z1
    p = pad_window(stack, window)
    return np.stack([p[i:i + window] for i in range(z0, z1)], axis=0)


def metrics(pred, truth):
    """MP, MGP (% of the true solid voxels missed), Dice of solid and pore, MDS, solid fractions."""
    pred = np.asarray(pred).astype(bool)
    truth = np.asarray(truth).astype(bool)
    n = truth.size
    tp = np.count_nonzero(pred & truth)
    tn = np.count_nonzero(~pred & ~truth)
    fp = np.count_nonzero(pred & ~truth)
    fn = np.count_nonzero(~pred & truth)
    dice_solid = 2 * tp / max(1, 2 * tp + fp + fn)
    dice_pore = 2 * tn / max(1, 2 * tn + fp + fn)
    phi_true = (tp + fn) / n
    phi_pred = (tp + fp) / n
    return {
        'MP': 100.0 * (1 - (tp + tn) / n),
        'MGP': 100.0 * (1 - tp / max(1, tp + fn)),
        'diceSolid': dice_solid,
        'dicePore': dice_pore,
        'MDS': (dice_solid + dice_pore) / 2,
        'solidFractionTrue': phi_true,
        'solidFractionPred': phi_pred,
        'solidFractionError': phi_pred - phi_true,
    }


def otsu(grey):
    from skimage.filters import threshold_otsu
    t = threshold_otsu(np.asarray(grey))
    return np.asarray(grey) > t


def kmeans2(grey, iters=100):
    """Two-class k-means on intensity (1D Lloyd, centres start at min / max): solid = bright class."""
    v = np.asarray(grey, dtype=np.float64).ravel()
    c0, c1 = v.min(), v.max()
    for _ in range(iters):
        t = (c0 + c1) / 2
        lo, hi = v[v <= t], v[v > t]
        n0, n1 = (lo.mean() if lo.size else c0), (hi.mean() if hi.size else c1)
        if n0 == c0 and n1 == c1:
            break
        c0, c1 = n0, n1
    return np.asarray(grey) > (c0 + c1) / 2


def parse_seeds(text):
    """'1-8' -> [1..8]; '100,101' -> [100, 101]."""
    out = []
    for part in str(text).split(','):
        part = part.strip()
        if not part:
            continue
        if '-' in part:
            a, b = part.split('-')
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def machine_description():
    import platform
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return f'{cpu}, {os.cpu_count()} logical CPUs (shared), {platform.system()} {platform.release()}'
