#!/usr/bin/python3
"""Trains the ML inpainting model (RML) on zx and zy planes of the app's
synthetic repositioned stacks, evaluates it on held-out stacks, exports ONNX and
writes the model cards.

  /usr/bin/python3 training/train_inpainting.py --name inpaint-small --variant small

Missing stacks are made first by the app (node --import tsx training/make_inpainting_data.ts).

Writes models/NAME.onnx (logit of solid, dynamic batch / H / W), NAME.json (card for
the app), NAME.md (card for people), NAME.training.json (full record), NAME.pt
(checkpoint) and NAME.parity.npz (fixed input + PyTorch output). Reproducible: fixed
seeds, deterministic algorithms, fixed thread count.
"""
import argparse
import datetime
import io
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fibdata  # noqa: E402
import fit_loop  # noqa: E402
import inpaint_net  # noqa: E402
import inpainting_data as data  # noqa: E402

OPSET = 13
INPUT_NAME = 'input'
OUTPUT_NAME = 'logit'


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--name', required=True)
    ap.add_argument('--variant', default='small', choices=sorted(inpaint_net.VARIANTS))
    ap.add_argument('--data', default=data.DATA_DIR)
    ap.add_argument('--train-seeds', default='1-60')
    ap.add_argument('--val-seeds', default='61-64')
    ap.add_argument('--test-seeds', default='1000-1004')
    ap.add_argument('--distance-scale-nm', type=float, default=10.0)
    ap.add_argument('--gap-scale-rows', type=float, default=4.0)
    ap.add_argument('--patch', type=int, default=64)
    ap.add_argument('--stride', type=int, default=32)
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--epochs', type=int, default=200)
    ap.add_argument('--steps-per-epoch', type=int, default=40)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--lr-patience', type=int, default=5)
    ap.add_argument('--patience', type=int, default=12, help='early stopping on validation loss (epochs)')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--device', default='auto', help="'auto' (CUDA when available), 'cuda' or 'cpu'")
    ap.add_argument('--max-minutes', type=float, default=30,
                    help='safety stop for the training loop, 0 = none (the card says when it fired)')
    ap.add_argument('--out', default=os.path.join(fibdata.REPO, 'models'))
    return ap.parse_args(argv)


class PatchSampler:
    """64 px patches of zx / zy planes on a stride-32 grid, random flips in z and along the plane."""

    def __init__(self, stacks, patch, stride, rng):
        self.stacks, self.patch, self.rng = stacks, patch, rng
        self.starts = []
        for s in stacks:
            nz, ny, nx = s.t.shape
            self.starts.append((self._grid(nz, patch, stride), self._grid(nx, patch, stride), self._grid(ny, patch, stride)))

    @staticmethod
    def _grid(n, p, stride):
        g = list(range(0, n - p + 1, stride))
        if g[-1] != n - p:
            g.append(n - p)
        return g

    def batch(self, n):
        r, p = self.rng, self.patch
        xs = np.empty((n, 3, p, p), np.float32)
        ys = np.empty((n, 1, p, p), np.float32)
        for b in range(n):
            k = r.randint(len(self.stacks))
            s = self.stacks[k]
            zs, xstarts, ystarts = self.starts[k]
            axis = 'zx' if r.rand() < 0.5 else 'zy'
            i = r.randint(s.t.shape[1] if axis == 'zx' else s.t.shape[2])
            x, y = s.plane(axis, i)
            z0 = zs[r.randint(len(zs))]
            w0 = (xstarts if axis == 'zx' else ystarts)[r.randint(len(xstarts if axis == 'zx' else ystarts))]
            x, y = x[:, z0:z0 + p, w0:w0 + p], y[:, z0:z0 + p, w0:w0 + p]
            if r.rand() < 0.5:
                x, y = x[:, ::-1], y[:, ::-1]
            if r.rand() < 0.5:
                x, y = x[:, :, ::-1], y[:, :, ::-1]
            xs[b], ys[b] = x, y
        return torch.from_numpy(xs), torch.from_numpy(ys)


