#!/usr/bin/python3
"""Evaluates a segmentation checkpoint (via PyTorch) against Otsu and k-means on
held-out synthetic stacks at 1, 2 and 4 kV and prints a table.

  /usr/bin/python3 training/evaluate_segmentation.py models/unet25d-w7-2kv.pt \
      --seeds 100-102 --kv 1,2,4 [--json out.json] [--threads 1] [--device auto]

The held-out seeds must never appear among the training / validation seeds.
Metrics (docs/conventions.md, "Quality metrics"): MP = % misplaced voxels, MGP = % of the
true solid voxels labelled pore, Dice of solid, MDS = mean Dice of solid and
pore, solid-fraction error = phi_pred - phi_true (percentage points).
Threshold: probability >= 0.5 -> solid.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch

import fibdata
from unet import UNet


def pick_device(name):
    if name == 'auto':
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    return torch.device(name)


def load_checkpoint(path, device='cpu'):
    ck = torch.load(path, map_location='cpu')
    net = UNet(**ck['config'])
    net.load_state_dict(ck['state_dict'])
    net.eval().to(device)
    return net, ck


@torch.no_grad()
def predict_stack(net, norm_stack, window, device, batch=8):
    """Probability of solid for every slice of a normalised (Z, H, W) stack."""
    z = norm_stack.shape[0]
    out = np.empty(norm_stack.shape, np.float32)
    for z0 in range(0, z, batch):
        z1 = min(z, z0 + batch)
        x = torch.from_numpy(fibdata.windows(norm_stack, window, z0, z1)).to(device)
        out[z0:z1] = torch.sigmoid(net(x))[:, 0].cpu().numpy()
    return out


def z_origins(n, size, overlap):
    """The engine's tileOrigins (src-main/inference/tiling.ts): stride size - overlap, last one flush."""
    if n <= size:
        return [0]
    stride = max(1, size - overlap)
    out = list(range(0, n - size, stride))
    return out + [n - size]


def blend_weights_1d(size, overlap, floor=0.01):
    """The engine's blendWeights1d: raised-cosine ramps over `overlap` at both ends, never zero."""
    w = np.ones(size, np.float64)
    for i in range(size):
        d = min(i, size - 1 - i)
        if d < overlap:
            w[i] = min(w[i], floor + (1 - floor) * 0.5 * (1 - np.cos(np.pi * (d + 0.5) / overlap)))
    return w


@torch.no_grad()
def predict_stack3d(net, norm_stack, slices, overlap_slices, device):
    """3D model: probability of solid for a normalised (Z, H, W) stack, by z patches of `slices` with
    `overlap_slices` overlap blended like the app's engine (z origins, raised-cosine weights, reflection
    in z when the stack is shallower than a patch); whole slices in x/y (H, W reflected up to multiples
    of 2**depth and cropped back)."""
    z, h, w = norm_stack.shape
    m = 2 ** net.config['depth']
    ph, pw = (-h) % m, (-w) % m
    idx = np.arange(z)
    if z < slices:  # reflected like the engine's reflectIndex / numpy.pad(mode='reflect'); 1 slice: repeated
        idx = np.pad(idx, (0, slices - z), mode='reflect' if z > 1 else 'edge')
    acc = np.zeros((z, h, w), np.float64)
    wsum = np.zeros(z, np.float64)
    wz = blend_weights_1d(slices, min(overlap_slices, slices - 1))
    for z0 in z_origins(z, slices, min(overlap_slices, slices - 1)):
        sel = idx[z0:z0 + slices]
        x = norm_stack[sel]
        if ph or pw:
            x = np.pad(x, ((0, 0), (0, ph), (0, pw)), mode='reflect')
        p = torch.sigmoid(net(torch.from_numpy(np.ascontiguousarray(x, np.float32))[None, None].to(device)))
        p = p[0, 0, :, :h, :w].cpu().numpy().astype(np.float64)
        for k in range(slices):
            if z0 + k < z:
                acc[z0 + k] += wz[k] * p[k]
                wsum[z0 + k] += wz[k]
    return (acc / wsum[:, None, None]).astype(np.float32)


def predict(net, ck_or_window, norm_stack, device):
    """2D / 2.5D (window) or 3D (checkpoint dict with 'slices' and 'overlapSlices') prediction of a stack."""
    if net.config.get('dims', 2) == 3:
        return predict_stack3d(net, norm_stack, ck_or_window['slices'], ck_or_window['overlapSlices'], device)
    w = ck_or_window['window'] if isinstance(ck_or_window, dict) else ck_or_window
    return predict_stack(net, norm_stack, w, device)


def evaluate(net, window, seeds, kvs, device, detector='TLD', baselines=True, log=sys.stderr):
    """`window`: the 2D / 2.5D window, or for a 3D model a dict {slices, overlapSlices}.
    Returns rows {method, kv, MP, MGP, diceSolid, MDS, solidFractionError, ...} averaged over seeds
    (metrics computed on all voxels of all held-out stacks pooled)."""
    rows = []
    for kv in kvs:
        preds = {'model': [], 'otsu': [], 'kmeans': []}
        truths = []
        for seed in seeds:
            grey, truth = fibdata.load_stack(seed, kv, detector)
            truths.append(truth)
            if net is not None:
                t0 = time.time()
                prob = predict(net, window, fibdata.normalise(grey), device)
                preds['model'].append(prob >= 0.5)
                print(f'  seed {seed} {kv} kV: model {time.time() - t0:.1f} s', file=log)
            if baselines:
                preds['otsu'].append(fibdata.otsu(grey))
                preds['kmeans'].append(fibdata.kmeans2(grey))
        truth_all = np.concatenate(truths)
        for method, p in preds.items():
            if not p:
                continue
            m = fibdata.metrics(np.concatenate(p), truth_all)
            per_seed = [fibdata.metrics(pi, ti)['MP'] for pi, ti in zip(p, truths)]
            m.update(method=method, kv=kv, seeds=list(seeds), MPperSeed=per_seed)
            rows.append(m)
    return rows


def format_table(rows):
    head = f"{'method':<8} {'kV':>3} {'MP %':>7} {'MGP %':>7} {'Dice solid':>10} {'MDS':>6} {'phi err (pp)':>12}"
    lines = [head, '-' * len(head)]
    for r in rows:
        lines.append(f"{r['method']:<8} {r['kv']:>3g} {r['MP']:>7.2f} {r['MGP']:>7.2f} {r['diceSolid']:>10.4f} "
                     f"{r['MDS']:>6.4f} {100 * r['solidFractionError']:>+12.2f}")
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('checkpoint', nargs='?', help='.pt checkpoint written by train_segmentation.py (omit: baselines only)')
    ap.add_argument('--seeds', default='100-102')
    ap.add_argument('--kv', default='1,2,4')
    ap.add_argument('--detector', default='TLD')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--device', default='auto')
    ap.add_argument('--json', help='write the rows here')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    device = pick_device(a.device)
    net, window = None, 1
    if a.checkpoint:
        net, ck = load_checkpoint(a.checkpoint, device)
        window = ck if ck['config'].get('dims', 2) == 3 else ck['window']
        bad = set(fibdata.parse_seeds(a.seeds)) & set(ck.get('trainSeeds', []) + ck.get('valSeeds', []))
        if bad:
            sys.exit(f'seeds {sorted(bad)} were used in training/validation: not held out')
    rows = evaluate(net, window, fibdata.parse_seeds(a.seeds), [float(k) for k in a.kv.split(',')], device, a.detector)
    print(format_table(rows))
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(rows, f, indent=1)


if __name__ == '__main__':
    main()
