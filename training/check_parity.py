#!/usr/bin/python3
"""Checks every shipped segmentation model: ONNX file == PyTorch checkpoint.

  /usr/bin/python3 training/check_parity.py [--models-dir models] [NAME ...]

For each models/NAME.json segmentation card made by train_segmentation.py or
train_segmentation3d.py (NAME.training.json
beside it; files NAME.onnx, NAME.pt, NAME.parity.npz):
 1. runs the ONNX graph itself with a small numpy interpreter (onnx 1.12 has no
    onnx.reference) on the fixed input of NAME.parity.npz and compares with the
    stored PyTorch output (max abs diff <= 1e-4);
 2. loads the checkpoint NAME.pt, runs PyTorch on the same input and compares with
    the stored output (<= 1e-5): the npz belongs to this checkpoint;
 3. re-exports the checkpoint to ONNX in memory and compares the node op sequence and
    every initializer bit-exactly with the shipped file;
 4. checks the card against the graph (input channels = inputSlices, dynamic batch/H/W,
    output name; 3D: input [batch, 1, depth, H, W] with the parity depth = inputSlices and
    dynamic batch/depth/H/W) and the file sizes (< 5 MB).
Prints one JSON line per model; exits 1 if any check fails.
"""
import argparse
import glob
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

MAX_BYTES = 5 * 1024 * 1024


# ---------------------------------------------------------------- numpy ONNX interpreter
def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, at):
    if at.get('group', 1) != 1 or any(d != 1 for d in at.get('dilations', [1, 1])) \
            or any(s != 1 for s in at.get('strides', [1, 1])):
        raise NotImplementedError(f'Conv attributes {at}')
    p = at.get('pads', [0, 0, 0, 0])
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])))
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))  # N C H W kh kw
    y = np.einsum('nchwij,ocij->nohw', win, w, optimize=True)
    if b is not None:
        y = y + b[None, :, None, None]
    return y


def _conv_transpose(x, w, b, at):
    k, s = list(at.get('kernel_shape', w.shape[2:])), list(at.get('strides', [1, 1]))
    if k != s or any(at.get('pads', [0, 0, 0, 0])) or at.get('group', 1) != 1 or 'output_padding' in at:
        raise NotImplementedError(f'ConvTranspose attributes {at}')
    n, c, h, wd = x.shape
    y = np.einsum('nchw,coij->nohiwj', x, w, optimize=True).reshape(n, w.shape[1], h * k[0], wd * k[1])
    if b is not None:
        y = y + b[None, :, None, None]
    return y


def _maxpool(x, at):
    k, s = list(at['kernel_shape']), list(at.get('strides', [1, 1]))
    if k != s or any(at.get('pads', [0, 0, 0, 0])) or at.get('ceil_mode', 0):
        raise NotImplementedError(f'MaxPool attributes {at}')
    n, c, h, w = x.shape
    h2, w2 = h // k[0], w // k[1]
    return x[:, :, :h2 * k[0], :w2 * k[1]].reshape(n, c, h2, k[0], w2, k[1]).max(axis=(3, 5))


def _conv3d(x, w, b, at):
    """3D convolution (stride 1, no dilation, group 1) as a sum over kernel offsets (memory-light)."""
    if at.get('group', 1) != 1 or any(d != 1 for d in at.get('dilations', [1, 1, 1])) \
            or any(s != 1 for s in at.get('strides', [1, 1, 1])):
        raise NotImplementedError(f'Conv attributes {at}')
    p = at.get('pads', [0] * 6)
    kd, kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[3]), (p[1], p[4]), (p[2], p[5])))
    d, h, wd = xp.shape[2] - kd + 1, xp.shape[3] - kh + 1, xp.shape[4] - kw + 1
    y = np.zeros((x.shape[0], w.shape[0], d, h, wd))
    for i in range(kd):
        for j in range(kh):
            for k in range(kw):
                y += np.einsum('ncdhw,oc->nodhw', xp[:, :, i:i + d, j:j + h, k:k + wd], w[:, :, i, j, k], optimize=True)
    if b is not None:
        y = y + b[None, :, None, None, None]
    return y


