#!/usr/bin/python3
"""Trains a small 3D U-Net segmentation model (single-channel z x y x x patches) on the
synthetic FIB-SEM stacks, evaluates it on the held-out stacks, exports ONNX and writes the
model cards. Same data, seeds, normalisation, loss and outputs as train_segmentation.py
(2D / 2.5D); this script only adds what differs in 3D (patch sampler, validation and
prediction by blended z patches like the app's engine, card fields).

  /usr/bin/python3 training/train_segmentation3d.py --name unet3d-2kv --kv 2 --threads 2

Writes models/NAME.onnx (input [N, 1, D, H, W], output probability [N, 1, D, H, W]; dynamic
N, D, H, W, multiples of 2**depth), NAME.json, NAME.md, NAME.training.json, NAME.pt,
NAME.parity.npz.
"""
import argparse
import json
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
    ap.add_argument('--kv', type=float, default=2)
    ap.add_argument('--detector', default='TLD')
    ap.add_argument('--train-seeds', default='1-8')
    ap.add_argument('--val-seeds', default='9')
    ap.add_argument('--test-seeds', default='100-102')
    ap.add_argument('--eval-kv', default='1,2,4')
    ap.add_argument('--base', type=int, default=8)
    ap.add_argument('--depth', type=int, default=3)
    ap.add_argument('--norm', default='batch', choices=['batch', 'group'])
    ap.add_argument('--patch-z', type=int, default=16, help='training patch depth (slices)')
    ap.add_argument('--patch', type=int, default=64, help='training patch edge in y and x')
    ap.add_argument('--slices', type=int, default=16, help='inference z patch depth (card input.slices)')
    ap.add_argument('--overlap-slices', type=int, default=8, help='inference z patch overlap (card input.overlapSlices)')
    ap.add_argument('--tile', type=int, default=128, help='inference tile in y / x (card input.tile)')
    ap.add_argument('--overlap', type=int, default=32, help='inference tile overlap in px (card input.overlap)')
    ap.add_argument('--batch', type=int, default=4)
    ap.add_argument('--epochs', type=int, default=40)
    ap.add_argument('--steps-per-epoch', type=int, default=25)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--lr-patience', type=int, default=4)
    ap.add_argument('--patience', type=int, default=8, help='early stopping on validation loss')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--device', default='auto')
    ap.add_argument('--max-minutes', type=float, default=20,
                    help='safety stop for the training loop, 0 = none')
    ap.add_argument('--finetune-epochs', type=int, default=0,
                    help='then up to this many epochs from the best weights with a fresh Adam at --finetune-lr '
                         '(same schedule and early stopping; patch sampler re-seeded with --seed + 1)')
    ap.add_argument('--finetune-lr', type=float, default=1e-4)
    ap.add_argument('--phase1-from', default=None,
                    help='skip the first phase: take its result from this NAME.pt of an earlier run of this script '
                         'with the same arguments (its NAME.training.json beside it gives the history)')
    ap.add_argument('--max-stack', default=None, metavar='Z,Y,X',
                    help='use only the first Z slices and the first Y rows and X columns of every stack (training, '
                         'validation and test): quick checks of this script, never for a shipped model')
    ap.add_argument('--out', default=os.path.join(fibdata.REPO, 'models'))
    a = ap.parse_args(argv)
    if a.max_stack:
        fibdata.MAX_STACK = tuple(int(v) for v in a.max_stack.split(','))
    return a


def phase1_from(path, net):
    """(history, best, stopped, seconds) of the first phase of an earlier run (weights of its best epoch)."""
    ck = torch.load(path, map_location='cpu')
    if ck['config'] != net.config:
        sys.exit(f'{path}: network {ck["config"]} != {net.config}')
    with open(path[:-len('.pt')] + '.training.json') as f:
        t = json.load(f)['training']
    es = t['earlyStopping']
    return t['history'], (es['bestValLoss'], es['bestEpoch'], ck['state_dict']), es['stoppedBy'], t['trainingSeconds']


def dice_loss(p, target, eps=1.0):
    """Mean soft Dice loss of solid and pore per sample (squared denominators), p = probabilities."""
    dims = tuple(range(1, p.dim()))
    loss = 0
    for pp, tt in ((p, target), (1 - p, 1 - target)):
        inter = (pp * tt).sum(dims)
        den = (pp * pp).sum(dims) + (tt * tt).sum(dims)
        loss = loss + (1 - (2 * inter + eps) / (den + eps)).mean()
    return loss / 2


def loss_fn(logits, target):
    return dice_loss(torch.sigmoid(logits), target) + F.binary_cross_entropy_with_logits(logits, target)


