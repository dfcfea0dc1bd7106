# Independent reference for the registration tests: shifts a smooth base image with
# scipy.ndimage.shift (cubic spline), crops the interior (no border effects), adds
# noise, and runs skimage.registration.phase_cross_correlation on each pair.
# argv: base.f32 base_height base_width out_dir crop_y crop_x crop_h crop_w; stdin: JSON cases
# [{ "dy": a, "dx": b, "noise": sd, "seed": s }]; writes out_dir/case_<i>.f32 (shifted
# by (a, b), i.e. moving(y, x) = base(y - a, x - b)), prints skimage shifts (normalization None and 'phase') as JSON.
import json
import sys

import numpy as np
from scipy import ndimage
from skimage.registration import phase_cross_correlation

base_path, bh, bw, out_dir, cy, cx, ch, cw = sys.argv[1:9]
bh, bw, cy, cx, ch, cw = (int(v) for v in (bh, bw, cy, cx, ch, cw))
base = np.fromfile(base_path, dtype=np.float32).reshape(bh, bw).astype(np.float64)
base = ndimage.gaussian_filter(base, 1.0)
cases = json.loads(sys.stdin.read())
ref = None
results = []
for i, c in enumerate(cases):
    shifted = ndimage.shift(base, (c["dy"], c["dx"]), order=3, mode="reflect")
    img = shifted[cy:cy + ch, cx:cx + cw]
    img = img + np.random.default_rng(c["seed"]).normal(0, c["noise"], img.shape)
    img.astype(np.float32).tofile(f"{out_dir}/case_{i}.f32")
    if i == 0:
        ref = img
        results.append(None)
    else:
        plain, _, _ = phase_cross_correlation(ref, img, upsample_factor=20, normalization=None)
        phase, _, _ = phase_cross_correlation(ref, img, upsample_factor=20)
        results.append({"plain": [float(v) for v in plain], "phase": [float(v) for v in phase]})
print(json.dumps(results))
