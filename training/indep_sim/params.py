"""Parameters of the independent simulator: defaults, detector and fill
presets, and the ranges that domain randomisation draws from.

Every parameter lives in one flat dict so that a manifest can record all of
them and a caller can override any one by name. Lengths are in nm unless the
name ends in _px (in-plane pixels).
"""
import math

FAMILIES = ('spinodal', 'waves', 'grains', 'pores', 'fibres')
DETECTORS = ('tld', 'inlens', 'icd')
FILLS = ('epoxy', 'vacuum')
KVS = (1.0, 2.0, 4.0)

# How much of the signal from below the face a detector collects, and how
# strongly it shows the secondary-electron edge effect. A through-the-lens
# detector in immersion mode collects SE made by backscattered electrons deep in
# the block (strong shine-through); an in-column BSE detector with an energy
# filter sees mostly the top few nm (weak shine-through, little edge effect).
DETECTOR_PRESETS = {
    'tld': {'subsurface_gain': 0.9, 'edge_gain': 0.3},
    'inlens': {'subsurface_gain': 0.55, 'edge_gain': 0.45},
    'icd': {'subsurface_gain': 0.2, 'edge_gain': 0.08},
}

# Signal of the pore fill at the face (solid = 1) and how far the beam gets
# through the fill. Epoxy is low-Z: mid grey, and it attenuates the beam with a
# length that grows with kV. In vacuum the beam is not attenuated, but the
# signal made deep in a pore escapes the pore less and less: an escape length
# that does not depend on kV (exponent 0).
FILL_PRESETS = {
    'epoxy': {'fill_signal': 0.3, 'fill_range_1kv_nm': 10.0, 'fill_kv_exponent': 1.67},
    'vacuum': {'fill_signal': 0.0, 'fill_range_1kv_nm': 30.0, 'fill_kv_exponent': 0.0},
}

DEFAULTS = {
    # geometry
    'pixel_nm': 5.0,
    'slice_nm': None,  # None: equal to pixel_nm
    'depth_margin_nm': 300.0,  # structure made behind the last slice (and the depth sum's reach)
    'dtype': 'uint8',
    # structure
    'solid_fraction': 0.4,
    'feature_px': 12.0,
    'size_spread': 0.25,  # log-normal sigma of radii (grains, pores, fibres)
    'spectral_width': 0.3,  # spinodal: relative width of the band-pass shell
    'n_waves': 256,  # waves: number of cosines
    'neck': 0.3,  # grains: smooth-union length / median radius (sintering necks)
    'pore_aspect': 1.6,  # pores: longest / shortest semi-axis
    'pore_orientations': 3,  # pores: number of distinct ellipsoid orientations
    'fibre_aspect': 12.0,  # fibres: length / diameter
    # imaging: beam and sample
    'kv': 2.0,
    'detector': 'tld',
    'fill': 'epoxy',
    'solid_signal': 1.0,
    'fill_signal': None,  # preset by fill
    'fill_range_1kv_nm': None,  # preset by fill
    'fill_kv_exponent': None,  # preset by fill
    'solid_range_1kv_nm': 1.2,
    'solid_kv_exponent': 1.67,
    'subsurface_gain': None,  # preset by detector
    'edge_gain': None,  # preset by detector
    'edge_width_nm': 6.0,
    'incidence_deg': 38.0,  # angle between beam and face normal
    'spread_per_depth': 0.35,  # lateral blur sigma gained per nm of depth
    # imaging: acquisition artefacts
    'curtain_amp': 0.05,
    'curtain_width_px': 3.0,
    'curtain_persist_slices': 6.0,
    'charging_amp': 0.06,
    'slice_gain_jitter': 0.02,
    'psf_sigma_px': 0.8,
    'dose': 80.0,  # detected electrons per pixel for signal 1
    'read_noise': 0.012,  # Gaussian, fraction of full scale
    'gamma': 1.0,
    'black': 0.06,
    'gain': 0.7,
}

STRING_PARAMS = ('detector', 'fill', 'dtype')


def _uniform(lo, hi):
    return lambda rng: float(rng.uniform(lo, hi))


def _log_uniform(lo, hi):
    return lambda rng: float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _choice(options):
    return lambda rng: options[int(rng.integers(len(options)))]