class PatchSampler3D:
    """Random (pz, p, p) patches of the normalised stacks with the 2D recipe's augmentation
    (in-plane rot90 / x flip, contrast, brightness, noise); z order is never reversed."""

    def __init__(self, stacks, pz, p, rng):
        self.stacks, self.pz, self.p, self.rng = stacks, pz, p, rng

    def batch(self, n):
        r, pz, p = self.rng, self.pz, self.p
        xs = np.empty((n, 1, pz, p, p), np.float32)
        ys = np.empty((n, 1, pz, p, p), np.float32)
        for i in range(n):
            g, t = self.stacks[r.randint(len(self.stacks))]
            z0 = r.randint(t.shape[0] - pz + 1)
            y0 = r.randint(t.shape[1] - p + 1)
            x0 = r.randint(t.shape[2] - p + 1)
            x = g[z0:z0 + pz, y0:y0 + p, x0:x0 + p]
            y = t[z0:z0 + pz, y0:y0 + p, x0:x0 + p].astype(np.float32)
            k = r.randint(4)
            x, y = np.rot90(x, k, (1, 2)), np.rot90(y, k, (1, 2))
            if r.rand() < 0.5:
                x, y = x[:, :, ::-1], y[:, :, ::-1]
            a = r.uniform(0.8, 1.2)
            b = r.uniform(-0.1, 0.1)
            x = (x - 0.5) * a + 0.5 + b
            s = r.uniform(0, 0.04)
            if s > 0:
                x = x + r.normal(0, s, x.shape).astype(np.float32)
            xs[i, 0], ys[i, 0] = x, y
        return torch.from_numpy(xs), torch.from_numpy(ys)


def main(argv=None):
    a = parse_args(argv)
    started = time.time()
    device, train_seeds, val_seeds, test_seeds = run.setup(a)
    m = 2 ** a.depth
    if a.patch % m or a.patch_z % m or a.slices % m or a.tile % m:
        sys.exit('--patch, --patch-z, --slices and --tile must be divisible by 2**depth')

    train = run.load_stacks(train_seeds, a.kv, a.detector)
    val = run.load_stacks(val_seeds, a.kv, a.detector)
    sampler = PatchSampler3D(train, a.patch_z, a.patch, np.random.RandomState(a.seed))

    net = UNet(in_channels=1, base=a.base, depth=a.depth, norm=a.norm, dims=3).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.1, patience=a.lr_patience)

    def train_step():
        x, y = sampler.batch(a.batch)
        x, y = x.to(device), y.to(device)
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    def validate():
        # the whole validation stacks predicted like at inference (blended z patches)
        vl, vmp = 0.0, 0.0
        for g, t in val:
            p = torch.from_numpy(ev.predict_stack3d(net, g, a.slices, a.overlap_slices, device)).double()
            tt = torch.from_numpy(t.astype(np.float64))
            pc = p.clamp(1e-7, 1 - 1e-7)
            vl += (dice_loss(p[None], tt[None]) + F.binary_cross_entropy(pc, tt)).item()
            vmp += 100 * ((p >= 0.5).double() != tt).double().mean().item()
        vl, vmp = vl / len(val), vmp / len(val)
        return vl, {'valMP': round(vmp, 3)}, f'val MP {vmp:.2f} %'

    def save_partial(epoch, state):
        os.makedirs(a.out, exist_ok=True)
        torch.save({'config': net.config, 'state_dict': state, 'epoch': epoch}, os.path.join(a.out, a.name + '.partial.pt'))

    if a.phase1_from:
        history, best, stopped, train_seconds = phase1_from(a.phase1_from, net)
        # the exact (unrounded) validation loss of those weights, as the one-command run has it
        net.load_state_dict(best[2])
        net.eval()
        with torch.no_grad():
            best = (validate()[0], best[1], best[2])
    else:
        history, best, stopped, train_seconds = fit_loop.fit(
            net, opt, sched, train_step, validate, epochs=a.epochs, steps_per_epoch=a.steps_per_epoch,
            patience=a.patience, max_minutes=a.max_minutes, on_best=save_partial)
    if a.finetune_epochs > 0:
        # second phase: from the best weights, fresh Adam at the lower lr, new sampler stream
        e1 = best[1]
        net.load_state_dict(best[2])
        opt = torch.optim.Adam(net.parameters(), lr=a.finetune_lr)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.1, patience=a.lr_patience)
        sampler.rng = np.random.RandomState(a.seed + 1)
        h2, b2, stopped2, s2 = fit_loop.fit(
            net, opt, sched, train_step, validate, epochs=a.finetune_epochs, steps_per_epoch=a.steps_per_epoch,
            patience=a.patience, max_minutes=a.max_minutes, initial_best=(best[0], 0, best[2]),
            on_best=save_partial)
        n1 = len(history)
        history = history + [dict(h, epoch=n1 + h['epoch'], phase=2) for h in h2]
        best = (b2[0], n1 + b2[1] if b2[1] > 0 else e1, b2[2])
        stopped = f'phase 1: {stopped}; phase 2 (fine-tune at lr {a.finetune_lr:g}): {stopped2}'
        train_seconds += s2
    net.load_state_dict(best[2])
    net.eval()
    finish(a, net, history, best, stopped, train_seconds, started, device, train_seeds, val_seeds, test_seeds)


