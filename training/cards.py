#!/usr/bin/python3
"""Model cards from a training record.

  /usr/bin/python3 training/cards.py models/NAME.training.json [...]

models/NAME.training.json  full record written by train_segmentation.py (architecture,
                           data, seeds, loss curves, held-out scores, timings, machine)
models/NAME.json           the card the app's inference engine reads (strict schema of
                           src-main/inference/model-card.ts: name, kind, description,
                           input {slices, tile, overlap, normalisation}, output {...})
models/NAME.md             the card for people
"""
import json
import os
import sys

# Inference tile for the engine: the nets are fully convolutional (dynamic H, W, multiples of
# 2**depth) and were trained on 64 px patches; 128 px tiles with 32 px overlap keep the
# blended border well inside the receptive field and need 4x fewer runs than 64 px tiles.
ENGINE_TILE = 128
ENGINE_OVERLAP = 32


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


def write_cards(record_path):
    with open(record_path) as f:
        r = json.load(f)
    d = os.path.dirname(record_path)
    with open(os.path.join(d, r['name'] + '.json'), 'w') as f:
        json.dump(engine_card(r), f, indent=2)
        f.write('\n')
    with open(os.path.join(d, r['name'] + '.md'), 'w') as f:
        f.write(markdown(r))


if __name__ == '__main__':
    for p in sys.argv[1:]:
        write_cards(p)
