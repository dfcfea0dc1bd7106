#!/usr/bin/python3
"""Domain-randomised training data from two generators, with whole structure families held out.

  /usr/bin/python3 training/domain_random.py [--out training/data/dr] [--shape 32,128,128] [--kv 2]
        [--train 40,10] [--val 4,2] [--test 2,2] [--hold-out indep:grains,app:npg]

Two generators, each with structure families:

- `app`: the app's own simulator (src-main/synth, writeSyntheticSample, through
  training/domain_random_app.ts), leveled-wave structures with randomised parameters:
  `hnpg` (hierarchical: a fine level inside the ligaments) and `npg` (one level).
- `indep`: the independent simulator (training/indep_sim, `make_stack(..., randomize=True)`)
  with its families `spinodal`, `waves`, `grains`, `pores`, `fibres`.

Every stack is drawn from its own seed (seeded numpy generators; the app's draws below,
the independent simulator's its own documented ranges), so one command gives the same data
every time. Splits use disjoint seed ranges: train 10000+, validation 20000+, test 30000+
(plus 100 x the family's index, so that no two stacks share a seed). Held-out families get
no train or validation stacks at all, only test stacks.

Writes OUT/index.json (one entry per stack: id, generator, family, split, seed, held-out
flag, every drawn parameter, true solid fraction, voxel size) and OUT/<id>/{grey.npy,
truth.npy} ((z, y, x), grey uint8, truth uint8 1 = solid). OUT is under training/data
(gitignored).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

FAMILIES = {'app': ['hnpg', 'npg'], 'indep': ['spinodal', 'waves', 'grains', 'pores', 'fibres']}
DEFAULT_HOLD_OUT = 'indep:grains,app:npg'
SPLIT_BASE = {'train': 10000, 'val': 20000, 'test': 30000}

# The app generator's randomisation (drawn per stack, see draw_app_params).
APP_RANGES = {
    'voxelNm': 'log-uniform 2-6 nm',
    'solidFraction': 'uniform 0.15-0.6',
    'coarse.wavelengthNm': 'log-uniform 60-260 nm, kept within 12-70 voxels',
    'coarse.waves': 'integer 60-140',
    'fine.wavelengthNm (hnpg)': 'uniform 15-45 nm, at least 5 voxels',
    'fine.solidFraction (hnpg)': 'uniform max(0.6, solidFraction + 0.1)-0.9',
    'milling.meanNm': 'voxel x uniform 1.5-4.5, sd 0.3 x mean (gamma), target = mean',
    'detector': 'TLD 3 : ICD 1',
    'fill': 'epoxy 3 : vacuum 1',
    'model.attenuationFraction': 'uniform 0.06-0.16 (default 0.1)',
    'model.spreadPerDepth': 'uniform 0.3-0.7 (default 0.5)',
    'model.beamSigmaNm': 'uniform 0.5-2 (default 1)',
    'noise.electronsPerPixel': 'log-uniform 60-1500 (default 400)',
    'noise.gaussianVariance': 'log-uniform 0.0003-0.004 (default 0.001)',
}


def parse_hold_out(text):
    out = set()
    for part in str(text or '').split(','):
        part = part.strip()
        if not part:
            continue
        gen, fam = part.split(':')
        if fam not in FAMILIES.get(gen, []):
            raise SystemExit(f'unknown family {part!r}; known: {FAMILIES}')
        out.add((gen, fam))
    return out


def stack_seed(generator, family, split, i):
    fi = FAMILIES[generator].index(family) + (10 if generator == 'app' else 0)
    return SPLIT_BASE[split] + 100 * fi + i


def draw_app_params(family, seed, shape, kv):
    """SyntheticSampleParams of one app stack, drawn from `seed` (numpy default_rng)."""
    r = np.random.default_rng(np.random.SeedSequence([int(seed), 7]))
    lu = lambda a, b: float(np.exp(r.uniform(np.log(a), np.log(b))))  # noqa: E731
    voxel = lu(2.0, 6.0)
    sf = float(r.uniform(0.15, 0.6))
    wl = float(np.clip(lu(60.0, 260.0), 12 * voxel, 70 * voxel))
    waves = int(r.integers(60, 141))
    fine_wl = max(float(r.uniform(15.0, 45.0)), 5 * voxel)
    fine_sf = float(r.uniform(max(0.6, sf + 0.1), 0.9))
    mean = voxel * float(r.uniform(1.5, 4.5))
    detector = 'ICD' if r.random() < 0.25 else 'TLD'
    fill = 'vacuum' if r.random() < 0.25 else 'epoxy'
    model = {'attenuationFraction': float(r.uniform(0.06, 0.16)), 'spreadPerDepth': float(r.uniform(0.3, 0.7)),
             'beamSigmaNm': float(r.uniform(0.5, 2.0))}
    noise = {'electronsPerPixel': lu(60.0, 1500.0), 'gaussianVariance': lu(0.0003, 0.004)}
    p = {
        'columns': shape[2], 'rows': shape[1], 'slices': shape[0], 'voxelNm': voxel, 'solidFraction': sf,
        'coarse': {'wavelengthNm': wl, 'waves': waves},
        'milling': {'targetNm': mean, 'meanNm': mean, 'sdNm': 0.3 * mean},
        'beams': [{'energyKeV': kv, 'detector': detector}],
        'fill': fill, 'dtype': 'uint8', 'rulerRows': 0, 'seed': int(seed), 'model': model, 'noise': noise,
    }
    if family == 'hnpg':
        p['fine'] = {'wavelengthNm': fine_wl, 'waves': waves, 'solidFraction': fine_sf}
    return p


def plan(shape, kv, counts, hold_out):
    """[(generator, family, split, seed, held_out)] of the whole data set; counts[generator][split]
    = stacks per family."""
    out = []
    for gen, fams in FAMILIES.items():
        for fam in fams:
            held = (gen, fam) in hold_out
            for split, n in counts[gen].items():
                if held and split != 'test':
                    continue
                out.extend((gen, fam, split, stack_seed(gen, fam, split, i), held) for i in range(n))
    return out


def make_dataset(out, shape=(32, 128, 128), kv=2.0, counts=None, hold_out=None, log=sys.stderr):
    counts = counts or {'app': {'train': 40, 'val': 4, 'test': 2}, 'indep': {'train': 10, 'val': 2, 'test': 2}}
    hold_out = parse_hold_out(DEFAULT_HOLD_OUT) if hold_out is None else hold_out
    import tifffile
    from indep_sim import make_stack

    os.makedirs(out, exist_ok=True)
    entries, app_specs = [], []
    t0 = time.time()
    for gen, fam, split, seed, held in plan(shape, kv, counts, hold_out):
        sid = f'{gen}-{fam}-{seed}'
        d = os.path.join(out, sid)
        e = {'id': sid, 'generator': gen, 'family': fam, 'split': split, 'seed': seed, 'heldOut': held}
        if gen == 'indep':
            if not os.path.exists(os.path.join(d, 'info.json')):
                grey, truth, info = make_stack(fam, seed, shape=tuple(shape), randomize=True, kv=kv)
                os.makedirs(d, exist_ok=True)
                np.save(os.path.join(d, 'grey.npy'), grey)
                np.save(os.path.join(d, 'truth.npy'), truth.astype(np.uint8))
                with open(os.path.join(d, 'info.json'), 'w') as f:
                    json.dump(info, f, default=float)
            with open(os.path.join(d, 'info.json')) as f:
                info = json.load(f)
            p = info['params']
            e.update(pixelNm=info['voxel_size_nm']['x'], sliceNm=info['voxel_size_nm']['z'], kv=p['kv'],
                     detector=p['detector'], fill=p['fill'], solidFraction=info['solid_fraction_true'],
                     featurePx=p['feature_px'], params=p)
        else:
            p = draw_app_params(fam, seed, shape, kv)
            e.update(pixelNm=p['voxelNm'], sliceNm=p['milling']['meanNm'], kv=kv, detector=p['beams'][0]['detector'].lower(),
                     fill=p['fill'], params=p)
            app_specs.append({'dir': os.path.join(d, 'synth'), 'params': p})
        entries.append(e)
    print(f'indep stacks: {time.time() - t0:.0f} s', file=log)
    if app_specs:
        spec_file = os.path.join(out, 'app-specs.json')
        with open(spec_file, 'w') as f:
            json.dump(app_specs, f)
        t1 = time.time()
        subprocess.run(['node', '--import', 'tsx', 'training/domain_random_app.ts', spec_file], cwd=REPO, check=True)
        print(f'app stacks: {time.time() - t1:.0f} s', file=log)
    for e in entries:
        if e['generator'] != 'app':
            continue
        d = os.path.join(out, e['id'])
        if not os.path.exists(os.path.join(d, 'grey.npy')):
            p = e['params']
            b = p['beams'][0]
            grey = tifffile.imread(os.path.join(d, 'synth', f"{b['energyKeV']:g}kV_{b['detector']}.tif"))
            truth = tifffile.imread(os.path.join(d, 'synth', 'truth.tif')).astype(np.uint8)
            assert grey.shape == truth.shape == tuple(shape), (grey.shape, truth.shape)
            np.save(os.path.join(d, 'grey.npy'), grey)
            np.save(os.path.join(d, 'truth.npy'), truth)
        e['solidFraction'] = float(np.load(os.path.join(d, 'truth.npy')).mean())
    index = {'shape': list(shape), 'kv': kv, 'counts': counts, 'holdOut': sorted(f'{g}:{f}' for g, f in hold_out),
             'families': FAMILIES, 'appRanges': APP_RANGES, 'splitSeedBase': SPLIT_BASE,
             'command': 'training/domain_random.py ' + ' '.join(sys.argv[1:]), 'stacks': entries}
    with open(os.path.join(out, 'index.json'), 'w') as f:
        json.dump(index, f, indent=1)
    return index


def load_index(out):
    with open(os.path.join(out, 'index.json')) as f:
        return json.load(f)


def load_split(out, split, hold_out=None, normalise=True):
    """[(entry, grey (normalised float32 when normalise), truth uint8)] of one split. For the
    train and val splits, stacks of held-out families are refused (they should not exist)."""
    import fibdata
    index = load_index(out)
    held = {tuple(h.split(':')) for h in index['holdOut']} | (hold_out or set())
    res = []
    for e in index['stacks']:
        if e['split'] != split:
            continue
        if split != 'test' and (e['generator'], e['family']) in held:
            raise SystemExit(f"held-out family {e['generator']}:{e['family']} in the {split} split")
        d = os.path.join(out, e['id'])
        g = np.load(os.path.join(d, 'grey.npy'))
        t = np.load(os.path.join(d, 'truth.npy'))
        res.append((e, fibdata.normalise(g) if normalise else g, t))
    return res


def evaluate_test_split(net, window, out, device, log=sys.stderr):
    """Model (threshold 0.5), Otsu and 2-class k-means on the test split, pooled per generator and
    family. Rows as evaluate_segmentation.evaluate plus generator, family, heldOut; `method` says all."""
    import evaluate_segmentation as ev
    import fibdata
    groups = {}
    for e, g, t in load_split(out, 'test', normalise=False):
        key = (e['generator'], e['family'], e['heldOut'])
        gr = groups.setdefault(key, {'model': [], 'otsu': [], 'kmeans': [], 'truth': [], 'ids': []})
        if net is not None:
            gr['model'].append(ev.predict_stack(net, fibdata.normalise(g), window, device) >= 0.5)
        gr['otsu'].append(fibdata.otsu(g))
        gr['kmeans'].append(fibdata.kmeans2(g))
        gr['truth'].append(t)
        gr['ids'].append(e['id'])
    rows = []
    # first: all held-out families pooled, as plain 'model' / 'otsu' / 'kmeans' rows at the trained kV
    # (the app's model list shows the 'model' row at the trained kV as the held-out score)
    pooled = [gr for (gen, fam, held), gr in groups.items() if held]
    if pooled:
        truth = np.concatenate([t for gr in pooled for t in gr['truth']])
        for method in ('model', 'otsu', 'kmeans'):
            if not pooled[0][method]:
                continue
            m = fibdata.metrics(np.concatenate([p for gr in pooled for p in gr[method]]), truth)
            m.update(method=method, kv=2.0, generator='both', family='held-out families pooled', heldOut=True,
                     base=method, stacks=[i for gr in pooled for i in gr['ids']])
            rows.append(m)
    for (gen, fam, held), gr in sorted(groups.items(), key=lambda kv: (not kv[0][2], kv[0][0], kv[0][1])):
        truth = np.concatenate(gr['truth'])
        for method in ('model', 'otsu', 'kmeans'):
            if not gr[method]:
                continue
            m = fibdata.metrics(np.concatenate(gr[method]), truth)
            m.update(method=f"{method} [{gen} {fam}{', held out' if held else ''}]", kv=2.0, generator=gen,
                     family=fam, heldOut=held, base=method, stacks=gr['ids'],
                     MPperStack=[fibdata.metrics(p, t)['MP'] for p, t in zip(gr[method], gr['truth'])])
            rows.append(m)
        print(f'  {gen} {fam}: ' + ', '.join(f"{r['base']} {r['MP']:.2f}" for r in rows[-3:]), file=log, flush=True)
    return rows


def _range(xs, nd=2):
    return [round(float(min(xs)), nd), round(float(max(xs)), nd)]


def dataset_card_fields(card, a, train_entries, val_entries, rows):
    """Rewrites the record's data, evaluation and use fields for a model trained on a data set
    of this script (train_segmentation.py --dataset)."""
    index = load_index(a.dataset)
    tr = [e for e, _, _ in train_entries]
    test_seeds = [e['seed'] for e in index['stacks'] if e['split'] == 'test']
    fams = sorted({(e['generator'], e['family']) for e in tr})
    held = sorted(set(index['holdOut']) | {f'{g}:{f}' for g, f in parse_hold_out(a.hold_out)})
    per = {f'{g}:{f}': sum(1 for e in tr if (e['generator'], e['family']) == (g, f)) for g, f in fams}
    data_text = (f"domain-randomised synthetic stacks of {index['shape'][0]} x {index['shape'][1]} x {index['shape'][2]} "
                 f"at {index['kv']:g} kV from two generators: the app's simulator (src-main/synth, leveled waves, "
                 f"families hnpg / npg) and the independent simulator (training/indep_sim --randomize, families "
                 f"spinodal / waves / grains / pores / fibres); trained families "
                 + ', '.join(f'{k} ({n} stacks)' for k, n in per.items())
                 + f"; held out (never trained on or validated on): {', '.join(held)}")
    card['trainedOn'] = {
        'generatorCommand': '/usr/bin/python3 ' + index['command'].strip(),
        'preset': data_text,
        'kV': index['kv'],
        'detector': 'randomised (' + ', '.join(sorted({e['detector'].upper() for e in tr})) + ')',
        # seeds of the stacks (one seed per stack, unique over generators and families; index.json)
        'trainSeeds': [e['seed'] for e in tr],
        'validationSeeds': [e['seed'] for e, _, _ in val_entries],
        'heldOutTestSeeds': test_seeds,
        'seedsText': (f"{len(tr)} train stacks (seeds 10000-19999), {len(val_entries)} validation stacks (20000-29999), "
                      f"{len(test_seeds)} test stacks (30000-39999, every family, held-out ones too); "
                      'training/data/dr/index.json'),
        'stackShape': index['shape'],
        'families': [f'{g}:{f}' for g, f in fams],
        'heldOutFamilies': held,
        'stacksPerFamily': per,
        'appRanges': index['appRanges'],
        'indepRanges': 'training/indep_sim/params.py RANDOM_CHOICES / RANDOM_RANGES (kV fixed)',
    }
    card['voxelSizeNm'] = [f"{min(e['pixelNm'] for e in tr):.1f}-{max(e['pixelNm'] for e in tr):.1f} (randomised)"]
    card['trainedRangeDraft'] = {
        'data': data_text + ' (training/README.md, domain randomisation)',
        'pixelNm': _range([e['pixelNm'] for e in tr]),
        'beamKeV': [index['kv'], index['kv']],
        'detectors': sorted({e['detector'].upper() for e in tr}),
        'fills': sorted({e['fill'] for e in tr}),
        'solidFraction': _range([e['solidFraction'] for e in tr]),
    }
    ev = card['evaluation']
    ev['heldOutSeeds'] = test_seeds
    ev['note'] = ('metrics pooled per generator and family over the test stacks; model threshold 0.5; Otsu and '
                  '2-class k-means on the raw grey values of each whole stack. PyTorch evaluation; the app-engine '
                  'table (more stacks) is in the Notes and docs/benchmarks.md')
    summary = []
    by = {}
    for r in rows:
        by.setdefault((r['generator'], r['family'], r['heldOut']), {})[r['base']] = r['MP']
    for (g, f, h), m in by.items():
        if 'model' in m:
            what = f if g == 'both' else f"{g} {f}{' (held out)' if h else ''}"
            summary.append(f"{what}: MP {m['model']:.2f} % vs Otsu {m['otsu']:.2f} % "
                           f"({'beats' if m['model'] < m['otsu'] else 'does NOT beat'} Otsu)")
    ev['summary'] = summary
    card['intendedUse'] = ('Binary segmentation (solid / pore) of FIB-SEM stacks of porous materials at about '
                           f"{index['kv']:g} kV when the structure, pixel size, detector or fill may differ from the "
                           'nanoporous-gold preset the other models were trained on.')
    card['limitations'] = ('Trained only on synthetic data (two simulators, neither Monte Carlo, not real data), one '
                           'kV; on the fixed HNPG preset the HNPG-trained default model is more accurate (see Notes). '
                           'Check the held-out table and validate on annotated real slices before trusting numbers.')
    for k in ('command', 'reproduceCommand'):  # an empty --hold-out would not parse again
        card['training'][k] = card['training'][k].replace(' --hold-out  ', ' ')
    card['dataset'] = {'index': 'training/data/dr/index.json (gitignored; remade by the command above)',
                       'holdOut': held, 'counts': index['counts']}


def finish_engine_card(base, extra_range=None):
    """NAME.json (written by cards.py for HNPG-trained models): the description and trainedRange of a
    domain-randomised model. extra_range: more trainedRange fields (e.g. the Otsu chords)."""
    with open(base + '.training.json') as f:
        r = json.load(f)
    with open(base + '.json') as f:
        c = json.load(f)
    t = r['trainedOn']
    c['description'] = (
        f"2.5D U-Net (2D convolutions, {r['parameters']:,} parameters), input window {r['inputSlices']} slices, "
        f"trained at {t['kV']:g} kV on domain-randomised synthetic stacks from the app's simulator and the "
        f"independent one (families {', '.join(t['families'])}; held out: {', '.join(t['heldOutFamilies'])}), "
        f"{r['training']['patch']} px patches. Output: probability of solid. Test split: "
        + '; '.join(r['evaluation']['summary']) + f". Details: {r['name']}.md and {r['name']}.training.json.")
    tr = dict(r['trainedRangeDraft'])
    tr.update(r.get('trainedRangeExtra', {}))
    tr.update(extra_range or {})
    c['trainedRange'] = tr
    with open(base + '.json', 'w') as f:
        json.dump(c, f, indent=2)
        f.write('\n')
    # the markdown card: name the pooled rows (plain 'model' / 'otsu' / 'kmeans')
    with open(base + '.md') as f:
        md = f.read()
    for m in ('model', 'otsu', 'kmeans'):
        md = md.replace(f'\n| {m} | 2 |', f'\n| {m} [held-out families pooled] | 2 |')
    with open(base + '.md', 'w') as f:
        f.write(md)


def update_record(base, dataset, extra_range=None, notes=None, device='cpu', reevaluate=True):
    """Re-evaluates the checkpoint base.pt on the data set's test split and rewrites the record's data,
    evaluation and use fields and both cards (e.g. after this file's card fields changed, or to add the
    Otsu chords of the training stacks and notes with the engine table)."""
    import torch
    import segmentation_run as run
    from unet import UNet
    with open(base + '.training.json') as f:
        card = json.load(f)
    ck = torch.load(base + '.pt', map_location='cpu')
    net = UNet(**ck['config'])
    net.load_state_dict(ck['state_dict'])
    net.eval()
    if reevaluate:
        rows = evaluate_test_split(net, ck['window'], dataset, device)
    else:
        rows = card['evaluation']['rows']
    card['evaluation']['rows'] = [{k: (round(v, 5) if isinstance(v, float) else v) for k, v in r.items()} for r in rows]

    class A:  # the parts of the training arguments dataset_card_fields reads
        pass
    a = A()
    a.dataset = dataset
    cmd = card['training']['command']
    a.hold_out = cmd.split('--hold-out ')[1].split(' ')[0] if '--hold-out ' in cmd and not cmd.split('--hold-out ')[1].startswith('--') else ''
    dataset_card_fields(card, a, load_split(dataset, 'train', normalise=False), load_split(dataset, 'val', normalise=False), rows)
    if extra_range:
        card['trainedRangeExtra'] = extra_range
    if notes is not None:
        card['notes'] = notes
    run.write_record(base, card)
    finish_engine_card(base)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=os.path.join(HERE, 'data', 'dr'))
    ap.add_argument('--shape', default='32,128,128')
    ap.add_argument('--kv', type=float, default=2.0)
    ap.add_argument('--train', default='40,10', help='train stacks per trained family: app,indep (about as many '
                    'stacks per generator: 1 trained app family, 4 trained independent ones)')
    ap.add_argument('--val', default='4,2', help='validation stacks per trained family: app,indep')
    ap.add_argument('--test', default='2,2', help='test stacks per family (held-out ones too): app,indep')
    ap.add_argument('--hold-out', default=DEFAULT_HOLD_OUT)
    ap.add_argument('--update-record', metavar='MODELS/NAME',
                    help='instead of making data: re-evaluate MODELS/NAME.pt on the test split of --out and rewrite '
                         'its record and cards (with --chords JSON and --notes FILE: trainedRange chords, notes)')
    ap.add_argument('--chords', help='JSON {"otsuChordPx": [a, b], "otsuChordNm": [c, d]} (npm run bench:dr -- --trained-range)')
    ap.add_argument('--notes', help='file with one note per line')
    ap.add_argument('--keep-eval', action='store_true', help='with --update-record: keep the recorded test-split rows')
    a = ap.parse_args(argv)
    if a.update_record:
        notes = None
        if a.notes:
            with open(a.notes) as f:
                notes = [ln.strip() for ln in f if ln.strip()]
        extra = {k: v for k, v in json.loads(a.chords).items() if k.startswith('otsuChord')} if a.chords else None
        update_record(a.update_record, a.out, extra, notes, reevaluate=not a.keep_eval)
        return
    shape = tuple(int(s) for s in a.shape.split(','))
    counts = {gen: {split: int(str(v).split(',')[i]) for split, v in (('train', a.train), ('val', a.val), ('test', a.test))}
              for i, gen in enumerate(('app', 'indep'))}
    idx = make_dataset(a.out, shape, a.kv, counts, parse_hold_out(a.hold_out))
    n = {}
    for e in idx['stacks']:
        k = (e['generator'], e['family'], e['split'])
        n[k] = n.get(k, 0) + 1
    for k, v in sorted(n.items()):
        print(*k, v)


if __name__ == '__main__':
    main()
