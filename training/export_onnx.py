"""ONNX export of a trained U-Net (sigmoid probability output, dynamic batch / H / W)
and the fixed parity input/output pair the Node side checks ONNX Runtime against."""
import io

import numpy as np
import torch

from unet import ProbabilityHead

OPSET = 13
INPUT_NAME = 'input'
OUTPUT_NAME = 'probability'
PARITY_SHAPE_HW = (64, 96)  # non-square on purpose: checks dynamic H / W
PARITY_BATCH = 2
PARITY_SEED = 20260521


def export_bytes(net):
    """ONNX model bytes of sigmoid(net(x)); x: float32 (N, C, H, W), H and W divisible by 2**depth."""
    net = net.cpu().eval()
    c = net.config['in_channels']
    if net.config.get('dims', 2) == 3:
        # 3D: x float32 (N, 1, D, H, W), D / H / W divisible by 2**depth; all four dynamic
        dummy = torch.zeros(1, c, 16, 64, 64)
        axes = {0: 'batch', 2: 'depth', 3: 'height', 4: 'width'}
        dynamic = {INPUT_NAME: axes, OUTPUT_NAME: dict(axes)}
    else:
        dummy = torch.zeros(1, c, 64, 64)
        dynamic = {INPUT_NAME: {0: 'batch', 2: 'height', 3: 'width'},
                   OUTPUT_NAME: {0: 'batch', 2: 'height', 3: 'width'}}
    buf = io.BytesIO()
    torch.onnx.export(
        ProbabilityHead(net).eval(), dummy, buf, opset_version=OPSET, do_constant_folding=True,
        input_names=[INPUT_NAME], output_names=[OUTPUT_NAME], dynamic_axes=dynamic)
    return buf.getvalue()


def parity_input(in_channels, depth=None):
    """Fixed parity input (N, in_channels, H, W); with `depth` (3D models) (N, in_channels, depth, H, W)."""
    rng = np.random.RandomState(PARITY_SEED)
    h, w = PARITY_SHAPE_HW
    if depth is not None:
        x = rng.rand(PARITY_BATCH, in_channels, depth, h, w).astype(np.float32)
        zz, yy, xx = np.mgrid[0:depth, 0:h, 0:w]
        x += (0.5 + 0.5 * np.sin(xx / 5.0) * np.cos(yy / 7.0) * np.cos(zz / 3.0)).astype(np.float32)[None, None]
        return np.clip(x / 2, 0, 1).astype(np.float32)
    # smooth-ish values in [0, 1] like a normalised image, plus structure so outputs are not all equal
    x = rng.rand(PARITY_BATCH, in_channels, h, w).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    x += (0.5 + 0.5 * np.sin(xx / 5.0) * np.cos(yy / 7.0)).astype(np.float32)[None, None]
    return np.clip(x / 2, 0, 1).astype(np.float32)


@torch.no_grad()
def torch_probability(net, x):
    net = net.cpu().eval()
    return torch.sigmoid(net(torch.from_numpy(x))).numpy().astype(np.float32)
