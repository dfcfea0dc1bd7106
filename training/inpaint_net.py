"""DCSCN-like inpainting network for the gaps of a repositioned binary volume
([Sardhara2023] suppl., adapted; model card: models/NAME.md).

Input: float32 [N, 3, H, W], one zx or zy plane (rows = z on the 2.5 nm grid):
  0  tanh(D / distanceScaleNm), D = signed distance to the solid/pore boundary splined
     along z between the measured rows (the RCS interpolant; > 0 in solid)
  1  1 on measured rows, 0 on gap rows
  2  min(rows to the nearest measured row / gapScaleRows, 4)
Output: float32 [N, 1, H, W], the logit of solid:
  alpha * input[:, 0] + residual(features)
i.e. the network's output is added to the interpolated copy of its input (DCSCN adds
the bicubic upsampling; here the signed-distance spline). The last layer starts at zero
and alpha at ALPHA0, so before training the model is exactly RCS (logit > 0 <=> D > 0).

Feature extraction: a chain of 3x3 conv + PReLU layers (widths `features`), every
layer's output kept and concatenated (DCSCN's skip connections). Reconstruction:
branch A 1x1 conv (recon[0]); branch B 1x1 conv (recon[1]) then 3x3 (recon[2]);
concat(A, B) -> 3x3 conv (recon[3]) -> 1x1 conv to one channel. PReLU after every conv
but the last. Padding: reflection (borders of the plane).
"""
import torch
import torch.nn as nn

FULL = dict(features=(96, 81, 70, 60, 50, 41, 32, 16), recon=(96, 64, 48, 32))
SMALL = dict(features=(32, 26, 22, 18, 16, 14, 12, 8), recon=(32, 24, 16, 12))
VARIANTS = {'full': FULL, 'small': SMALL}
ALPHA0 = 4.0
IN_CHANNELS = 3


def _conv(cin, cout, k):
    return nn.Conv2d(cin, cout, k, padding=k // 2, padding_mode='reflect' if k > 1 else 'zeros')


class InpaintNet(nn.Module):
    def __init__(self, features=FULL['features'], recon=FULL['recon'], in_channels=IN_CHANNELS):
        super().__init__()
        self.config = dict(features=list(features), recon=list(recon), in_channels=in_channels)
        layers, c = [], in_channels
        for f in features:
            layers.append(nn.Sequential(_conv(c, f, 3), nn.PReLU(f)))
            c = f
        self.features = nn.ModuleList(layers)
        total = sum(features)
        r0, r1, r2, r3 = recon
        self.a = nn.Sequential(_conv(total, r0, 1), nn.PReLU(r0))
        self.b = nn.Sequential(_conv(total, r1, 1), nn.PReLU(r1), _conv(r1, r2, 3), nn.PReLU(r2))
        self.mix = nn.Sequential(_conv(r0 + r2, r3, 3), nn.PReLU(r3))
        self.out = _conv(r3, 1, 1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)
        self.alpha = nn.Parameter(torch.tensor(ALPHA0))

    def forward(self, x):
        feats, h = [], x
        for layer in self.features:
            h = layer(h)
            feats.append(h)
        h = torch.cat(feats, dim=1)
        h = self.mix(torch.cat([self.a(h), self.b(h)], dim=1))
        return self.alpha * x[:, 0:1] + self.out(h)


def build(variant=None, **config):
    if variant is not None:
        config = dict(VARIANTS[variant], **config)
    return InpaintNet(**config)


def macs_per_pixel(net):
    """Multiply-accumulates per output pixel (conv layers)."""
    n = 0
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            n += m.in_channels * m.out_channels * m.kernel_size[0] * m.kernel_size[1]
    return n


def count_parameters(net):
    return sum(p.numel() for p in net.parameters())
