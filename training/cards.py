#!/usr/bin/python3
"""Model cards from a training record.

  /usr/bin/python3 training/cards.py [--data DIR] models/NAME.training.json [...]

models/NAME.training.json  full record written by train_segmentation.py (architecture,
                           data, seeds, loss curves, held-out scores, timings, machine)
models/NAME.json           the card the app's inference engine reads (strict schema of
                           src-main/inference/model-card.ts: name, kind, description,
                           input {slices, tile, overlap, normalisation}, output {...})
models/NAME.md             the card for people

The engine card carries trainedRange: what the training stacks were (pixel size, kV, detector,
fill, and the mean chord of Otsu's labels measured as the app's out-of-distribution check
measures a stack), read from the training stacks themselves (training/data/seed-N, or --data DIR
holding seed-N folders; a missing stack is made by the app's generator, as training does).
"""
import argparse
import decimal
import json
import math
import os
import subprocess
import sys

import numpy as np
import tifffile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fibdata  # noqa: E402

# Inference tile for the engine: the nets are fully convolutional (dynamic H, W, multiples of
# 2**depth) and were trained on 64 px patches; 128 px tiles with 32 px overlap keep the
# blended border well inside the receptive field and need 4x fewer runs than 64 px tiles.
ENGINE_TILE = 128
ENGINE_OVERLAP = 32


# The crops the app's out-of-distribution check looks at (src-main/segment/ood/flip-consistency.ts,
# sampleCrops with its defaults): 3 blocks of 8 slices spread over the depth, each slice cropped to
# at most 128 x 128 px at (b + 1/2) / n along the slice's diagonal.
OOD_BLOCK_SLICES = 8
OOD_BLOCKS = 3
OOD_MAX_SIDE = 128