def gap_bce(logit, target, x):
    """Binary cross-entropy over the gap rows only (measured rows are copied, never predicted)."""
    gap = 1 - x[:, 1:2]
    return (F.binary_cross_entropy_with_logits(logit, target, reduction='none') * gap).sum() / gap.sum().clamp(min=1)


@torch.no_grad()
def volume_logits(net, s, batch=8):
    """Logits of every voxel from the zx pass, the zy pass, and their mean (the engine's combination)."""
    device = next(net.parameters()).device
    nz, ny, nx = s.t.shape
    zx = np.empty((nz, ny, nx), np.float32)
    zy = np.empty((nz, ny, nx), np.float32)
    for axis, out, n in (('zx', zx, ny), ('zy', zy, nx)):
        for i0 in range(0, n, batch):
            xb = np.stack([s.plane(axis, i)[0] for i in range(i0, min(n, i0 + batch))])
            lg = net(torch.from_numpy(xb).to(device)).cpu().numpy()[:, 0]
            for j, i in enumerate(range(i0, min(n, i0 + batch))):
                if axis == 'zx':
                    out[:, i, :] = lg[j]
                else:
                    out[:, :, i] = lg[j]
    return zx, zy, (zx + zy) / 2


def score(pred, s):
    """MP (%) over the whole volume (measured planes copied from the truth) and over gap planes only."""
    known = s.known_u8.astype(bool)
    pred = pred.copy()
    pred[known] = s.truth[known] > 0
    wrong = pred != (s.truth > 0)
    return 100 * wrong.mean(), 100 * wrong[~known].mean()


def dice_mean(pred, truth):
    out = []
    for a, b in ((pred, truth), (~pred, ~truth)):
        out.append(2 * (a & b).sum() / max(1, a.sum() + b.sum()))
    return float(np.mean(out))


def evaluate(net, stacks, seeds):
    rows = []
    for seed, s in zip(seeds, stacks):
        zx, zy, both = volume_logits(net, s)
        truth = s.truth > 0
        row = {'seed': seed}
        for name, pred in (('RCS', s.distance > 0), ('ML-zx', zx > 0), ('ML-zy', zy > 0), ('ML', both > 0)):
            p = pred.copy()
            p[s.known_u8.astype(bool)] = truth[s.known_u8.astype(bool)]
            mp, mp_gap = score(p, s)
            row[name] = {'MP': round(mp, 4), 'MPgaps': round(mp_gap, 4), 'MDS': round(dice_mean(p, truth), 5)}
        rows.append(row)
        print(f"seed {seed}: RCS MP {row['RCS']['MP']:.3f} % -> ML {row['ML']['MP']:.3f} % "
              f"(zx {row['ML-zx']['MP']:.3f}, zy {row['ML-zy']['MP']:.3f})", flush=True)
    return rows


def export_bytes(net):
    net = net.cpu().eval()
    buf = io.BytesIO()
    axes = {0: 'batch', 2: 'height', 3: 'width'}
    torch.onnx.export(net, torch.zeros(1, inpaint_net.IN_CHANNELS, 64, 64), buf, opset_version=OPSET,
                      do_constant_folding=True, input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                      dynamic_axes={INPUT_NAME: axes, OUTPUT_NAME: dict(axes)})
    return buf.getvalue()


def parity_input(s):
    """Fixed parity input: two 64 x 96 windows of a stack's zx planes (real channel values)."""
    return np.stack([s.plane('zx', 10)[0][:, 0:64, 0:96], s.plane('zx', 50)[0][:, 40:104, 0:96]]).astype(np.float32)


