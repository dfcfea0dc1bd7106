"""Late fusion of per-voltage 2.5D U-Nets ([Sardhara2024]: one branch per kV,
their outputs combined by a trained 1x1 convolution = a learned weighted vote).

Input: float32 [N, K * window, H, W] = the K windows (each `window` slices, normalised per
slice like the branches) concatenated in branch order (1, 2, 4 kV for fusion-w7-124kv).
Branch k reads channels k*window .. (k+1)*window - 1 and returns the logit of solid; the
K logit maps go through one 1x1 convolution (K weights + bias) -> fused logit; the
exported graph returns sigmoid(fused logit) = probability of solid.

Voting weights: w_k / sum_j |w_j| (sign kept): the share of branch k in the fused log-odds.
"""
import hashlib
import os

import torch
import torch.nn as nn

from unet import UNet


class LateFusion(nn.Module):
    def __init__(self, branches, window):
        super().__init__()
        self.window = window
        self.branches = nn.ModuleList(branches)
        self.fuse = nn.Conv2d(len(branches), 1, 1)
        with torch.no_grad():  # start from an equal vote of the branch logits
            self.fuse.weight.fill_(1.0 / len(branches))
            self.fuse.bias.zero_()

    def freeze_branches(self):
        for b in self.branches:
            b.eval()
            for p in b.parameters():
                p.requires_grad_(False)

    def train(self, mode=True):  # the branches stay in eval mode (BatchNorm running statistics)
        super().train(mode)
        for b in self.branches:
            b.eval()
        return self

    def branch_logits(self, x):
        w = self.window
        return torch.cat([b(x[:, k * w:(k + 1) * w]) for k, b in enumerate(self.branches)], dim=1)

    def forward(self, x):
        return self.fuse(self.branch_logits(x))

    def voting_weights(self):
        w = self.fuse.weight.detach().reshape(-1).double()
        return (w / w.abs().sum()).tolist()


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def load_branch(path):
    ck = torch.load(path, map_location='cpu')
    net = UNet(**ck['config'])
    net.load_state_dict(ck['state_dict'])
    return net.eval(), ck


def load_fusion(path, check_hashes=True):
    """Builds the LateFusion model from NAME.pt (fuse weights + the branch checkpoints it names,
    looked up beside it; their sha256 must match when check_hashes)."""
    ck = torch.load(path, map_location='cpu')
    d = os.path.dirname(os.path.abspath(path))
    branches = []
    for b in ck['branches']:
        p = os.path.join(d, b['checkpoint'])
        if check_hashes and sha256(p) != b['sha256']:
            raise ValueError(f"{p} is not the branch checkpoint the fusion was trained with (sha256 differs)")
        branches.append(load_branch(p)[0])
    m = LateFusion(branches, ck['window'])
    m.fuse.load_state_dict(ck['fuse'])
    m.freeze_branches()
    return m.eval(), ck
