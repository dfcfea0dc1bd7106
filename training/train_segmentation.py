#!/usr/bin/python3
"""Trains a 2D / 2.5D U-Net segmentation model on synthetic FIB-SEM stacks,
evaluates it on held-out stacks, exports ONNX and writes the model card.

  /usr/bin/python3 training/train_segmentation.py --name unet25d-w7-2kv --window 7 --kv 2
  /usr/bin/python3 training/train_segmentation.py --name unet2d-2kv --window 1 --kv 2

Writes models/NAME.onnx, NAME.json (card for the app), NAME.md (card for
people), NAME.pt (PyTorch checkpoint, for retraining / parity) and
NAME.parity.npz (fixed input + PyTorch output). Reproducible: fixed seeds,
deterministic algorithms, single thread by default (results with more threads
or on a GPU differ in the last bits and so may train differently).
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import evaluate_segmentation as ev
import export_onnx
import fibdata
import fit_loop
import segmentation_run as run
from unet import UNet


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--name', required=True)
    ap.add_argument('--window', type=int, default=7, help='slices per input: 1 = 2D, 2w+1 = 2.5D')
    ap.add_argument('--kv', type=float, default=2)
    ap.add_argument('--detector', default='TLD')
    ap.add_argument('--train-seeds', default='1-8')
    ap.add_argument('--val-seeds', default='9')
    ap.add_argument('--test-seeds', default='100-102')
    ap.add_argument('--eval-kv', default='1,2,4')
    ap.add_argument('--base', type=int, default=16)
    ap.add_argument('--depth', type=int, default=3)
    ap.add_argument('--norm', default='batch', choices=['batch', 'group'])
    ap.add_argument('--patch', type=int, default=64)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--epochs', type=int, default=30)
    ap.add_argument('--steps-per-epoch', type=int, default=30)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--lr-patience', type=int, default=4)
    ap.add_argument('--patience', type=int, default=8, help='early stopping on validation loss')
    ap.add_argument('--loss', default='dice+bce', choices=['dice', 'dice+bce'])
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--device', default='auto')
    ap.add_argument('--max-minutes', type=float, default=18,
                    help='safety stop for the training loop, 0 = none (the card says when it fired and gives '
                         'the command that reproduces the run without it)')
    ap.add_argument('--out', default=os.path.join(fibdata.REPO, 'models'))
    ap.add_argument('--dataset', default='',
                    help='domain-randomised data set made by training/domain_random.py (its index.json): train on its '
                         'train split, validate on its val split, evaluate on its test split per generator and family '
                         '(the --*-seeds, --kv, --detector and --eval-kv options are then unused)')
    ap.add_argument('--hold-out', default='',
                    help='with --dataset: generator:family pairs that must not be trained on, e.g. indep:grains,app:npg '
                         '(on top of those the data set already holds out)')
    return ap.parse_args(argv)


def dice_loss(logits, target, eps=1.0):
    """Mean soft Dice loss of the two classes (solid, pore) over the batch (squared denominators, Milletari)."""
    p = torch.sigmoid(logits)
    dims = (1, 2, 3)
    loss = 0
    for pp, tt in ((p, target), (1 - p, 1 - target)):
        inter = (pp * tt).sum(dims)
        den = (pp * pp).sum(dims) + (tt * tt).sum(dims)
        loss = loss + (1 - (2 * inter + eps) / (den + eps)).mean()
    return loss / 2


def loss_fn(kind, logits, target):
    d = dice_loss(logits, target)
    if kind == 'dice':
        return d
    return d + F.binary_cross_entropy_with_logits(logits, target)


class PatchSampler:
    """Random patches (window slices as channels, centre-slice labels) with online augmentation."""

    def __init__(self, stacks, window, patch, rng):
        self.stacks = [(fibdata.pad_window(g, window), t) for g, t in stacks]
        self.window, self.patch, self.rng = window, patch, rng

    def batch(self, n, augment=True):
        r, p, w = self.rng, self.patch, self.window
        xs = np.empty((n, w, p, p), np.float32)
        ys = np.empty((n, 1, p, p), np.float32)
        for i in range(n):
            g, t = self.stacks[r.randint(len(self.stacks))]
            z = r.randint(t.shape[0])
            y0 = r.randint(t.shape[1] - p + 1)
            x0 = r.randint(t.shape[2] - p + 1)
            x = g[z:z + w, y0:y0 + p, x0:x0 + p]  # padded index z..z+w-1 = slices z-w/2..z+w/2
            y = t[z:z + 1, y0:y0 + p, x0:x0 + p].astype(np.float32)
            if augment:
                k = r.randint(4)
                x, y = np.rot90(x, k, (1, 2)), np.rot90(y, k, (1, 2))
                if r.rand() < 0.5:
                    x, y = x[:, :, ::-1], y[:, :, ::-1]
                # contrast / brightness jitter, then Gaussian noise (slice order is never flipped:
                # shine-through comes from deeper slices, i.e. higher index)
                a = r.uniform(0.8, 1.2)
                b = r.uniform(-0.1, 0.1)
                x = (x - 0.5) * a + 0.5 + b
                s = r.uniform(0, 0.04)
                if s > 0:
                    x = x + r.normal(0, s, x.shape).astype(np.float32)
            xs[i], ys[i] = x, y
        return torch.from_numpy(xs), torch.from_numpy(ys)


def main(argv=None):
    a = parse_args(argv)
    started = time.time()
    device, train_seeds, val_seeds, test_seeds = run.setup(a)
    if a.patch % 2 ** a.depth:
        sys.exit('--patch must be divisible by 2**depth')

    if a.dataset:
        import domain_random as dr
        hold_out = dr.parse_hold_out(a.hold_out)
        train_entries = dr.load_split(a.dataset, 'train', hold_out)
        val_entries = dr.load_split(a.dataset, 'val', hold_out)
        train = [(g, t) for _, g, t in train_entries]
        val = [(g, t) for _, g, t in val_entries]
        print(f'data set {a.dataset}: {len(train)} train, {len(val)} validation stacks', flush=True)
    else:
        train = run.load_stacks(train_seeds, a.kv, a.detector)
        val = run.load_stacks(val_seeds, a.kv, a.detector)
    sampler = PatchSampler(train, a.window, a.patch, np.random.RandomState(a.seed))
    # validation: every 4th full slice of the validation stacks, no augmentation
    val_x = np.concatenate([fibdata.windows(g, a.window)[::4] for g, _ in val])
    val_y = np.concatenate([t[::4, None].astype(np.float32) for _, t in val])

    net = UNet(in_channels=a.window, base=a.base, depth=a.depth, norm=a.norm).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.1, patience=a.lr_patience)

    def train_step():
        x, y = sampler.batch(a.batch)
        x, y = x.to(device), y.to(device)
        opt.zero_grad()
        loss = loss_fn(a.loss, net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    def validate():
        vl, vmp, nb = 0.0, 0.0, 0
        for i in range(0, len(val_x), 8):
            x = torch.from_numpy(val_x[i:i + 8]).to(device)
            y = torch.from_numpy(val_y[i:i + 8]).to(device)
            lg = net(x)
            vl += loss_fn(a.loss, lg, y).item() * len(x)
            vmp += ((lg >= 0).float() != y).float().mean().item() * len(x)
            nb += len(x)
        vl, vmp = vl / nb, 100 * vmp / nb
        return vl, {'valMP': round(vmp, 3)}, f'val MP {vmp:.2f} %'

    history, best, stopped, train_seconds = fit_loop.fit(
        net, opt, sched, train_step, validate, epochs=a.epochs, steps_per_epoch=a.steps_per_epoch,
        patience=a.patience, max_minutes=a.max_minutes)
    net.load_state_dict(best[2])
    net.eval()

    # evaluation on held-out stacks
    t_eval = time.time()
    if a.dataset:
        rows = dr.evaluate_test_split(net, a.window, a.dataset, device)
    else:
        rows = ev.evaluate(net, a.window, test_seeds, [float(k) for k in a.eval_kv.split(',')], device, a.detector)
    eval_seconds = time.time() - t_eval
    print(ev.format_table(rows))

    net_cpu = net.cpu()
    base, onnx_size = run.write_model_files(
        a, net_cpu, {'window': a.window, 'trainSeeds': train_seeds, 'valSeeds': val_seeds,
                     'testSeeds': test_seeds, 'kv': a.kv}, export_onnx.parity_input(a.window))
    card = make_card(a, net_cpu, history, best, stopped, rows, train_seconds, eval_seconds,
                     time.time() - started, onnx_size, device, (train_seeds, val_seeds, test_seeds))
    if a.dataset:
        dr.dataset_card_fields(card, a, train_entries, val_entries, rows)
    run.write_record(base, card)
    if a.dataset:
        dr.finish_engine_card(base)
    print(f'wrote {base}.onnx ({onnx_size} bytes), .json, .md, .pt, .parity.npz')


def make_card(a, net, history, best, stopped, rows, train_s, eval_s, total_s, onnx_size, device, seeds):
    w = a.window // 2
    chans = ', '.join(str(a.base * 2 ** i) for i in range(a.depth + 1))
    return run.make_card(
        a, script='train_segmentation.py', net=net, history=history, best=best, stopped=stopped, rows=rows,
        train_s=train_s, eval_s=eval_s, total_s=total_s, onnx_size=onnx_size, device=device, seeds=seeds,
        kind='segmentation-2d' if a.window == 1 else 'segmentation-2.5d',
        input_slices=a.window,
        input_layout=('float32 [batch, inputSlices, H, W]; channel k of output slice i is normalised slice '
                      f'i - {w} + k (k = 0..{a.window - 1}) in stack (milling) order, indices reflected at the '
                      "stack ends like numpy.pad(mode='reflect'): index -j -> j, index Z-1+j -> Z-1-j"
                      if a.window > 1 else 'float32 [batch, 1, H, W]: one normalised slice'),
        shapes=('dynamic batch, H and W; H and W must be multiples of divisibleBy (pad e.g. by reflection and crop '
                'the output). Trained on tileSize x tileSize patches; full slices (e.g. 192 x 256) work directly. '
                'Tiles of >= 64 px with an overlap of >= 16 px avoid border effects.'),
        engine={},
        output_meaning=('probability that the voxel of the centre slice is solid (1 = solid, 0 = pore); '
                        'sigmoid already applied in the graph'),
        output_shape='float32 [batch, 1, H, W]',
        architecture=(f'2D U-Net, depth {a.depth} ({a.depth} 2x2 max-poolings, transposed-conv 2x2 upsampling, skip '
                      f'concatenation), base {a.base} channels doubling per level ({chans}), two 3x3 conv + '
                      f'{"BatchNorm" if a.norm == "batch" else "GroupNorm"} + ReLU per block, 1x1 conv head, '
                      'sigmoid in the ONNX graph'),
        patch=a.patch,
        augmentation=run.AUGMENTATION_TEXT.format(flips='horizontal flips', order='slice order'),
        validation='every 4th full slice of the validation stacks, no augmentation',
        eval_note=('metrics pooled over all voxels of the held-out stacks (40 x 192 x 256 each); '
                   'model threshold 0.5; Otsu and 2-class k-means on the raw grey values of each whole stack'),
        parity_note=('input: fixed float32 [2, inputSlices, 64, 96]; output: PyTorch probability; '
                     'ONNX Runtime must match within 1e-4'))


if __name__ == '__main__':
    main()