def main(argv=None):
    a = parse_args(argv)
    started = time.time()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.use_deterministic_algorithms(True)
    device = torch.device('cuda' if a.device == 'cuda' or (a.device == 'auto' and torch.cuda.is_available()) else 'cpu')
    if device.type == 'cuda':
        os.environ.setdefault('CUBLAS_WORKSPACE_CONFIG', ':4096:8')  # deterministic cuBLAS
    train_seeds, val_seeds, test_seeds = (fibdata.parse_seeds(x) for x in (a.train_seeds, a.val_seeds, a.test_seeds))
    if (set(train_seeds) | set(val_seeds)) & set(test_seeds) or set(train_seeds) & set(val_seeds):
        sys.exit('train / val / test seeds overlap')

    data.ensure_stacks(train_seeds + val_seeds + test_seeds, a.data)

    def load(seeds):
        return [data.Stack(*data.load_stack(x, a.data), a.distance_scale_nm, a.gap_scale_rows) for x in seeds]

    train, val = load(train_seeds), load(val_seeds)
    sampler = PatchSampler(train, a.patch, a.stride, np.random.RandomState(a.seed))
    # validation: every 8th zx and zy plane of the validation stacks, whole planes, no flips
    val_planes = [s.plane(ax, i) for s in val for ax in ('zx', 'zy') for i in range(4, s.t.shape[1], 8)]
    val_rcs = np.mean([100 * ((x[0] > 0) != (y[0] > 0))[x[1] == 0].mean() for x, y in val_planes])

    net = inpaint_net.build(a.variant).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.3, patience=a.lr_patience)
    print(f'{a.variant}: {inpaint_net.count_parameters(net)} parameters, {inpaint_net.macs_per_pixel(net)} MAC/px; '
          f'validation RCS MP on gap rows {val_rcs:.3f} %', flush=True)

    def train_step():
        x, y = sampler.batch(a.batch)
        x, y = x.to(device), y.to(device)
        opt.zero_grad()
        loss = gap_bce(net(x), y, x)
        loss.backward()
        opt.step()
        return loss.item()

    def validate():
        vl, vmp = 0.0, 0.0
        for x, y in val_planes:
            xt = torch.from_numpy(x[None]).to(device)
            lg = net(xt)
            vl += gap_bce(lg, torch.from_numpy(y[None]).to(device), xt).item()
            vmp += 100 * ((lg.cpu().numpy()[0, 0] > 0) != (y[0] > 0))[x[1] == 0].mean()
        vl, vmp = vl / len(val_planes), vmp / len(val_planes)
        return vl, {'valMPgaps': round(vmp, 4)}, f'val MP(gaps) {vmp:.3f} % (RCS {val_rcs:.3f})'

    # the untrained model is RCS: it is the first "best"
    history, best, stopped, train_seconds = fit_loop.fit(
        net, opt, sched, train_step, validate, epochs=a.epochs, steps_per_epoch=a.steps_per_epoch,
        patience=a.patience, max_minutes=a.max_minutes,
        initial_best=(float('inf'), 0, {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}))
    net.load_state_dict(best[2])
    net.eval()

    t_eval = time.time()
    net = net.cpu()  # held-out evaluation and export on the CPU (the engine's reference)
    test = load(test_seeds)
    rows = evaluate(net, test, test_seeds)
    eval_seconds = time.time() - t_eval

    os.makedirs(a.out, exist_ok=True)
    base = os.path.join(a.out, a.name)
    torch.save({'config': net.config, 'variant': a.variant, 'state_dict': net.state_dict(),
                'distanceScaleNm': a.distance_scale_nm, 'gapScaleRows': a.gap_scale_rows}, base + '.pt')
    onnx_bytes = export_bytes(net)
    with open(base + '.onnx', 'wb') as f:
        f.write(onnx_bytes)
    px = parity_input(test[0])
    with torch.no_grad():
        py = net(torch.from_numpy(px)).numpy().astype(np.float32)
    np.savez_compressed(base + '.parity.npz', input=px, output=py)
    record = make_record(a, net, device, history, best, stopped, rows, val_rcs, train_seconds, eval_seconds,
                         time.time() - started, len(onnx_bytes), train_seeds, val_seeds, test_seeds)
    with open(base + '.training.json', 'w') as f:
        json.dump(record, f, indent=2)
        f.write('\n')
    write_cards(record, base)
    print(f'wrote {base}.onnx ({len(onnx_bytes)} bytes), .json, .md, .training.json, .pt, .parity.npz')