def finish(a, net, history, best, stopped, train_seconds, started, device, train_seeds, val_seeds, test_seeds):
    t_eval = time.time()
    rows = ev.evaluate(net, {'slices': a.slices, 'overlapSlices': a.overlap_slices}, test_seeds,
                       [float(k) for k in a.eval_kv.split(',')], device, a.detector)
    eval_seconds = time.time() - t_eval
    print(ev.format_table(rows))

    net_cpu = net.cpu()
    base, onnx_size = run.write_model_files(
        a, net_cpu, {'window': a.slices, 'slices': a.slices, 'overlapSlices': a.overlap_slices,
                     'trainSeeds': train_seeds, 'valSeeds': val_seeds, 'testSeeds': test_seeds, 'kv': a.kv},
        export_onnx.parity_input(1, depth=a.slices))
    card = make_card(a, net_cpu, history, best, stopped, rows, train_seconds, eval_seconds,
                     time.time() - started, onnx_size, device, (train_seeds, val_seeds, test_seeds))
    run.write_record(base, card)
    print(f'wrote {base}.onnx ({onnx_size} bytes), .json, .md, .pt, .parity.npz')


def make_card(a, net, history, best, stopped, rows, train_s, eval_s, total_s, onnx_size, device, seeds):
    chans = ', '.join(str(a.base * 2 ** i) for i in range(a.depth + 1))
    card = run.make_card(
        a, script='train_segmentation3d.py', net=net, history=history, best=best, stopped=stopped, rows=rows,
        train_s=train_s, eval_s=eval_s, total_s=total_s, onnx_size=onnx_size, device=device, seeds=seeds,
        kind='segmentation-3d',
        input_slices=a.slices,
        input_layout=(f'float32 [batch, 1, D, H, W]: D consecutive normalised slices in stack (milling) order; '
                      f'the app uses D = {a.slices} (z patches overlapping by {a.overlap_slices} slices, blended; '
                      f'slice indices reflected when the stack is shallower than a patch)'),
        shapes=('dynamic batch, D, H and W; D, H and W must be multiples of divisibleBy. Trained on '
                f'{a.patch_z} x {a.patch} x {a.patch} (z, y, x) patches.'),
        engine={'engineTile': a.tile, 'engineOverlap': a.overlap, 'engineOverlapSlices': a.overlap_slices},
        output_meaning='probability that the voxel is solid (1 = solid, 0 = pore); sigmoid already applied in the graph',
        output_shape='float32 [batch, 1, D, H, W]',
        architecture=(f'3D U-Net, depth {a.depth} ({a.depth} 2x2x2 max-poolings, transposed-conv 2x2x2 upsampling, '
                      f'skip concatenation), base {a.base} channels doubling per level ({chans}), two 3x3x3 conv + '
                      f'{"BatchNorm" if a.norm == "batch" else "GroupNorm"} + ReLU per block, 1x1x1 conv head, '
                      'sigmoid in the ONNX graph'),
        patch=f'{a.patch_z} x {a.patch} x {a.patch} (z, y, x)',
        augmentation=run.AUGMENTATION_TEXT.format(flips='x flips', order='z order'),
        validation=(f'the whole validation stacks predicted like at inference ({a.slices}-slice z patches, '
                    f'overlap {a.overlap_slices}, blended; whole slices in x/y), no augmentation'),
        eval_note=(f'metrics pooled over all voxels of the held-out stacks (40 x 192 x 256 each); model run by '
                   f'{a.slices}-slice z patches overlapping by {a.overlap_slices} (blended like the engine), whole '
                   f'slices in x/y; threshold 0.5; Otsu and 2-class k-means on the raw grey values of each whole stack'),
        parity_note=(f'input: fixed float32 [2, 1, {a.slices}, 64, 96]; output: PyTorch probability; '
                     'ONNX Runtime must match within 1e-4'))
    n1 = sum(1 for h in history if 'phase' not in h)
    if n1 < len(history):
        t = card['training']
        args = ' '.join(f'--{k.replace("_", "-")} {v}' for k, v in sorted(vars(a).items())
                        if k not in ('out', 'epochs', 'max_minutes', 'finetune_epochs', 'phase1_from'))
        t['reproduceCommand'] = (f'/usr/bin/python3 training/train_segmentation3d.py {args} --epochs {n1} '
                                 f'--finetune-epochs {len(history) - n1} --max-minutes 0')
        t['lrSchedule'] += (f'; then a fine-tune phase from the best weights: fresh Adam at lr {a.finetune_lr:g}, '
                            f'same schedule and early stopping, patch sampler re-seeded (seed + 1); epochs '
                            f'{n1 + 1}-{len(history)} of the history')
        if a.phase1_from:
            t['phase1From'] = (f'{os.path.basename(a.phase1_from)}: the first {n1} epochs were an earlier run of '
                               f'this script with the same arguments (its record gives their history)')
    return card


if __name__ == '__main__':
    main()