def _conv_transpose3d(x, w, b, at):
    k, s = list(at.get('kernel_shape', w.shape[2:])), list(at.get('strides', [1, 1, 1]))
    if k != s or any(at.get('pads', [0] * 6)) or at.get('group', 1) != 1 or 'output_padding' in at:
        raise NotImplementedError(f'ConvTranspose attributes {at}')
    n, c, d, h, wd = x.shape
    y = np.einsum('ncdhw,coijl->nodihjwl', x, w, optimize=True).reshape(
        n, w.shape[1], d * k[0], h * k[1], wd * k[2])
    if b is not None:
        y = y + b[None, :, None, None, None]
    return y


def _maxpool3d(x, at):
    k, s = list(at['kernel_shape']), list(at.get('strides', [1, 1, 1]))
    if k != s or any(at.get('pads', [0] * 6)) or at.get('ceil_mode', 0):
        raise NotImplementedError(f'MaxPool attributes {at}')
    n, c, d, h, w = x.shape
    d2, h2, w2 = d // k[0], h // k[1], w // k[2]
    return x[:, :, :d2 * k[0], :h2 * k[1], :w2 * k[2]].reshape(n, c, d2, k[0], h2, k[1], w2, k[2]).max(axis=(3, 5, 7))


def run_onnx_numpy(model, feeds):
    """Evaluates the graph in float64 (ops of the shipped U-Nets only; anything else raises)."""
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    env.update({k: np.asarray(v, np.float64) for k, v in feeds.items()})
    for node in model.graph.node:
        at = _attrs(node)
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == 'Conv':
            conv = _conv3d if ins[0].ndim == 5 else _conv
            out = conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, at)
        elif op == 'ConvTranspose':
            convt = _conv_transpose3d if ins[0].ndim == 5 else _conv_transpose
            out = convt(ins[0], ins[1], ins[2] if len(ins) > 2 else None, at)
        elif op == 'Relu':
            out = np.maximum(ins[0], 0)
        elif op == 'MaxPool':
            out = _maxpool3d(ins[0], at) if ins[0].ndim == 5 else _maxpool(ins[0], at)
        elif op == 'Concat':
            out = np.concatenate(ins, axis=at['axis'])
        elif op == 'Sigmoid':
            out = 1 / (1 + np.exp(-ins[0]))
        elif op == 'BatchNormalization':
            x, g, b, m, v = ins[:5]
            sh = (1, -1) + (1,) * (x.ndim - 2)
            out = (x - m.reshape(sh)) / np.sqrt(v.reshape(sh) + at.get('epsilon', 1e-5)) * g.reshape(sh) + b.reshape(sh)
        elif op == 'Identity':
            out = ins[0]
        else:
            raise NotImplementedError(f'op {op}')
        env[node.output[0]] = out
    return [env[o.name] for o in model.graph.output]