def mean_of(rows, method, key):
    return float(np.mean([r[method][key] for r in rows]))


def make_record(a, net, device, history, best, stopped, rows, val_rcs, train_s, eval_s, total_s, onnx_size,
                train_seeds, val_seeds, test_seeds):
    args = {k: v for k, v in sorted(vars(a).items()) if k not in ('out', 'data', 'device')}
    cmd = '/usr/bin/python3 training/train_inpainting.py ' + ' '.join(f'--{k.replace("_", "-")} {v}' for k, v in args.items())
    better = sum(r['ML']['MP'] < r['RCS']['MP'] for r in rows)
    return {
        'name': a.name,
        'kind': 'inpainting',
        'variant': a.variant,
        'architecture': (f"DCSCN-like ([Sardhara2023] suppl.): feature extraction {len(net.config['features'])} x (3x3 conv + PReLU), "
                         f"widths {net.config['features']}, all outputs concatenated; reconstruction: 1x1 conv "
                         f"({net.config['recon'][0]}) | 1x1 conv ({net.config['recon'][1]}) -> 3x3 conv "
                         f"({net.config['recon'][2]}), concatenated -> 3x3 conv ({net.config['recon'][3]}) -> 1x1 conv "
                         f"-> 1 channel, added to alpha x channel 0 (the splined signed distance: DCSCN's interpolated "
                         f"copy of the input); reflection padding; last layer initialised to zero (= RCS before training)"),
        'parameters': inpaint_net.count_parameters(net),
        'macsPerPixel': inpaint_net.macs_per_pixel(net),
        'alpha': round(float(net.alpha.detach()), 5),
        'fileSizeBytes': onnx_size,
        'opset': OPSET,
        'inputName': INPUT_NAME,
        'outputName': OUTPUT_NAME,
        'input': {
            'layout': 'float32 [batch, 3, H, W]: one zx or zy plane, rows = z on the fine grid (2.5 nm), columns = x or y',
            'channels': ['tanh(D / distanceScaleNm), D = signed distance (nm, > 0 in solid) to the boundary of each '
                         'measured slice, not-a-knot cubic spline along z between measured rows',
                         '1 on measured rows, 0 on gap rows',
                         'min(rows to the nearest measured row / gapScaleRows, 4)'],
            'distanceScaleNm': a.distance_scale_nm,
            'gapScaleRows': a.gap_scale_rows,
        },
        'output': 'float32 [batch, 1, H, W], logit of solid (no sigmoid in the graph); solid where the mean of the zx '
                  'and zy logits > 0 (probability 0.5); measured rows are copied, never predicted',
        'voxelSizeNm': [2.5, 2.5, 2.5],
        'trainedOn': {
            'generatorCommand': 'node --import tsx training/make_inpainting_data.ts --out training/data/inpaint '
                                f'--seeds {a.train_seeds},{a.val_seeds},{a.test_seeds}',
            'data': 'the HNPG-like preset structure (src-main/synth/milled-stack.ts: leveled waves, coarse 180 nm, fine 25 nm, '
                    'solid 0.3) on 96 x 96 px at 2.5 nm, 60 slices at gamma depths (mean 10.16, sd 3.12 nm, whole voxels), '
                    'repositioned on the 2.5 nm grid by the app (repositionSlices); structure seed S, milling seed S + 5000',
            'trainSeeds': train_seeds, 'validationSeeds': val_seeds, 'heldOutTestSeeds': test_seeds,
        },
        'training': {
            'command': cmd,
            'epochs': len(history), 'epochsMax': a.epochs, 'stepsPerEpoch': a.steps_per_epoch, 'batch': a.batch,
            'patch': a.patch, 'patchStride': a.stride,
            'optimizer': 'Adam', 'lr': a.lr,
            'lrSchedule': f'ReduceLROnPlateau on validation loss, factor 0.3, patience {a.lr_patience}',
            'loss': 'binary cross-entropy with logits over the gap rows only (the output is a probability of solid '
                    'for a binary target; measured rows are never predicted)',
            'augmentation': 'zx and zy planes, random flips along z and along the plane (the gap problem is symmetric in both)',
            'validation': f'every 8th zx and zy plane of the validation stacks, whole planes; RCS on the same gap rows: MP {val_rcs:.3f} %',
            'earlyStopping': {'patience': a.patience, 'bestEpoch': best[1], 'bestValLoss': round(best[0], 5), 'stoppedBy': stopped},
            'history': history,
            'seed': a.seed, 'threads': a.threads, 'device': str(device),
            'trainingSeconds': round(train_s, 1), 'evaluationSeconds': round(eval_s, 1), 'totalSeconds': round(total_s, 1),
            'machine': fibdata.machine_description(), 'torch': torch.__version__, 'date': datetime.date.today().isoformat(),
        },
        'evaluation': {
            'heldOutSeeds': test_seeds,
            'note': 'whole volumes (measured planes copied from the truth); RCS = splined signed distance > 0 without '
                    'hole filling; ML = mean of zx and zy logits > 0 (PyTorch); the app\'s benchmark '
                    '(bench/article2-table.ts) gives the numbers through the engine on 20 held-out stacks',
            'rows': rows,
            'meanMP': {m: round(mean_of(rows, m, 'MP'), 4) for m in ('RCS', 'ML-zx', 'ML-zy', 'ML')},
            'meanMDS': {m: round(mean_of(rows, m, 'MDS'), 5) for m in ('RCS', 'ML-zx', 'ML-zy', 'ML')},
            'mlBetterThanRcsOn': f'{better}/{len(rows)}',
        },
        'parity': {'file': a.name + '.parity.npz', 'checkpoint': a.name + '.pt',
                   'note': 'input: two 64 x 96 windows of held-out zx planes; output: PyTorch logit; ONNX Runtime must match within 1e-4'},
        'intendedUse': 'Filling the gap planes of a repositioned binary (solid / pore) FIB-SEM volume of a nanoporous '
                       'metal with ~10 nm slices on a 2.5 nm grid.',
        'limitations': "Trained only on the app's synthetic leveled-wave structures at 2.5 nm with 10 nm gamma slices; "
                       'other structures, pixel sizes or slice spacings are out of distribution; check on your data '
                       'against the cubic spline (RCS) before trusting it.',
    }


