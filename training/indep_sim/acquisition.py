"""What milling and the detector chain add to the face signal: curtaining,
charging and slow gain drifts, the beam's point-spread, shot and read noise,
the detector's gamma and contrast, and quantisation.

Order: curtains and charging change the signal made at the sample; the PSF
blurs it; electrons are counted (Poisson with `dose` electrons for signal 1);
the amplifier applies gamma, gain and black level and adds read noise;
the result is clipped to full scale and rounded.
"""
import math

import numpy as np
from scipy import ndimage


def curtain_factor(rng, shape, p):
    """Multiplicative stripes along y (one value per column x), persisting over
    a few slices, strongest at the top edge where the ion beam enters and
    fading down the face."""
    nz, ny, nx = shape
    noise = rng.standard_normal((nz, nx)).astype(np.float32)
    stripes = ndimage.gaussian_filter(noise, (p['curtain_persist_slices'], p['curtain_width_px']), mode='wrap')
    stripes /= max(float(stripes.std()), 1e-12)
    fade = rng.uniform(0.4, 1.2, nz) * ny
    y = np.arange(ny, dtype=np.float32)
    envelope = 0.3 + 0.7 * np.exp(-y[None, :] / fade[:, None])  # (nz, ny)
    return 1.0 + p['curtain_amp'] * stripes[:, None, :] * envelope[:, :, None]


def charging_factor(rng, shape, p):
    """Slow multiplicative gain field per slice: a few long-wavelength cosines
    (charging patches) plus a ramp down the scan, evolving from slice to slice
    as an AR(1) process, times a per-slice gain jitter."""
    nz, ny, nx = shape
    y = np.linspace(-0.5, 0.5, ny, dtype=np.float32)[:, None]
    x = np.linspace(-0.5, 0.5, nx, dtype=np.float32)[None, :]
    n_modes = 4
    amp = rng.standard_normal((nz, n_modes))
    freq = rng.uniform(0.3, 1.5, (n_modes, 2)) * rng.choice((-1, 1), (n_modes, 2))
    phase = rng.uniform(0, 2 * math.pi, n_modes)
    ramp = rng.standard_normal(nz)
    jitter = rng.standard_normal(nz)
    keep = 0.8
    out = np.empty(shape, dtype=np.float32)
    a = amp[0] / math.sqrt(n_modes)
    r = ramp[0]
    for i in range(nz):
        if i:
            a = keep * a + math.sqrt(1 - keep * keep) * amp[i] / math.sqrt(n_modes)
            r = keep * r + math.sqrt(1 - keep * keep) * ramp[i]
        field = r * y
        for m in range(n_modes):
            field = field + a[m] * np.cos(2 * math.pi * (freq[m, 0] * y + freq[m, 1] * x) + phase[m])
        out[i] = (1.0 + p['charging_amp'] * field) * (1.0 + p['slice_gain_jitter'] * jitter[i])
    return np.clip(out, 0.05, None)


def acquire(signal, rng, p):
    """Noisy detector image (uint8 or uint16) from the face signal."""
    s = signal * curtain_factor(rng, signal.shape, p) * charging_factor(rng, signal.shape, p)
    if p['psf_sigma_px'] > 0:
        s = ndimage.gaussian_filter(s, (0, p['psf_sigma_px'], p['psf_sigma_px']), mode='nearest')
    counts = rng.poisson(np.clip(s, 0, None).astype(np.float64) * p['dose']) / p['dose']
    v = p['black'] + p['gain'] * counts ** p['gamma']
    v += rng.normal(0.0, p['read_noise'], v.shape)
    full = 255 if p['dtype'] == 'uint8' else 65535
    return np.round(np.clip(v, 0.0, 1.0) * full).astype(p['dtype'])
