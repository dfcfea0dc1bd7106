"""Small U-Nets for FIB-SEM segmentation (solid = 1, pore = 0).

2D / 2.5D: a 2D U-Net whose input channels are the slices of the window
(1 for 2D, 2w+1 for 2.5D: slice i-w .. i+w in stack order, reflected at the
stack ends like numpy.pad(mode='reflect')). Output: 1 channel, the logit of
"solid" for the centre slice. `ProbabilityHead` wraps a net so that the ONNX
graph returns the sigmoid probability.

3D: UNet3D (same layout with Conv3d), shipped as models/unet3d-2kv (train_segmentation3d.py).

Shapes: H and W (and D for 3D) must be divisible by 2**depth.
"""
import torch
import torch.nn as nn


def _norm(kind, channels, dims):
    if kind == 'batch':
        return nn.BatchNorm2d(channels) if dims == 2 else nn.BatchNorm3d(channels)
    if kind == 'group':
        return nn.GroupNorm(min(8, channels), channels)
    raise ValueError(f'unknown norm {kind!r}')


class DoubleConv(nn.Module):
    def __init__(self, cin, cout, norm='batch', dims=2):
        super().__init__()
        Conv = nn.Conv2d if dims == 2 else nn.Conv3d
        self.block = nn.Sequential(
            Conv(cin, cout, 3, padding=1, bias=False), _norm(norm, cout, dims), nn.ReLU(inplace=True),
            Conv(cout, cout, 3, padding=1, bias=False), _norm(norm, cout, dims), nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.block(x)


class UNet(nn.Module):
    """U-Net: `depth` poolings, base channels doubling per level, 1 output channel (logit)."""

    def __init__(self, in_channels=1, base=16, depth=3, norm='batch', dims=2):
        super().__init__()
        self.config = dict(in_channels=in_channels, base=base, depth=depth, norm=norm, dims=dims)
        Pool = nn.MaxPool2d if dims == 2 else nn.MaxPool3d
        Up = nn.ConvTranspose2d if dims == 2 else nn.ConvTranspose3d
        Conv = nn.Conv2d if dims == 2 else nn.Conv3d
        chans = [base * 2 ** i for i in range(depth + 1)]
        self.down = nn.ModuleList()
        cin = in_channels
        for c in chans[:-1]:
            self.down.append(DoubleConv(cin, c, norm, dims))
            cin = c
        self.pool = Pool(2)
        self.bottom = DoubleConv(chans[-2], chans[-1], norm, dims)
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        for i in range(depth - 1, -1, -1):
            self.up.append(Up(chans[i + 1], chans[i], 2, stride=2))
            self.dec.append(DoubleConv(chans[i] * 2, chans[i], norm, dims))
        self.head = Conv(chans[0], 1, 1)

    def forward(self, x):
        skips = []
        for block in self.down:
            x = block(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottom(x)
        for up, dec in zip(self.up, self.dec):
            x = up(x)
            x = dec(torch.cat([skips.pop(), x], dim=1))
        return self.head(x)


def UNet3D(base=8, depth=3, norm='batch'):
    """3D U-Net on single-channel (1, D, H, W) patches."""
    return UNet(in_channels=1, base=base, depth=depth, norm=norm, dims=3)


class ProbabilityHead(nn.Module):
    """Exports sigmoid(logit): the ONNX graph outputs the probability of solid."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.sigmoid(self.net(x))


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