def write_cards(r, base):
    ev = r['evaluation']
    card = {
        'name': r['name'],
        'kind': 'inpainting',
        'description': (f"ML inpainting (RML) of the gap planes of a repositioned binary volume: {r['variant']} DCSCN-like "
                        f"network ({r['parameters']:,} parameters, {r['macsPerPixel']:,} MAC per pixel) on zx and zy planes, "
                        f"trained on the app's synthetic HNPG-like stacks (2.5 nm grid, 10 nm gamma slices). Held-out seeds "
                        f"{ev['heldOutSeeds']}: MP {ev['meanMP']['ML']:.2f} % vs cubic spline of the signed distance "
                        f"{ev['meanMP']['RCS']:.2f} % (better on {ev['mlBetterThanRcsOn']}). Details: {r['name']}.md."),
        'input': {
            'slices': 1, 'tile': 256, 'overlap': 32, 'normalisation': {'type': 'none'},
            'inpainting': {'distanceScaleNm': r['input']['distanceScaleNm'], 'gapScaleRows': r['input']['gapScaleRows']},
        },
        'output': {'channels': 1, 'activation': 'sigmoid', 'classes': ['solid'], 'threshold': 0.5},
    }
    with open(base + '.json', 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    t = r['training']
    hist = '\n'.join(f"| {h['epoch']} | {h['trainLoss']:.4f} | {h['valLoss']:.4f} | {h['valMPgaps']:.3f} | {h['lr']:g} | {h['seconds']:.0f} |"
                     for h in t['history'])
    rows = '\n'.join(f"| {x['seed']} | {x['RCS']['MP']:.3f} | {x['ML-zx']['MP']:.3f} | {x['ML-zy']['MP']:.3f} | {x['ML']['MP']:.3f} | "
                     f"{x['RCS']['MDS']:.4f} | {x['ML']['MDS']:.4f} |" for x in ev['rows'])
    md = f"""# {r['name']}: ML inpainting of repositioned gaps (RML)

Kind: inpainting (gap-filling method `ml` of `fibrecon reconstruct`). Variant: **{r['variant']}**.

## Architecture
{r['architecture']}.
Parameters: {r['parameters']:,}; {r['macsPerPixel']:,} multiply-accumulates per pixel; ONNX opset {r['opset']}, {r['fileSizeBytes']:,} bytes; learned alpha {r['alpha']}.

## Input and output
- Input `{r['inputName']}`: {r['input']['layout']}. Channels:
  0. {r['input']['channels'][0]} (distanceScaleNm = {r['input']['distanceScaleNm']});
  1. {r['input']['channels'][1]};
  2. {r['input']['channels'][2]} (gapScaleRows = {r['input']['gapScaleRows']}).
- Output `{r['outputName']}`: {r['output']}.
- Voxel size trained on: 2.5 nm in all three axes (fine grid), slices ~10 nm apart.

## Data
{r['trainedOn']['data']}.
Made by `{r['trainedOn']['generatorCommand']}`.
Train seeds {r['trainedOn']['trainSeeds'][0]}-{r['trainedOn']['trainSeeds'][-1]}, validation {r['trainedOn']['validationSeeds']}, held-out test {r['trainedOn']['heldOutTestSeeds']} (the [Sardhara2023] benchmark uses 1000-1019).

## Training
`{t['command']}`

{t['epochs']} epochs of {t['stepsPerEpoch']} steps, batch {t['batch']} patches of {t['patch']} px (stride {t['patchStride']} grid), {t['optimizer']} lr {t['lr']}, {t['lrSchedule']}.
Loss: {t['loss']}. Augmentation: {t['augmentation']}.
Validation: {t['validation']}. Early stopping: best epoch {t['earlyStopping']['bestEpoch']}, stopped by {t['earlyStopping']['stoppedBy']}.
{t['trainingSeconds']:.0f} s of training on {t['machine']} ({t['threads']} threads, torch {t['torch']}), {t['date']}.

| epoch | train loss | val loss | val MP gaps % | lr | s |
|---|---|---|---|---|---|
{hist}

## Held-out scores (PyTorch, whole volumes)
{ev['note']}.

| seed | RCS MP % | ML zx only | ML zy only | ML (zx+zy) | RCS MDS | ML MDS |
|---|---|---|---|---|---|---|
{rows}

Mean MP: RCS {ev['meanMP']['RCS']:.3f} %, ML {ev['meanMP']['ML']:.3f} %; mean MDS: RCS {ev['meanMDS']['RCS']:.4f}, ML {ev['meanMDS']['ML']:.4f}; ML better on {ev['mlBetterThanRcsOn']} stacks.

## Use and limits
{r['intendedUse']} {r['limitations']}
"""
    with open(base + '.md', 'w') as f:
        f.write(md)


if __name__ == '__main__':
    main()