# Domain randomisation (make_stack(..., randomize=True), CLI --randomize).
# The first three are drawn first because the presets depend on them; the
# preset-relative ones scale the preset by the drawn factor.
RANDOM_CHOICES = {
    'kv': _choice(KVS),
    'detector': _choice(DETECTORS),
    'fill': _choice(('epoxy', 'epoxy', 'epoxy', 'vacuum')),
}
RANDOM_RANGES = {
    'pixel_nm': _log_uniform(2.5, 10.0),
    'solid_fraction': _uniform(0.2, 0.55),
    'feature_px': _log_uniform(4.0, 40.0),
    'size_spread': _uniform(0.1, 0.4),
    'spectral_width': _uniform(0.15, 0.5),
    'neck': _uniform(0.15, 0.45),
    'pore_aspect': _uniform(1.0, 2.2),
    'fibre_aspect': _uniform(6.0, 20.0),
    'solid_range_1kv_nm': _uniform(0.8, 2.0),
    'edge_width_nm': _uniform(3.0, 10.0),
    'incidence_deg': _uniform(0.0, 38.0),
    'spread_per_depth': _uniform(0.2, 0.5),
    'curtain_amp': _uniform(0.0, 0.12),
    'curtain_width_px': _uniform(1.5, 6.0),
    'curtain_persist_slices': _uniform(2.0, 15.0),
    'charging_amp': _uniform(0.0, 0.15),
    'slice_gain_jitter': _uniform(0.0, 0.05),
    'psf_sigma_px': _uniform(0.4, 1.5),
    'dose': _log_uniform(15.0, 300.0),
    'read_noise': _uniform(0.003, 0.03),
    'gamma': _uniform(0.7, 1.4),
    'black': _uniform(0.02, 0.15),
    'gain': _uniform(0.55, 0.85),
}
# Scale factors on the presets.
RANDOM_PRESET_FACTORS = {
    'subsurface_gain': _uniform(0.7, 1.3),
    'edge_gain': _uniform(0.5, 1.5),
    'fill_range_1kv_nm': _uniform(0.6, 1.5),
}
# Slice thickness drawn as a multiple of the pixel size (whether the pixel size was drawn or given).
RANDOM_SLICE_RATIO = _choice((1.0, 1.0, 1.5, 2.0))
# Fill signal drawn per fill.
RANDOM_FILL_SIGNAL = {'epoxy': _uniform(0.2, 0.45), 'vacuum': _uniform(0.0, 0.1)}


def resolve(explicit, rng=None):
    """All parameters: defaults < presets < random draws (when rng is given) < explicit.

    `explicit` holds what the caller asked for (None values count as not given).
    Draws happen in a fixed order whatever is given, so that one seed gives the
    same draws for the parameters that were not overridden.
    """
    given = {k: v for k, v in explicit.items() if v is not None}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise ValueError(f'unknown parameter(s) {unknown}; known: {sorted(DEFAULTS)}')
    p = dict(DEFAULTS)
    drawn = {}
    if rng is not None:
        for name, draw in RANDOM_CHOICES.items():
            drawn[name] = draw(rng)
    for name in RANDOM_CHOICES:
        p[name] = given.get(name, drawn.get(name, p[name]))
    _check_choice('detector', p['detector'], DETECTORS)
    _check_choice('fill', p['fill'], FILLS)
    p.update(DETECTOR_PRESETS[p['detector']])
    p.update(FILL_PRESETS[p['fill']])
    if rng is not None:
        for name, draw in RANDOM_RANGES.items():
            p[name] = draw(rng)
        for name, draw in RANDOM_PRESET_FACTORS.items():
            p[name] = p[name] * draw(rng)
        p['fill_signal'] = RANDOM_FILL_SIGNAL[p['fill']](rng)
        ratio = RANDOM_SLICE_RATIO(rng)
        if 'slice_nm' not in given:
            p['slice_nm'] = ratio * given.get('pixel_nm', p['pixel_nm'])
    p.update(given)
    if p['slice_nm'] is None:
        p['slice_nm'] = p['pixel_nm']
    for k, v in p.items():
        if k not in STRING_PARAMS and v is not None:
            p[k] = float(v) if k not in ('n_waves', 'pore_orientations') else int(v)
    _check_choice('dtype', p['dtype'], ('uint8', 'uint16'))
    _check_ranges(p)
    return p


def _check_choice(name, value, options):
    if value not in options:
        raise ValueError(f'{name} must be one of {list(options)}, got {value!r}')


def _check_ranges(p):
    if not 0.01 <= p['solid_fraction'] <= 0.99:
        raise ValueError(f"solid_fraction must lie in [0.01, 0.99], got {p['solid_fraction']}")
    if p['feature_px'] < 1.5:
        raise ValueError(f"feature_px must be at least 1.5 pixels, got {p['feature_px']}")
    for name in ('pixel_nm', 'slice_nm', 'kv', 'dose', 'fill_range_1kv_nm', 'solid_range_1kv_nm'):
        if not p[name] > 0:
            raise ValueError(f'{name} must be positive, got {p[name]}')
    if not 0 <= p['incidence_deg'] <= 45:
        raise ValueError(f"incidence_deg must lie in [0, 45] (the structure is made for up to 45), got {p['incidence_deg']}")
    if p['pore_aspect'] < 1:
        raise ValueError(f"pore_aspect must be at least 1, got {p['pore_aspect']}")