def block_starts(nz, depth, count):
    d = min(depth, nz)
    n = max(1, min(count, nz // d))
    return [math.floor(((nz - n * d) * (b + 0.5)) / n) + b * d for b in range(n)]


def block_crop(ny, nx, b, n, max_side=OOD_MAX_SIDE):
    side = max(8, max_side)
    rows, columns = min(ny, side), min(nx, side)
    f = (b + 0.5) / n
    return math.floor((ny - rows) * f), math.floor((nx - columns) * f), rows, columns


def sample_crops(grey):
    """The (slices, rows, columns) blocks of a (z, y, x) stack that the check crops, as one array per block."""
    nz, ny, nx = grey.shape
    depth = min(nz, max(1, OOD_BLOCK_SLICES))
    starts = block_starts(nz, depth, OOD_BLOCKS)
    out = []
    for b, z0 in enumerate(starts):
        y, x, rows, columns = block_crop(ny, nx, b, len(starts))
        out.append(grey[z0:z0 + depth, y:y + rows, x:x + columns])
    return out


def otsu_threshold(grey):
    """Otsu's threshold on the histogram of the whole stack, one bin per integer grey value (what the app and
    skimage.filters.threshold_otsu compute for 8- and 16-bit stacks); value > threshold is solid."""
    from skimage.filters import threshold_otsu
    return threshold_otsu(np.asarray(grey))


def _runs(mask):
    """Total length and number of the runs of True along the last axis."""
    m = mask.reshape(-1, mask.shape[-1]).astype(np.int8)
    padded = np.pad(m, ((0, 0), (1, 1)))
    starts = int((np.diff(padded, axis=1) == 1).sum())
    return int(m.sum()), starts


def mean_chord_px(labels):
    """Mean chord of a (z, y, x) label block in the xy planes: (solid mean + pore mean) / 2, each the mean length
    of the runs along x and y together (src-main/segment/ood/structure-size.ts)."""
    def phase(mask):
        lx, nx = _runs(mask)
        ly, ny = _runs(np.swapaxes(mask, 1, 2))
        return (lx + ly) / (nx + ny) if nx + ny > 0 else 0.0
    solid = labels.astype(bool)
    return (phase(solid) + phase(~solid)) / 2


def round1(x):
    """x to one decimal, halves up (as JavaScript's toFixed(1) on the same double)."""
    return float(decimal.Decimal(x).quantize(decimal.Decimal('0.1'), rounding=decimal.ROUND_HALF_UP))


def training_stack(data_dir, seed, kv, detector):
    """(grey cropped to the ROI, manifest) of training stack `seed`; made by the app's generator when missing."""
    d = os.path.join(data_dir, f'seed-{seed}')
    if not os.path.exists(os.path.join(d, 'manifest.json')):
        os.makedirs(data_dir, exist_ok=True)
        print(f'generating seed {seed} -> {d}', file=sys.stderr)
        subprocess.run(fibdata.generator_command(seed, d), cwd=fibdata.REPO, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(d, 'manifest.json')) as f:
        manifest = json.load(f)
    roi = manifest['roi']
    grey = tifffile.imread(os.path.join(d, f'{kv:g}kV_{detector}.tif'))
    return grey[:, roi['y']:roi['y'] + roi['height'], roi['x']:roi['x'] + roi['width']], manifest


def trained_range(r, data_dir=None):
    """The card's trainedRange (src-main/inference/model-card.ts): from the training stacks of the record's train
    seeds, at its kV and detector. A record that brings its own (trainedRangeDraft) keeps it."""
    if 'trainedRangeDraft' in r:
        tr = dict(r['trainedRangeDraft'])
        tr.update(r.get('trainedRangeExtra', {}))
        return tr
    t = r['trainedOn']
    kv, detector, seeds = float(t['kV']), t['detector'], list(t['trainSeeds'])
    data_dir = data_dir or fibdata.DATA_DIR
    chords_px, chords_nm, pixels, fills, shapes, params = [], [], [], set(), set(), []
    for seed in seeds:
        grey, manifest = training_stack(data_dir, seed, kv, detector)
        p = manifest['params']
        voxel = float(p['voxelNm'])
        threshold = otsu_threshold(grey)
        blocks = sample_crops(grey)
        px = mean_chord_px(np.concatenate([b > threshold for b in blocks]))
        chords_px.append(px)
        chords_nm.append(px * voxel)
        pixels.append(voxel)
        fills.add(p['fill'])
        shapes.add(grey.shape)
        params.append(p)
    p = params[0]
    lo_hi = lambda xs: [round1(min(xs)), round1(max(xs))]  # noqa: E731
    shape = ' or '.join(' x '.join(str(n) for n in s) for s in sorted(shapes))
    same = all((q['coarse']['wavelengthNm'], q['fine']['wavelengthNm'], q['solidFraction']) ==
               (p['coarse']['wavelengthNm'], p['fine']['wavelengthNm'], p['solidFraction']) for q in params)
    structure = (f"leveled waves of {p['coarse']['wavelengthNm']:g} nm and {p['fine']['wavelengthNm']:g} nm, "
                 f"{100 * p['solidFraction']:g} % solid, " if same else '')
    seed_text = f'{seeds[0]}-{seeds[-1]}' if seeds == list(range(seeds[0], seeds[-1] + 1)) and len(seeds) > 1 else ', '.join(map(str, seeds))
    return {
        'data': (f"the app's synthetic HNPG preset (fibrecon synth defaults: {min(pixels):g} nm voxels, {structure}"
                 f"{', '.join(sorted(fills))} fill), structure seed{'s' if len(seeds) > 1 else ''} {seed_text}, {shape} "
                 f"(training/README.md)"),
        'pixelNm': [min(pixels), max(pixels)],
        'beamKeV': [kv, kv],
        'detectors': [detector],
        'fills': sorted(fills),
        'otsuChordPx': lo_hi(chords_px),
        'otsuChordNm': lo_hi(chords_nm),
    }


def engine_card_3d(r):
    """3D models (train_segmentation3d.py): z patches of input.slices with overlapSlices, tiles in y/x."""
    summary = '; '.join(r['evaluation']['summary'])
    return {
        'name': r['name'],
        'kind': r['kind'],
        'description': (
            f"3D U-Net (3D convolutions, {r['parameters']:,} parameters), input z patches of {r['inputSlices']} "
            f"slices, trained on the app's synthetic HNPG preset at {r['trainedOn']['kV']:g} kV "
            f"{r['trainedOn']['detector']} (seeds {r['trainedOn']['trainSeeds'][0]}-{r['trainedOn']['trainSeeds'][-1]}, "
            f"validation {r['trainedOn']['validationSeeds']}), {r['training']['patch']} patches. Output: probability "
            f"of solid. Held-out seeds {r['evaluation']['heldOutSeeds']}: {summary}. "
            f"Details: {r['name']}.md and {r['name']}.training.json."),
        'input': {
            'slices': r['inputSlices'],
            'tile': r['engineTile'],
            'overlap': r['engineOverlap'],
            'overlapSlices': r['engineOverlapSlices'],
            'normalisation': {k: r['normalisation'][k] for k in ('type', 'low', 'high', 'clip')},
        },
        'output': {'channels': 1, 'activation': 'none', 'classes': ['solid'], 'threshold': r['outputs']['threshold']},
    }


def engine_card(r):
    if r['kind'] == 'segmentation-3d':
        return engine_card_3d(r)
    summary = '; '.join(r['evaluation']['summary'])
    return {
        'name': r['name'],
        'kind': r['kind'],
        'description': (
            f"{'2.5D' if r['inputSlices'] > 1 else '2D'} U-Net (2D convolutions, {r['parameters']:,} parameters), "
            f"input window {r['inputSlices']} "
            f"slice(s), trained on the app's synthetic HNPG preset at {r['trainedOn']['kV']:g} kV "
            f"{r['trainedOn']['detector']} (seeds {r['trainedOn']['trainSeeds'][0]}-{r['trainedOn']['trainSeeds'][-1]}, "
            f"validation {r['trainedOn']['validationSeeds']}), 64 px patches. Output: probability of solid. "
            f"Held-out seeds {r['evaluation']['heldOutSeeds']}: {summary}. "
            f"Details: {r['name']}.md and {r['name']}.training.json."),
        'input': {
            'slices': r['inputSlices'],
            'tile': ENGINE_TILE,
            'overlap': ENGINE_OVERLAP,
            'normalisation': {k: r['normalisation'][k] for k in ('type', 'low', 'high', 'clip')},
        },
        'output': {'channels': 1, 'activation': 'none', 'classes': ['solid'], 'threshold': r['outputs']['threshold']},
    }


def markdown(c):
    t = c['training']
    p = c['tileSize']
    shapes = c['shapes'].replace('divisibleBy', str(c['divisibleBy'])).replace('tileSize x tileSize', f'{p} x {p}')
    if c['kind'] == 'segmentation-3d':
        runs = (f"The app runs it on z patches of {c['inputSlices']} slices overlapping by "
                f"{c['engineOverlapSlices']} and {c['engineTile']} px tiles with {c['engineOverlap']} px overlap "
                f"(blended).")
        patches = f"{t['patch']} patches"
    else:
        runs = f"The app runs it on {ENGINE_TILE} px tiles with {ENGINE_OVERLAP} px overlap."
        patches = f"{t['patch']} px patches"
    lines = [f"# {c['name']}", '',
             f"{c['kind']} model, ONNX opset {c['opset']}, {c['fileSizeBytes'] / 1e6:.2f} MB, "
             f"{c['parameters']:,} parameters. Files: `{c['name']}.onnx` (model), `{c['name']}.json` (card the app "
             f"reads), `{c['name']}.training.json` (full training record), `{c['name']}.pt` (PyTorch checkpoint), "
             f"`{c['name']}.parity.npz` (fixed input + PyTorch output).", '',
             f"**Intended use.** {c['intendedUse']}", '',
             f"**Limitations.** {c['limitations']}", '',
             '## Input / output', '',
             f"- Input `{c['inputName']}`: {c['inputLayout']}.",
             f"- Shapes: {shapes} {runs}",
             f"- Normalisation: {c['normalisation']['text']}",
             f"- Output `{c['outputName']}`: {c['outputs']['shape']}, {c['outputs']['meaning']}; "
             f"solid where >= {c['outputs']['threshold']}.", '',
             '## Architecture', '', c['architecture'] + '.', '',
             '## Training data', '',
             f"- Generator: `{c['trainedOn']['generatorCommand']}` ({c['trainedOn']['preset']}).",
             f"- Images: {c['trainedOn']['kV']:g} kV {c['trainedOn']['detector']}; train seeds "
             f"{c['trainedOn']['trainSeeds']}, validation seeds {c['trainedOn']['validationSeeds']}, held-out test "
             f"seeds {c['trainedOn']['heldOutTestSeeds']} (never used in training or model selection).",
             f"- Voxel {c['voxelSizeNm'][0]} nm; stacks {c['trainedOn']['stackShape']} (z, y, x).", '',
             '## Training', '',
             f"- Command: `{t['command']}`",
             f"- Reproduce exactly (same epochs, no time limit; same thread count and device): `{t['reproduceCommand']}`",
             f"- {patches}, batch {t['batch']}, {t['stepsPerEpoch']} steps per epoch, "
             f"{t['epochs']} of max {t['epochsMax']} epochs (stopped by: {t['earlyStopping']['stoppedBy']}); best (kept) "
             f"epoch {t['earlyStopping']['bestEpoch']}, validation loss {t['earlyStopping']['bestValLoss']}.",
             f"- {t['optimizer']}, lr {t['lr']}, {t['lrSchedule']}. Loss: {t['loss']}.",
             f"- Augmentation: {t['augmentation']}.",
             f"- Validation: {t['validation']}.",
             f"- Time: {t['trainingSeconds'] / 60:.1f} min training + {t['evaluationSeconds']:.0f} s evaluation on "
             f"{t['device']}, {t['threads']} thread(s), {t['machine']}; torch {t['torch']}; {t['date']}.", '',
             '| epoch | train loss | val loss | val MP % | lr | s |', '|---:|---:|---:|---:|---:|---:|']
    for h in t['history']:
        lines.append(f"| {h['epoch']} | {h['trainLoss']:.4f} | {h['valLoss']:.4f} | {h['valMP']:.2f} | {h['lr']:g} "
                     f"| {h['seconds']:.0f} |")
    lines += ['', f"## Held-out evaluation (seeds {c['evaluation']['heldOutSeeds']})", '',
              c['evaluation']['note'] + '.', '',
              '| method | kV | MP % | MGP % | Dice solid | MDS | solid fraction error (pp) |',
              '|---|---:|---:|---:|---:|---:|---:|']
    for r in c['evaluation']['rows']:
        lines.append(f"| {r['method']} | {r['kv']:g} | {r['MP']:.2f} | {r['MGP']:.2f} | {r['diceSolid']:.4f} | "
                     f"{r['MDS']:.4f} | {100 * r['solidFractionError']:+.2f} |")
    lines += [''] + [f'- {s}' for s in c['evaluation']['summary']]
    if c.get('notes'):
        lines += ['', '## Notes', ''] + [f'- {n}' for n in c['notes']]
    lines += ['', '## Parity', '',
              f"`{c['parity']['file']}` holds a fixed input and the PyTorch output; "
              f"`/usr/bin/python3 training/check_parity.py` checks the ONNX file against the checkpoint "
              f"`{c['parity']['checkpoint']}` (numpy run of the ONNX graph, PyTorch run, bit-exact weights of a "
              f"fresh export). {c['parity']['note']}.", '']
    return '\n'.join(lines)


def write_cards(record_path, data_dir=None):
    """NAME.json (engine card with trainedRange) and NAME.md beside the record; data_dir: the training stacks
    (seed-N folders; default training/data)."""
    with open(record_path) as f:
        r = json.load(f)
    d = os.path.dirname(record_path)
    card = engine_card(r)
    card['trainedRange'] = trained_range(r, data_dir)
    with open(os.path.join(d, r['name'] + '.json'), 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    with open(os.path.join(d, r['name'] + '.md'), 'w') as f:
        f.write(markdown(r))


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=None, help='folder of the training stacks (seed-N); default training/data')
    ap.add_argument('records', nargs='+')
    a = ap.parse_args()
    for p in a.records:
        write_cards(p, a.data)
