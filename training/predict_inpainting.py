#!/usr/bin/python3
"""Reference ML inpainting in PyTorch, for checking the app's engine (tests) and for use
from Python: reads a checkpoint and a stack's splined distances, writes the labels.

  /usr/bin/python3 training/predict_inpainting.py models/inpaint-small.pt DIR

DIR holds distance.npy (float32 [nz, ny, nx], nm) and known.npy (uint8 [nz]), as
training/make_inpainting_data.ts writes them; writes DIR/labels.npy (uint8: gap planes
from the mean of the zx and zy logits > 0, measured planes = distance > 0) and
DIR/logits.npy (float32 mean logit).
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import inpaint_net  # noqa: E402
import inpainting_data as data  # noqa: E402
from train_inpainting import volume_logits  # noqa: E402


def load(checkpoint):
    ck = torch.load(checkpoint, map_location='cpu')
    net = inpaint_net.InpaintNet(**ck['config'])
    net.load_state_dict(ck['state_dict'])
    return net.eval(), ck


def main():
    torch.set_num_threads(int(os.environ.get('FIBRECON_TORCH_THREADS', '1')))
    net, ck = load(sys.argv[1])
    d = sys.argv[2]
    distance = np.load(os.path.join(d, 'distance.npy'))
    known = np.load(os.path.join(d, 'known.npy'))
    s = data.Stack(distance, known, np.zeros(distance.shape, np.uint8), ck['distanceScaleNm'], ck['gapScaleRows'])
    _, _, both = volume_logits(net, s)
    labels = (both > 0).astype(np.uint8)
    labels[known.astype(bool)] = (distance[known.astype(bool)] > 0)
    np.save(os.path.join(d, 'labels.npy'), labels)
    np.save(os.path.join(d, 'logits.npy'), both.astype(np.float32))


if __name__ == '__main__':
    main()
