"""What the 2D / 2.5D script (train_segmentation.py) and the 3D script
(train_segmentation3d.py) share around their training loops: reproducible set-up, the
held-out seeds check, data loading, the model files (.pt, .onnx, .parity.npz) and the
training record (NAME.training.json, from which cards.py writes NAME.json and NAME.md).
Each script passes only what differs (kind, input layout, architecture text, patch,
augmentation, validation)."""
import datetime
import json
import os
import sys

import numpy as np
import torch

import evaluate_segmentation as ev
import export_onnx
import fibdata
from unet import count_parameters

GENERATOR_COMMAND = 'node bin/fibrecon.mjs synth OUTDIR --columns 256 --rows 192 --slices 40 --seed N --kv 1,2,4 --json'
PRESET_TEXT = ('synthetic HNPG preset (defaults: solid fraction 0.3, coarse wavelength 180 nm, fine 25 nm, '
               'epoxy fill, uint8, ruler band 24 rows cropped via manifest roi, voxel 2.5 nm, '
               'milling target 10 nm, gamma thickness mean 10.16 sd 3.12 nm)')
LOSS_TEXT = {'dice+bce': 'mean soft Dice loss of solid and pore (squared denominators, smooth 1) + binary cross-entropy',
             'dice': 'mean soft Dice loss of solid and pore'}
AUGMENTATION_TEXT = ('random 90-degree in-plane rotations, {flips}, contrast x U(0.8,1.2) about 0.5, '
                     'brightness + U(-0.1,0.1), Gaussian noise sd U(0,0.04); {order} never reversed')
INTENDED_USE = ('Binary segmentation (solid / pore) of FIB-SEM TLD stacks of nanoporous metals with '
                'epoxy-filled pores, imaged at about the trained kV, with shine-through.')
LIMITATIONS = ('Trained only on the app\'s synthetic forward model (not Monte Carlo, not real data); '
               'other kV, detectors, pixel sizes, fills or materials are out of distribution - check the '
               'held-out table and validate on annotated real slices before trusting numbers.')


def setup(a):
    """Threads, seeds and deterministic algorithms; returns (device, train, val, test seeds).
    Exits when the seed sets overlap."""
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
    return device, train_seeds, val_seeds, test_seeds


def load_stacks(seeds, kv, detector):
    """[(normalised grey stack, truth)] of the given synthetic seeds."""
    out = []
    for s in seeds:
        g, t = fibdata.load_stack(s, kv, detector)
        out.append((fibdata.normalise(g), t))
    return out


def held_out_summary(rows, trained_kv):
    """One line per kV: the model's MP against Otsu's."""
    row = {(r['method'], r['kv']): r for r in rows}
    summary = []
    for kv in sorted({r['kv'] for r in rows}):
        m, o = row.get(('model', kv)), row.get(('otsu', kv))
        if m and o:
            ratio = o['MP'] / m['MP'] if m['MP'] > 0 else float('inf')
            verdict = 'beats' if m['MP'] < o['MP'] else 'does NOT beat'
            summary.append(f"{kv:g} kV: MP {m['MP']:.2f} % vs Otsu {o['MP']:.2f} % "
                           f"({verdict} Otsu, {ratio:.1f}x){' [trained at this kV]' if kv == trained_kv else ' [not trained at this kV]'}")
    return summary


def write_model_files(a, net_cpu, checkpoint_extra, parity_x):
    """NAME.pt, NAME.onnx and NAME.parity.npz in a.out; returns (path without extension, ONNX size in bytes)."""
    os.makedirs(a.out, exist_ok=True)
    base = os.path.join(a.out, a.name)
    ck = {'config': net_cpu.config, **checkpoint_extra, 'state_dict': net_cpu.state_dict()}
    torch.save(ck, base + '.pt')
    onnx_bytes = export_onnx.export_bytes(net_cpu)
    with open(base + '.onnx', 'wb') as f:
        f.write(onnx_bytes)
    np.savez_compressed(base + '.parity.npz', input=parity_x, output=export_onnx.torch_probability(net_cpu, parity_x))
    return base, len(onnx_bytes)


def write_record(base, card):
    """The full record first (plain JSON), then the engine card and the markdown card from it."""
    with open(base + '.training.json', 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    import cards  # imported late on purpose: the card layout can be fixed while a long run trains
    cards.write_cards(base + '.training.json')


def _args_text(a, skip):
    return ' '.join(f'--{k.replace("_", "-")} {v}' for k, v in sorted(vars(a).items()) if k not in skip)


def make_card(a, *, script, net, history, best, stopped, rows, train_s, eval_s, total_s, onnx_size, device,
              seeds, kind, input_slices, input_layout, shapes, engine, output_meaning, output_shape, architecture,
              patch, augmentation, validation, eval_note, parity_note):
    """The training record of a segmentation model. `seeds` = (train, val, test); `engine` = extra
    top-level fields for the engine card (3D: engineTile, engineOverlap, engineOverlapSlices), placed
    right after `shapes` so that the records keep their earlier key order."""
    train_seeds, val_seeds, test_seeds = seeds
    command = f'/usr/bin/python3 training/{script} '
    return {
        'name': a.name,
        'kind': kind,
        'format': 'onnx',
        'file': a.name + '.onnx',
        'opset': export_onnx.OPSET,
        'inputName': export_onnx.INPUT_NAME,
        'outputName': export_onnx.OUTPUT_NAME,
        'inputSlices': input_slices,
        'inputLayout': input_layout,
        'tileSize': a.patch,
        'divisibleBy': 2 ** a.depth,
        'shapes': shapes,
        **engine,
        'normalisation': dict(fibdata.NORMALISATION, text=fibdata.NORMALISATION_TEXT),
        'outputs': {'channels': 1, 'meaning': output_meaning, 'shape': output_shape, 'threshold': 0.5},
        'labels': {'1': 'solid', '0': 'pore'},
        'architecture': architecture,
        'parameters': count_parameters(net),
        'fileSizeBytes': onnx_size,
        'voxelSizeNm': [2.5, 2.5, 2.5],
        'trainedOn': {
            'generatorCommand': GENERATOR_COMMAND,
            'preset': PRESET_TEXT,
            'kV': a.kv,
            'detector': a.detector,
            'trainSeeds': train_seeds,
            'validationSeeds': val_seeds,
            'heldOutTestSeeds': test_seeds,
            'stackShape': [fibdata.PRESET['slices'], fibdata.PRESET['rows'], fibdata.PRESET['columns']],
        },
        'training': {
            'command': command + _args_text(a, ('out',)),
            'reproduceCommand': command + _args_text(a, ('out', 'epochs', 'max_minutes'))
                                + f' --epochs {len(history)} --max-minutes 0',
            'epochs': len(history),
            'epochsMax': a.epochs,
            'stepsPerEpoch': a.steps_per_epoch,
            'batch': a.batch,
            'patch': patch,
            'optimizer': 'Adam',
            'lr': a.lr,
            'lrSchedule': f'ReduceLROnPlateau on validation loss, factor 0.1, patience {a.lr_patience}',
            'loss': LOSS_TEXT[getattr(a, 'loss', 'dice+bce')],
            'augmentation': augmentation,
            'validation': validation,
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
            'note': eval_note,
            'rows': [{k: (round(v, 5) if isinstance(v, float) else v) for k, v in r.items() if k != 'seeds'}
                     for r in rows],
            'summary': held_out_summary(rows, a.kv),
        },
        'parity': {'file': a.name + '.parity.npz', 'checkpoint': a.name + '.pt', 'note': parity_note},
        'intendedUse': INTENDED_USE,
        'limitations': LIMITATIONS,
    }
