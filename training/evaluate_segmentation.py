#!/usr/bin/python3
"""Evaluates a segmentation checkpoint (via PyTorch) against Otsu and k-means on
held-out synthetic stacks at 1, 2 and 4 kV and prints a table.

  /usr/bin/python3 training/evaluate_segmentation.py models/unet25d-w7-2kv.pt \
      --seeds 100-102 --kv 1,2,4 [--json out.json] [--threads 1] [--device auto]

The held-out seeds must never appear among the training / validation seeds.
Metrics (DOMAIN.md "Quality metrics"): MP = % misplaced voxels, MGP = % of the
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


def evaluate(net, window, seeds, kvs, device, detector='TLD', baselines=True, log=sys.stderr):
    """Returns rows {method, kv, MP, MGP, diceSolid, MDS, solidFractionError, ...} averaged over seeds
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
                prob = predict_stack(net, fibdata.normalise(grey), window, device)
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
        window = ck['window']
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
