"""CLI: python3 -m training.indep_sim OUTDIR --family spinodal --seed 3 --shape 24,128,128 --kv 2

Writes OUTDIR/grey.tif, OUTDIR/truth.tif (ImageJ TIFFs with the voxel size in
nm) and OUTDIR/manifest.json (all parameters, the true solid fraction and the
Otsu sanity figure); --raw adds grey.raw and truth.raw. Prints the manifest's
summary as one JSON line.
"""
import argparse
import json
import sys

from .output import write_outputs
from .params import DEFAULTS, DETECTORS, FAMILIES, FILLS, STRING_PARAMS
from .stack import make_stack, otsu_sanity


def parse_args(argv):
    ap = argparse.ArgumentParser(prog='python3 -m training.indep_sim', description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('outdir')
    ap.add_argument('--family', default='spinodal', choices=FAMILIES + ('random',))
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--shape', default='16,64,64', help='nz,ny,nx (slices, rows, columns)')
    ap.add_argument('--kv', type=float, help='beam energy in kV (1, 2, 4 typical; default 2)')
    ap.add_argument('--detector', choices=DETECTORS, help='default tld')
    ap.add_argument('--fill', choices=FILLS, help='pore fill; default epoxy')
    ap.add_argument('--solid-fraction', type=float)
    ap.add_argument('--feature-px', type=float)
    ap.add_argument('--dtype', choices=('uint8', 'uint16'))
    ap.add_argument('--pixel-nm', type=float)
    ap.add_argument('--slice-nm', type=float)
    ap.add_argument('--randomize', action='store_true', help='draw every parameter not given from the documented ranges')
    ap.add_argument('--set', action='append', default=[], metavar='NAME=VALUE',
                    help='any other parameter by name (see docs/independent-simulator.md); repeatable')
    ap.add_argument('--raw', action='store_true', help='also write grey.raw and truth.raw (little-endian, z, y, x)')
    return ap.parse_args(argv)


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        shape = tuple(int(s) for s in a.shape.split(','))
        if len(shape) != 3:
            raise ValueError
    except ValueError:
        raise SystemExit(f'--shape must be three integers nz,ny,nx, got {a.shape!r}')
    params = {'kv': a.kv, 'detector': a.detector, 'fill': a.fill, 'solid_fraction': a.solid_fraction,
              'feature_px': a.feature_px, 'dtype': a.dtype, 'pixel_nm': a.pixel_nm, 'slice_nm': a.slice_nm}
    for item in a.set:
        name, sep, value = item.partition('=')
        if not sep or name not in DEFAULTS:
            raise SystemExit(f'--set takes NAME=VALUE with NAME one of {sorted(DEFAULTS)}, got {item!r}')
        params[name] = value if name in STRING_PARAMS else float(value)
    params = {k: v for k, v in params.items() if v is not None}
    try:
        grey, truth, info = make_stack(a.family, a.seed, shape, randomize=a.randomize, **params)
    except ValueError as e:
        raise SystemExit(f'indep_sim: {e}')
    info['sanity'] = otsu_sanity(grey, truth)
    write_outputs(a.outdir, grey, truth, info, raw=a.raw)
    print(json.dumps({'outdir': a.outdir, 'family': info['family'], 'seed': info['seed'], 'shape': info['shape'],
                      'kv': info['params']['kv'], 'solid_fraction_true': info['solid_fraction_true'],
                      **info['sanity'], 'seconds': info['seconds']}))


if __name__ == '__main__':
    main()
