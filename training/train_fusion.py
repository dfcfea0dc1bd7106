#!/usr/bin/python3
"""Late fusion of per-voltage 2.5D U-Nets ([Sardhara2024]): the branches (one per kV,
trained by train_segmentation.py, frozen here) each give a logit map of solid; a 1x1
convolution (one weight per branch + bias) combines them; sigmoid -> probability of solid.
Trains the 1x1 convolution on the training seeds, evaluates on held-out stacks against each
single-kV branch and Otsu / k-means at each kV, exports ONE ONNX graph and writes the cards.

  /usr/bin/python3 training/train_fusion.py --name fusion-w7-124kv \\
      --branches models/unet25d-w7-1kv.pt,models/unet25d-w7-2kv.pt,models/unet25d-w7-4kv.pt --kv 1,2,4
  /usr/bin/python3 training/train_fusion.py --cards-only models/fusion-w7-124kv.record.json   # cards from the record

Writes models/NAME.onnx (input [N, K*window, H, W]: the K windows in branch order, output
[N, 1, H, W] probability of solid), NAME.json (engine card with input.channels), NAME.md,
NAME.record.json (full record: fuse weights, voting weights, held-out table, timings),
NAME.pt (fuse weights + names and sha256 of the branch checkpoints; load with
fusion.load_fusion) and NAME.parity.npz (fixed input [2, K*window, 64, 96] + PyTorch output).
The record is not called NAME.training.json on purpose: check_parity.py and
tests/training/onnx-parity.test.ts cover the single-stack U-Nets of train_segmentation.py;
tests/training/fusion-parity.test.ts covers this model.
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

import export_onnx
import fibdata
from fusion import LateFusion, load_branch, load_fusion, sha256
from unet import ProbabilityHead, count_parameters

ENGINE_TILE = 128
ENGINE_OVERLAP = 32


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--name', default='fusion-w7-124kv')
    ap.add_argument('--branches', default='models/unet25d-w7-1kv.pt,models/unet25d-w7-2kv.pt,models/unet25d-w7-4kv.pt')
    ap.add_argument('--kv', default='1,2,4', help='kV of each branch (and of the stack it reads), same order as --branches')
    ap.add_argument('--detector', default='TLD')
    ap.add_argument('--train-seeds', default='1-8')
    ap.add_argument('--val-seeds', default='9')
    ap.add_argument('--test-seeds', default='100-102')
    ap.add_argument('--train-every', type=int, default=4, help='use every n-th slice of the training stacks for the 1x1 conv')
    ap.add_argument('--iters', type=int, default=200, help='L-BFGS iterations (full batch)')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--out', default=os.path.join(fibdata.REPO, 'models'))
    return ap.parse_args(argv)


@torch.no_grad()
def stack_logits(net, norm_stack, window, every=1, batch=8):
    """Logit of solid of `net` for slices 0, every, 2*every, ... of a normalised (Z, H, W) stack."""
    zs = list(range(0, norm_stack.shape[0], every))
    out = np.empty((len(zs),) + norm_stack.shape[1:], np.float32)
    for i in range(0, len(zs), batch):
        sel = zs[i:i + batch]
        x = np.concatenate([fibdata.windows(norm_stack, window, z, z + 1) for z in sel])
        out[i:i + len(sel)] = net(torch.from_numpy(x))[:, 0].numpy()
    return out


def seed_logits(branches, kvs, seed, window, detector, every=1):
    """(K, Z', H, W) branch logits (branch k on the kV-k stack), truth (Z', H, W), raw grey per kV."""
    logits, greys, truth = [], [], None
    for net, kv in zip(branches, kvs):
        g, t = fibdata.load_stack(seed, kv, detector)
        greys.append(g)
        truth = t[::every]
        logits.append(stack_logits(net, fibdata.normalise(g), window, every))
    return np.stack(logits), truth, greys


def fuse_np(fuse, logits):
    w = fuse.weight.detach().reshape(-1).numpy().astype(np.float64)
    b = float(fuse.bias.detach()[0])
    return np.tensordot(w, logits.astype(np.float64), axes=1) + b  # fused logit


def write_cards(record_path):
    """NAME.json and NAME.md from NAME.record.json (e.g. after adding notes to the record)."""
    with open(record_path) as f:
        r = json.load(f)
    d = os.path.dirname(record_path)
    with open(os.path.join(d, r['name'] + '.json'), 'w') as f:
        json.dump(engine_card(r), f, indent=2)
        f.write('\n')
    with open(os.path.join(d, r['name'] + '.md'), 'w') as f:
        f.write(markdown(r))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['--cards-only']:
        for p in argv[1:]:
            write_cards(p)
        return
    a = parse_args(argv)
    started = time.time()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    paths = [os.path.join(fibdata.REPO, p) if not os.path.isabs(p) else p for p in a.branches.split(',')]
    kvs = [float(k) for k in a.kv.split(',')]
    if len(paths) != len(kvs):
        sys.exit('--branches and --kv must have the same length')
    train_seeds, val_seeds, test_seeds = (fibdata.parse_seeds(s) for s in (a.train_seeds, a.val_seeds, a.test_seeds))
    branches, cks = zip(*[load_branch(p) for p in paths])
    window = cks[0]['window']
    for p, ck, kv in zip(paths, cks, kvs):
        if ck['window'] != window:
            sys.exit(f'{p}: window {ck["window"]} != {window}: all branches need the same window')
        if float(ck['kv']) != kv:
            sys.exit(f'{p} was trained at {ck["kv"]} kV, not {kv:g} kV')
        used = set(ck.get('trainSeeds', [])) | set(ck.get('valSeeds', []))
        if used & set(test_seeds):
            sys.exit(f'{p}: held-out seeds {sorted(used & set(test_seeds))} were used to train the branch')
    if set(test_seeds) & (set(train_seeds) | set(val_seeds)):
        sys.exit('train / val / test seeds overlap')
    model = LateFusion(list(branches), window)
    model.freeze_branches()
    model.eval()
    K = len(branches)

    # 1. branch logits on the training seeds (every n-th slice), then the 1x1 convolution by L-BFGS
    t0 = time.time()
    feats, labels = [], []
    for s in train_seeds:
        lg, t, _ = seed_logits(branches, kvs, s, window, a.detector, a.train_every)
        feats.append(lg.reshape(K, -1))
        labels.append(t.reshape(-1))
        print(f'  train seed {s}: {time.time() - t0:.0f} s', file=sys.stderr, flush=True)
    X = torch.from_numpy(np.concatenate(feats, axis=1).T.copy())  # (M, K) float32
    Y = torch.from_numpy(np.concatenate(labels).astype(np.float32))
    features_s = time.time() - t0
    t1 = time.time()
    fuse = model.fuse
    opt = torch.optim.LBFGS(fuse.parameters(), lr=1, max_iter=a.iters, line_search_fn='strong_wolfe',
                            tolerance_grad=1e-9, tolerance_change=1e-12)
    history = []

    def closure():
        opt.zero_grad()
        logit = X @ fuse.weight.reshape(K, 1) + fuse.bias
        loss = F.binary_cross_entropy_with_logits(logit[:, 0], Y)
        loss.backward()
        history.append(round(loss.item(), 6))
        return loss

    init_loss = closure().item()
    opt.step(closure)
    fit_s = time.time() - t1
    with torch.no_grad():
        train_logit = (X @ fuse.weight.reshape(K, 1) + fuse.bias)[:, 0]
        train_mp = 100 * ((train_logit >= 0).float() != Y).float().mean().item()
        train_branch_mp = [100 * ((X[:, k] >= 0).float() != Y).float().mean().item() for k in range(K)]
    voting = model.voting_weights()
    weights = fuse.weight.detach().reshape(-1).tolist()
    bias = float(fuse.bias.detach()[0])
    print(f'fuse weights {weights} bias {bias:.4f}; voting weights {voting}; train MP {train_mp:.3f} % '
          f'(branches {train_branch_mp}); BCE {init_loss:.5f} -> {history[-1]:.5f}', flush=True)

    # 2. validation seed(s), every 4th slice (reported only; nothing is selected on it)
    val = []
    for s in val_seeds:
        lg, t, _ = seed_logits(branches, kvs, s, window, a.detector, 4)
        val.append({'seed': s, 'fusionMP': fibdata.metrics(fuse_np(fuse, lg) >= 0, t)['MP'],
                    'branchMP': {f'{kv:g}': fibdata.metrics(lg[k] >= 0, t)['MP'] for k, kv in enumerate(kvs)}})

    # 3. held-out evaluation on full stacks
    t2 = time.time()
    preds = {('fusion', 'fused'): []}
    for kv in kvs:
        preds[('branch', kv)] = []
        preds[('otsu', kv)] = []
        preds[('kmeans', kv)] = []
    truths = []
    check = None
    for s in test_seeds:
        lg, t, greys = seed_logits(branches, kvs, s, window, a.detector, 1)
        truths.append(t)
        preds[('fusion', 'fused')].append(fuse_np(fuse, lg) >= 0)
        for k, kv in enumerate(kvs):
            preds[('branch', kv)].append(lg[k] >= 0)
            preds[('otsu', kv)].append(fibdata.otsu(greys[k]))
            preds[('kmeans', kv)].append(fibdata.kmeans2(greys[k]))
        if check is None:  # the whole module (as exported) == the cached-logit path, on 2 slices
            x = np.concatenate([fibdata.windows(fibdata.normalise(g), window, 10, 12) for g in greys], axis=1)
            with torch.no_grad():
                full = model(torch.from_numpy(x))[:, 0].numpy()
            check = float(np.abs(full - fuse_np(fuse, lg[:, 10:12])).max())
        print(f'  held-out seed {s}: {time.time() - t2:.0f} s', file=sys.stderr, flush=True)
    eval_s = time.time() - t2
    truth_all = np.concatenate(truths)
    rows = []
    for (method, kv), p in preds.items():
        m = fibdata.metrics(np.concatenate(p), truth_all)
        m = {k: round(v, 5) for k, v in m.items()}
        m.update(method=method, kv=kv if kv == 'fused' else kv,
                 input=('+'.join(f'{k:g}' for k in kvs) + ' kV' if method == 'fusion' else f'{kv:g} kV'),
                 MPperSeed=[round(fibdata.metrics(pi, ti)['MP'], 4) for pi, ti in zip(p, truths)])
        if method == 'branch':
            m['model'] = os.path.basename(paths[kvs.index(kv)])[:-3]
        rows.append(m)
    fus = rows[0]
    branch_rows = [r for r in rows if r['method'] == 'branch']
    best = min(branch_rows, key=lambda r: r['MP'])
    beats = fus['MP'] < best['MP']
    per_seed_beats = [f < b for f, b in zip(fus['MPperSeed'], best['MPperSeed'])]
    print(f"{'method':<8} {'input':>10} {'MP %':>7} {'MGP %':>7} {'Dice solid':>10} {'MDS':>6}")
    for r in rows:
        print(f"{r['method']:<8} {r['input']:>10} {r['MP']:>7.3f} {r['MGP']:>7.2f} {r['diceSolid']:>10.4f} {r['MDS']:>6.4f}")
    print(f"fusion {'beats' if beats else 'does NOT beat'} the best single-kV branch ({best['input']}): "
          f"{fus['MP']:.3f} % vs {best['MP']:.3f} %; per seed {per_seed_beats}", flush=True)

    # 4. files
    os.makedirs(a.out, exist_ok=True)
    base = os.path.join(a.out, a.name)
    model.eval()
    buf = io.BytesIO()
    torch.onnx.export(ProbabilityHead(model).eval(), torch.zeros(1, K * window, 64, 64), buf,
                      opset_version=export_onnx.OPSET, do_constant_folding=True,
                      input_names=[export_onnx.INPUT_NAME], output_names=[export_onnx.OUTPUT_NAME],
                      dynamic_axes={export_onnx.INPUT_NAME: {0: 'batch', 2: 'height', 3: 'width'},
                                    export_onnx.OUTPUT_NAME: {0: 'batch', 2: 'height', 3: 'width'}})
    onnx_bytes = buf.getvalue()
    with open(base + '.onnx', 'wb') as f:
        f.write(onnx_bytes)
    branch_info = [{'kV': kv, 'checkpoint': os.path.basename(p), 'sha256': sha256(p), 'model': os.path.basename(p)[:-3]}
                   for p, kv in zip(paths, kvs)]
    torch.save({'kind': 'late-fusion', 'window': window, 'kv': kvs, 'branches': branch_info,
                'fuse': {k: v.detach().clone() for k, v in fuse.state_dict().items()},
                'trainSeeds': train_seeds, 'valSeeds': val_seeds, 'testSeeds': test_seeds}, base + '.pt')
    px = export_onnx.parity_input(K * window)
    reloaded, _ = load_fusion(base + '.pt')  # the checkpoint as saved, branches hash-checked
    py = export_onnx.torch_probability(reloaded, px)
    np.savez_compressed(base + '.parity.npz', input=px, output=py)

    record = make_record(a, model, paths, kvs, window, branch_info, weights, bias, voting, rows, best, beats,
                         per_seed_beats, val, train_mp, train_branch_mp, history, init_loss, features_s, fit_s,
                         eval_s, time.time() - started, len(onnx_bytes), check, X.shape[0],
                         train_seeds, val_seeds, test_seeds)
    with open(base + '.record.json', 'w') as f:
        json.dump(record, f, indent=2)
        f.write('\n')
    write_cards(base + '.record.json')
    print(f'wrote {base}.onnx ({len(onnx_bytes)} bytes), .json, .md, .record.json, .pt, .parity.npz')


def make_record(a, model, paths, kvs, window, branch_info, weights, bias, voting, rows, best, beats, per_seed_beats,
                val, train_mp, train_branch_mp, history, init_loss, features_s, fit_s, eval_s, total_s, onnx_size,
                check, n_train, train_seeds, val_seeds, test_seeds):
    K = len(kvs)
    branch_records = []
    for p in paths:
        rec = p[:-3] + '.training.json'
        r = json.load(open(rec)) if os.path.exists(rec) else {}
        t = r.get('training', {})
        branch_records.append({'model': os.path.basename(p)[:-3], 'epochs': t.get('epochs'), 'epochsMax': t.get('epochsMax'),
                               'stepsPerEpoch': t.get('stepsPerEpoch'), 'batch': t.get('batch'),
                               'stoppedBy': t.get('earlyStopping', {}).get('stoppedBy'),
                               'trainingSeconds': t.get('trainingSeconds'), 'command': t.get('command')})
    kvtxt = ', '.join(f'{kv:g} kV' for kv in kvs)
    fus = rows[0]
    return {
        'name': a.name,
        'kind': 'segmentation-2.5d',
        'format': 'onnx',
        'file': a.name + '.onnx',
        'opset': export_onnx.OPSET,
        'inputName': export_onnx.INPUT_NAME,
        'outputName': export_onnx.OUTPUT_NAME,
        'inputSlices': window,
        'inputStacks': [{'beamKeV': kv, 'detector': a.detector} for kv in kvs],
        'inputChannels': K * window,
        'inputLayout': (f'float32 [batch, {K * window}, H, W] = {K} windows of {window} slices concatenated in the order '
                        f'{kvtxt} ({a.detector}): channel k*{window} + j of output slice i is normalised slice i - {window // 2} + j '
                        f'of stack k (j = 0..{window - 1}), indices reflected at the stack ends like numpy.pad(mode=\'reflect\'); '
                        'the stacks must show the same volume (same size, registered)'),
        'tileSize': 64,
        'divisibleBy': 8,
        'normalisation': dict(fibdata.NORMALISATION, text=fibdata.NORMALISATION_TEXT + ' Each stack is normalised on its own.'),
        'outputs': {'channels': 1, 'threshold': 0.5, 'shape': 'float32 [batch, 1, H, W]',
                    'meaning': 'probability that the voxel of the centre slice is solid = sigmoid(sum_k w_k logit_k + b); sigmoid applied in the graph'},
        'labels': {'1': 'solid', '0': 'pore'},
        'architecture': (f'late fusion: {K} frozen 2.5D U-Nets (one per kV, window {window}, the branch checkpoints below), '
                         f'each giving a logit map of solid; a 1x1 convolution over the {K} logit maps ({K} weights + bias) '
                         'gives the fused logit; sigmoid in the ONNX graph'),
        'parameters': count_parameters(model),
        'trainableParameters': K + 1,
        'fileSizeBytes': onnx_size,
        'fuse': {'weights': {f'{kv:g} kV': round(w, 6) for kv, w in zip(kvs, weights)}, 'bias': round(bias, 6),
                 'combines': 'branch logits (log-odds of solid)'},
        'votingWeights': {f'{kv:g} kV': round(v, 4) for kv, v in zip(kvs, voting)},
        'votingWeightsNote': 'w_k / sum_j |w_j| of the 1x1 convolution over the branch logits: the share of each kV in the fused log-odds',
        'branches': [dict(b, **r) for b, r in zip(branch_info, branch_records)],
        'voxelSizeNm': [2.5, 2.5, 2.5],
        'trainedOn': {
            'generatorCommand': 'node bin/fibrecon.mjs synth OUTDIR --columns 256 --rows 192 --slices 40 --seed N --kv 1,2,4 --json',
            'kV': kvs, 'detector': a.detector, 'trainSeeds': train_seeds, 'validationSeeds': val_seeds,
            'heldOutTestSeeds': test_seeds,
        },
        'training': {
            'command': '/usr/bin/python3 training/train_fusion.py ' + ' '.join(
                f'--{k.replace("_", "-")} {v}' for k, v in sorted(vars(a).items()) if k != 'out'),
            'what': f'only the 1x1 convolution ({K + 1} parameters); branches frozen (eval mode)',
            'data': f'branch logits on every {a.train_every}th slice of the training seeds ({n_train:,} pixels)',
            'optimizer': f'L-BFGS (strong Wolfe), full batch, max {a.iters} iterations',
            'loss': 'binary cross-entropy (logistic regression on the branch logits)',
            'initialisation': f'equal vote: weights 1/{K}, bias 0',
            'lossStartEnd': [round(init_loss, 6), history[-1]],
            'closureCalls': len(history),
            'trainMP': round(train_mp, 4),
            'trainBranchMP': {f'{kv:g} kV': round(m, 4) for kv, m in zip(kvs, train_branch_mp)},
            'validation': [{'seed': v['seed'], 'fusionMP': round(v['fusionMP'], 4),
                            'branchMP': {k: round(m, 4) for k, m in v['branchMP'].items()}} for v in val],
            'validationNote': 'every 4th slice of the validation seed; reported only, nothing selected on it',
            'featureSeconds': round(features_s, 1),
            'fitSeconds': round(fit_s, 2),
            'evaluationSeconds': round(eval_s, 1),
            'totalSeconds': round(total_s, 1),
            'threads': a.threads,
            'device': 'cpu',
            'machine': fibdata.machine_description(),
            'torch': torch.__version__,
            'date': datetime.date.today().isoformat(),
            'moduleVsCachedLogitsMaxDiff': check,
        },
        'evaluation': {
            'heldOutSeeds': test_seeds,
            'note': 'metrics pooled over all voxels of the held-out stacks (40 x 192 x 256 each); threshold 0.5; each '
                    'branch on the stack of its own kV; Otsu and 2-class k-means on the raw grey values of each whole stack',
            'rows': rows,
            'bestSingleBranch': {'model': best['model'], 'input': best['input'], 'MP': best['MP']},
            'fusionBeatsBestBranch': beats,
            'fusionBeatsBestBranchPerSeed': per_seed_beats,
            'summary': (f"fusion ({'+'.join(f'{k:g}' for k in kvs)} kV) MP {fus['MP']:.3f} % vs best single-kV branch "
                        f"{best['model']} ({best['input']}) {best['MP']:.3f} %: "
                        + ('fusion is better' if beats else 'fusion does NOT beat the best single-kV branch')
                        + f" (per held-out seed: {', '.join(f'{f:.3f} vs {b:.3f}' for f, b in zip(fus['MPperSeed'], best['MPperSeed']))})"),
        },
        'parity': {'file': a.name + '.parity.npz', 'checkpoint': a.name + '.pt',
                   'note': f'input: fixed float32 [2, {K * window}, 64, 96]; output: PyTorch probability (fusion.load_fusion of '
                           'the .pt, branch checkpoints sha256-checked); ONNX Runtime must match within 1e-4'},
        'intendedUse': (f'Binary segmentation (solid / pore) of a sample imaged at {kvtxt} ({a.detector}), the stacks '
                        'registered to one size, with shine-through.'),
        'limitations': ('Trained only on the app\'s synthetic forward model (not real data); all stacks must show the same '
                        'voxels (registration errors between voltages are not modelled: the synthetic stacks are perfectly '
                        'aligned). The branches are short CPU runs (see branches). The file is larger than the single models '
                        '(three U-Nets in one graph).'),
    }


def engine_card(r):
    ev = r['evaluation']
    rows = {(x['method'], x['input']): x for x in ev['rows']}
    parts = [f"{x['input']}: branch {x['MP']:.2f} % / Otsu {rows[('otsu', x['input'])]['MP']:.2f} %"
             for x in ev['rows'] if x['method'] == 'branch']
    vote = ', '.join(f'{k} {v:+.2f}' for k, v in r['votingWeights'].items())
    kv_list = ', '.join('%g kV' % s['beamKeV'] for s in r['inputStacks'])
    return {
        'name': r['name'],
        'kind': r['kind'],
        'description': (
            f"Late fusion ([Sardhara2024]): {len(r['inputStacks'])} frozen 2.5D U-Nets (window {r['inputSlices']}), one per kV "
            f"({', '.join(b['model'] for b in r['branches'])}), their logits combined by a trained 1x1 convolution. "
            f"Inputs: the volumes {kv_list} in this order, same size. "
            f"Voting weights {vote}. Held-out seeds {ev['heldOutSeeds']}: fusion MP {ev['rows'][0]['MP']:.2f} %; "
            f"{'; '.join(parts)}. {ev['summary']}. Details: {r['name']}.md and {r['name']}.record.json."),
        'input': {
            'slices': r['inputSlices'],
            'tile': ENGINE_TILE,
            'overlap': ENGINE_OVERLAP,
            'normalisation': {k: r['normalisation'][k] for k in ('type', 'low', 'high', 'clip')},
            'channels': [{'beamKeV': s['beamKeV'], 'detector': s['detector']} for s in r['inputStacks']],
        },
        'output': {'channels': 1, 'activation': 'none', 'classes': ['solid'], 'threshold': r['outputs']['threshold']},
    }


def markdown(c):
    t, ev = c['training'], c['evaluation']
    vol_arg = ','.join('%gkV' % s['beamKeV'] for s in c['inputStacks'])
    L = [f"# {c['name']}", '',
         f"Late-fusion segmentation model ([Sardhara2024]), ONNX opset {c['opset']}, {c['fileSizeBytes'] / 1e6:.2f} MB, "
         f"{c['parameters']:,} parameters of which {c['trainableParameters']} trained here. Files: `{c['name']}.onnx`, "
         f"`{c['name']}.json` (card the app reads), `{c['name']}.record.json` (full record), `{c['name']}.pt` (fuse "
         f"weights + branch checkpoint names and sha256), `{c['name']}.parity.npz`.", '',
         f"**Intended use.** {c['intendedUse']}", '', f"**Limitations.** {c['limitations']}", '',
         '## Result', '', f"**{ev['summary']}.**", '',
         '## Input / output', '',
         f"- Input `{c['inputName']}`: {c['inputLayout']}.",
         f"- In the app: `fibrecon segment P --volume {vol_arg} --method model --model {c['name']}` "
         f"(card `input.channels`); tiles {ENGINE_TILE} px, overlap {ENGINE_OVERLAP} px; H, W multiples of {c['divisibleBy']}.",
         f"- Normalisation: {c['normalisation']['text']}",
         f"- Output `{c['outputName']}`: {c['outputs']['shape']}, {c['outputs']['meaning']}; solid where >= {c['outputs']['threshold']}.", '',
         '## Architecture and voting weights', '', c['architecture'] + '.', '',
         '| kV | fuse weight w_k | voting weight w_k / sum abs(w) |', '|---:|---:|---:|']
    for k, w in c['fuse']['weights'].items():
        L.append(f"| {k} | {w:.4f} | {c['votingWeights'][k]:+.3f} |")
    L += ['', f"Bias {c['fuse']['bias']:.4f}. {c['votingWeightsNote']}.", '',
          '## Branches', '', '| kV | model | epochs (max) | steps x batch | stopped by | training min |', '|---:|---|---|---|---|---:|']
    for b in c['branches']:
        mins = f"{b['trainingSeconds'] / 60:.1f}" if b.get('trainingSeconds') else '?'
        L.append(f"| {b['kV']:g} | `{b['model']}` | {b['epochs']} ({b['epochsMax']}) | {b['stepsPerEpoch']} x {b['batch']} | {b['stoppedBy']} | {mins} |")
    L += ['', 'Branch training commands (the 1 and 4 kV branches had a shorter CPU budget than the 2 kV one: '
          'fewer epochs and a smaller wall-clock limit, see their cards):', '']
    L += [f"- `{b['command']}`" for b in c['branches'] if b.get('command')]
    L += ['', '## Training of the 1x1 convolution', '',
          f"- Command: `{t['command']}`",
          f"- {t['what']}; {t['data']}; {t['optimizer']}; loss: {t['loss']}; start: {t['initialisation']}.",
          f"- Loss {t['lossStartEnd'][0]:.5f} -> {t['lossStartEnd'][1]:.5f}; training-pixel MP {t['trainMP']:.3f} % "
          f"(branches: {', '.join(f'{k} {v:.3f} %' for k, v in t['trainBranchMP'].items())}).",
          f"- Validation ({t['validationNote']}): " + '; '.join(
              f"seed {v['seed']}: fusion {v['fusionMP']:.3f} %, " + ', '.join(f"{k} kV {m:.3f} %" for k, m in v['branchMP'].items())
              for v in t['validation']),
          f"- Time: {t['featureSeconds']:.0f} s branch logits + {t['fitSeconds']:.1f} s fit + {t['evaluationSeconds']:.0f} s held-out "
          f"evaluation ({t['totalSeconds'] / 60:.1f} min in all) on {t['device']}, {t['threads']} thread(s), {t['machine']}; "
          f"torch {t['torch']}; {t['date']}. Whole module vs cached-logit path: max diff {t['moduleVsCachedLogitsMaxDiff']:.2g}.", '',
          f"## Held-out evaluation (seeds {ev['heldOutSeeds']})", '', ev['note'] + '.', '',
          '| method | input | MP % | MP % per seed | MGP % | Dice solid | MDS | solid fraction error (pp) |',
          '|---|---|---:|---|---:|---:|---:|---:|']
    for r in ev['rows']:
        name = r['method'] + (f" `{r['model']}`" if r.get('model') else '')
        L.append(f"| {name} | {r['input']} | {r['MP']:.3f} | {' / '.join(f'{m:.3f}' for m in r['MPperSeed'])} | {r['MGP']:.2f} | "
                 f"{r['diceSolid']:.4f} | {r['MDS']:.4f} | {100 * r['solidFractionError']:+.2f} |")
    if c.get('notes'):
        L += ['', '## Notes', ''] + [f'- {n}' for n in c['notes']]
    L += ['', '## Parity', '',
          f"`{c['parity']['file']}`: {c['parity']['note']}. Checked by `tests/training/fusion-parity.test.ts`.", '']
    return '\n'.join(L)


if __name__ == '__main__':
    main()