# ---------------------------------------------------------------- checks
def check_model(card_path):
    import torch
    import export_onnx
    from evaluate_segmentation import load_checkpoint

    d = os.path.dirname(card_path)
    with open(card_path) as f:
        card = json.load(f)
    name = card['name']
    res = {'name': name, 'ok': True, 'failures': []}

    def fail(msg):
        res['ok'] = False
        res['failures'].append(msg)

    onnx_path = os.path.join(d, name + '.onnx')
    pt_path = os.path.join(d, name + '.pt')
    npz_path = os.path.join(d, name + '.parity.npz')
    slices = card['input']['slices']
    for p in (onnx_path, pt_path, npz_path):
        if not os.path.exists(p):
            fail(f'missing {p}')
            return res
        if os.path.getsize(p) > MAX_BYTES:
            fail(f'{os.path.basename(p)} is {os.path.getsize(p)} bytes (> 5 MB)')
    model = onnx.load(onnx_path)
    onnx.checker.check_model(model)
    data = np.load(npz_path)
    x, y_ref = data['input'], data['output']

    # card vs graph
    inp = model.graph.input[0]
    dims = inp.type.tensor_type.shape.dim
    is3d = card['kind'] == 'segmentation-3d'
    if inp.name != export_onnx.INPUT_NAME or model.graph.output[0].name != export_onnx.OUTPUT_NAME:
        fail('input/output names differ from the export')
    if is3d:
        # [batch, 1, depth, height, width]; card input.slices = the z patch depth the engine feeds
        if len(dims) != 5 or dims[1].dim_value != 1 or x.shape[1] != 1 or x.shape[2] != slices:
            fail(f"3D input {[d.dim_value or d.dim_param for d in dims]} / parity {list(x.shape)} is not "
                 f"[batch, 1, depth = card input.slices {slices}, H, W]")
        if not all(dims[i].dim_param for i in (0, 2, 3, 4)):
            fail('batch / depth / height / width are not dynamic')
    elif dims[1].dim_value != slices or x.shape[1] != slices:
        fail(f"input channels {dims[1].dim_value} / parity {x.shape[1]} != card input.slices {slices}")
    if card['output'] != {'channels': 1, 'activation': 'none', 'classes': ['solid'], 'threshold': 0.5}:
        fail(f"card output {card['output']} is not the probability of solid the graph returns")
    if card['input']['normalisation'] != {'type': 'minmax-percentile', 'low': 1, 'high': 99, 'clip': True}:
        fail('card normalisation differs from the training normalisation')
    if not is3d and not all(dims[i].dim_param for i in (0, 2, 3)):
        fail('batch / height / width are not dynamic')

    # 1. the ONNX graph itself
    try:
        y_onnx = run_onnx_numpy(model, {inp.name: x})[0]
        res['onnxVsStored'] = float(np.abs(y_onnx - y_ref).max())
        if y_onnx.shape != y_ref.shape or res['onnxVsStored'] > 1e-4:
            fail(f"ONNX output differs from the stored PyTorch output by {res['onnxVsStored']:.3g}")
    except NotImplementedError as e:
        fail(f'numpy interpreter: {e}')

    # 2. checkpoint vs stored output
    torch.set_num_threads(1)
    net, ck = load_checkpoint(pt_path)
    if ck['window'] != slices:
        fail('checkpoint window != card input.slices')
    y_pt = export_onnx.torch_probability(net, x)
    res['torchVsStored'] = float(np.abs(y_pt - y_ref).max())
    if res['torchVsStored'] > 1e-5:
        fail(f"PyTorch output differs from the stored output by {res['torchVsStored']:.3g}")

    # 3. re-export: same ops, bit-identical weights
    fresh = onnx.load_from_string(export_onnx.export_bytes(net))
    if [n.op_type for n in fresh.graph.node] != [n.op_type for n in model.graph.node]:
        fail('node op sequence differs from a fresh export of the checkpoint')
    a = [numpy_helper.to_array(t) for t in fresh.graph.initializer]
    b = [numpy_helper.to_array(t) for t in model.graph.initializer]
    same = len(a) == len(b) and all(u.shape == v.shape and u.dtype == v.dtype and u.tobytes() == v.tobytes()
                                    for u, v in zip(a, b))
    res['initializers'] = len(b)
    if not same:
        fail('initializers are not bit-identical to a fresh export of the checkpoint')
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('names', nargs='*')
    ap.add_argument('--models-dir', default=os.path.join(os.path.dirname(HERE), 'models'))
    a = ap.parse_args()
    cards = []
    for p in sorted(glob.glob(os.path.join(a.models_dir, '*.json'))):
        if p.endswith('.training.json') or not os.path.exists(p[:-len('.json')] + '.training.json'):
            continue  # only models trained by training/train_segmentation.py (they have a training record)
        with open(p) as f:
            c = json.load(f)
        if str(c.get('kind', '')).startswith('segmentation') and (not a.names or c['name'] in a.names):
            cards.append(p)
    if not cards:
        print(json.dumps({'ok': False, 'failures': ['no segmentation model cards found']}))
        sys.exit(1)
    ok = True
    for p in cards:
        r = check_model(p)
        ok &= r['ok']
        print(json.dumps(r))
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
