# Independent source of drift test stacks: a random smooth structure (white noise
# smoothed by scipy.ndimage.gaussian_filter, unit sd) moved by a known drift with an
# exact Fourier shift, cropped from the middle of a larger frame (so nothing wraps
# into view), plus independent Gaussian noise per slice. Optionally the structure
# evolves along z (white noise smoothed along z too: slices of a 3D field).
# With "skimage": also skimage.registration.phase_cross_correlation of every slice
# onto its predecessor (upsample 20, normalization None), the neighbour chain.
# argv: out.f32; stdin: JSON {n, height, width, noise, seed, structurePx, zSigma,
# drift: [[dy, dx] per slice] or null, skimage: bool}. Writes n float32 slices;
# prints JSON {"skimagePairs": [[dy, dx] per slice (0, 0 first)] or null}.
# Slice i = structure translated by drift[i]: slice_i(y, x) = s_i(y - dy_i, x - dx_i).
import json
import sys

import numpy as np
from scipy import ndimage

out = sys.argv[1]
p = json.loads(sys.stdin.read())
n, h, w = p["n"], p["height"], p["width"]
rng = np.random.default_rng(p["seed"])
margin = 24
H, W = h + 2 * margin, w + 2 * margin
sigma = p.get("structurePx", 2.5)
z_sigma = p.get("zSigma", 0)
if z_sigma > 0:
    field = ndimage.gaussian_filter(rng.normal(size=(n, H, W)), (z_sigma, sigma, sigma), mode="wrap")
else:
    one = ndimage.gaussian_filter(rng.normal(size=(H, W)), sigma, mode="wrap")
    field = np.repeat(one[None], n, axis=0)
field /= field.std()
drift = p.get("drift") or [[0.0, 0.0]] * n
ky = np.fft.fftfreq(H)[:, None]
kx = np.fft.fftfreq(W)[None, :]
stack = np.empty((n, h, w), np.float32)
for i in range(n):
    dy, dx = drift[i]
    moved = np.real(np.fft.ifft2(np.fft.fft2(field[i]) * np.exp(-2j * np.pi * (ky * dy + kx * dx))))
    stack[i] = moved[margin:margin + h, margin:margin + w] + rng.normal(0, p["noise"], (h, w))
stack.tofile(out)
pairs = None
if p.get("skimage"):
    from skimage.registration import phase_cross_correlation
    pairs = [[0.0, 0.0]]
    for i in range(1, n):
        s, _, _ = phase_cross_correlation(stack[i - 1], stack[i], upsample_factor=20, normalization=None)
        pairs.append([float(s[0]), float(s[1])])
print(json.dumps({"skimagePairs": pairs}))
