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
import datetime
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
from unet import UNet, count_parameters


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
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.benchmark = False
    device = ev.pick_device(a.device)
    train_seeds, val_seeds, test_seeds = (fibdata.parse_seeds(s) for s in (a.train_seeds, a.val_seeds, a.test_seeds))
    overlap = set(test_seeds) & (set(train_seeds) | set(val_seeds))
    if overlap or set(train_seeds) & set(val_seeds):
        sys.exit(f'train / val / test seeds overlap: {sorted(overlap)}')
    if a.patch % 2 ** a.depth:
        sys.exit('--patch must be divisible by 2**depth')

    def load(seeds):
        out = []
        for s in seeds:
            g, t = fibdata.load_stack(s, a.kv, a.detector)
            out.append((fibdata.normalise(g), t))
        return out

    train = load(train_seeds)
    val = load(val_seeds)
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
    rows = ev.evaluate(net, a.window, test_seeds, [float(k) for k in a.eval_kv.split(',')], device, a.detector)
    eval_seconds = time.time() - t_eval
    print(ev.format_table(rows))

    # files
    os.makedirs(a.out, exist_ok=True)
    base = os.path.join(a.out, a.name)
    net_cpu = net.cpu()
    ck = {'config': net_cpu.config, 'window': a.window, 'state_dict': net_cpu.state_dict(),
          'trainSeeds': train_seeds, 'valSeeds': val_seeds, 'testSeeds': test_seeds, 'kv': a.kv}
    torch.save(ck, base + '.pt')
    onnx_bytes = export_onnx.export_bytes(net_cpu)
    with open(base + '.onnx', 'wb') as f:
        f.write(onnx_bytes)
    px = export_onnx.parity_input(a.window)
    py = export_onnx.torch_probability(net_cpu, px)
    np.savez_compressed(base + '.parity.npz', input=px, output=py)

    card = make_card(a, net_cpu, history, best, stopped, rows, train_seconds, eval_seconds,
                     time.time() - started, len(onnx_bytes), device, train_seeds, val_seeds, test_seeds)
    # the full record first (plain JSON), then the engine card and the markdown card from it
    with open(base + '.training.json', 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    import cards  # imported late on purpose: the card layout can be fixed while a long run trains
    cards.write_cards(base + '.training.json')
    print(f'wrote {base}.onnx ({len(onnx_bytes)} bytes), .json, .md, .pt, .parity.npz')


def make_card(a, net, history, best, stopped, rows, train_s, eval_s, total_s, onnx_size, device,
              train_seeds, val_seeds, test_seeds):
    kind = 'segmentation-2d' if a.window == 1 else 'segmentation-2.5d'
    w = a.window // 2
    row = {(r['method'], r['kv']): r for r in rows}
    summary = []
    for kv in sorted({r['kv'] for r in rows}):
        m, o = row.get(('model', kv)), row.get(('otsu', kv))
        if m and o:
            ratio = o['MP'] / m['MP'] if m['MP'] > 0 else float('inf')
            verdict = 'beats' if m['MP'] < o['MP'] else 'does NOT beat'
            summary.append(f"{kv:g} kV: MP {m['MP']:.2f} % vs Otsu {o['MP']:.2f} % "
                           f"({verdict} Otsu, {ratio:.1f}x){' [trained at this kV]' if kv == a.kv else ' [not trained at this kV]'}")
    arch = (f'2D U-Net, depth {a.depth} ({a.depth} 2x2 max-poolings, transposed-conv 2x2 upsampling, skip '
            f'concatenation), base {a.base} channels doubling per level '
            f'({", ".join(str(a.base * 2 ** i) for i in range(a.depth + 1))}), two 3x3 conv + '
            f'{"BatchNorm" if a.norm == "batch" else "GroupNorm"} + ReLU per block, 1x1 conv head, sigmoid in the ONNX graph')
    return {
        'name': a.name,
        'kind': kind,
        'format': 'onnx',
        'file': a.name + '.onnx',
        'opset': export_onnx.OPSET,
        'inputName': export_onnx.INPUT_NAME,
        'outputName': export_onnx.OUTPUT_NAME,
        'inputSlices': a.window,
        'inputLayout': ('float32 [batch, inputSlices, H, W]; channel k of output slice i is normalised slice '
                        f'i - {w} + k (k = 0..{a.window - 1}) in stack (milling) order, indices reflected at the '
                        "stack ends like numpy.pad(mode='reflect'): index -j -> j, index Z-1+j -> Z-1-j"
                        if a.window > 1 else 'float32 [batch, 1, H, W]: one normalised slice'),
        'tileSize': a.patch,
        'divisibleBy': 2 ** a.depth,
        'shapes': ('dynamic batch, H and W; H and W must be multiples of divisibleBy (pad e.g. by reflection and crop '
                   'the output). Trained on tileSize x tileSize patches; full slices (e.g. 192 x 256) work directly. '
                   'Tiles of >= 64 px with an overlap of >= 16 px avoid border effects.'),
        'normalisation': dict(fibdata.NORMALISATION, text=fibdata.NORMALISATION_TEXT),
        'outputs': {
            'channels': 1,
            'meaning': 'probability that the voxel of the centre slice is solid (1 = solid, 0 = pore); sigmoid already applied in the graph',
            'shape': 'float32 [batch, 1, H, W]',
            'threshold': 0.5,
        },
        'labels': {'1': 'solid', '0': 'pore'},
        'architecture': arch,
        'parameters': count_parameters(net),
        'fileSizeBytes': onnx_size,
        'voxelSizeNm': [2.5, 2.5, 2.5],
        'trainedOn': {
            'generatorCommand': 'node bin/fibrecon.mjs synth OUTDIR --columns 256 --rows 192 --slices 40 --seed N --kv 1,2,4 --json',
            'preset': 'synthetic HNPG preset (defaults: solid fraction 0.3, coarse wavelength 180 nm, fine 25 nm, '
                      'epoxy fill, uint8, ruler band 24 rows cropped via manifest roi, voxel 2.5 nm, '
                      'milling target 10 nm, gamma thickness mean 10.16 sd 3.12 nm)',
            'kV': a.kv,
            'detector': a.detector,
            'trainSeeds': train_seeds,
            'validationSeeds': val_seeds,
            'heldOutTestSeeds': test_seeds,
            'stackShape': [fibdata.PRESET['slices'], fibdata.PRESET['rows'], fibdata.PRESET['columns']],
        },
        'training': {
            'command': f'/usr/bin/python3 training/train_segmentation.py ' + ' '.join(
                f'--{k.replace("_", "-")} {v}' for k, v in sorted(vars(a).items()) if k not in ('out',)),
            'reproduceCommand': f'/usr/bin/python3 training/train_segmentation.py ' + ' '.join(
                f'--{k.replace("_", "-")} {v}' for k, v in sorted(vars(a).items()) if k not in ('out', 'epochs', 'max_minutes'))
                + f' --epochs {len(history)} --max-minutes 0',
            'epochs': len(history),
            'epochsMax': a.epochs,
            'stepsPerEpoch': a.steps_per_epoch,
            'batch': a.batch,
            'patch': a.patch,
            'optimizer': 'Adam',
            'lr': a.lr,
            'lrSchedule': f'ReduceLROnPlateau on validation loss, factor 0.1, patience {a.lr_patience}',
            'loss': ('mean soft Dice loss of solid and pore (squared denominators, smooth 1) + binary cross-entropy'
                     if a.loss == 'dice+bce' else 'mean soft Dice loss of solid and pore'),
            'augmentation': 'random 90-degree in-plane rotations, horizontal flips, contrast x U(0.8,1.2) about 0.5, '
                            'brightness + U(-0.1,0.1), Gaussian noise sd U(0,0.04); slice order never reversed',
            'validation': 'every 4th full slice of the validation stacks, no augmentation',
            'earlyStopping': {'patience': a.patience, 'bestEpoch': best[1], 'bestValLoss': round(best[0], 5),
                              'stoppedBy': stopped},
            'history': history,
            'seed': a.seed,
            'threads': a.threads,
            'device': str(device),
            'trainingSeconds': round(train_s, 1),
            'evaluationSeconds': round(eval_s, 1),
            'totalSeconds': round(total_s, 1),
            'machine': fibdata.machine_description(),
            'torch': torch.__version__,
            'date': datetime.date.today().isoformat(),
        },
        'evaluation': {
            'heldOutSeeds': test_seeds,
            'note': 'metrics pooled over all voxels of the held-out stacks (40 x 192 x 256 each); '
                    'model threshold 0.5; Otsu and 2-class k-means on the raw grey values of each whole stack',
            'rows': [{k: (round(v, 5) if isinstance(v, float) else v) for k, v in r.items() if k != 'seeds'}
                     for r in rows],
            'summary': summary,
        },
        'parity': {'file': a.name + '.parity.npz', 'checkpoint': a.name + '.pt',
                   'note': 'input: fixed float32 [2, inputSlices, 64, 96]; output: PyTorch probability; '
                           'ONNX Runtime must match within 1e-4'},
        'intendedUse': 'Binary segmentation (solid / pore) of FIB-SEM TLD stacks of nanoporous metals with '
                       'epoxy-filled pores, imaged at about the trained kV, with shine-through.',
        'limitations': 'Trained only on the app\'s synthetic forward model (not Monte Carlo, not real data); '
                       'other kV, detectors, pixel sizes, fills or materials are out of distribution - check the '
                       'held-out table and validate on annotated real slices before trusting numbers.',
    }


if __name__ == '__main__':
    main()
