"""Writes TIFF fixtures with tifffile (the independent reference) and the
grey pixels fibrecon must read from them.

usage: make_fixtures.py OUTDIR  -> prints a JSON list of
  {name, tif, raw, pages, height, width, dtype}
raw = expected grey planes, little-endian, (pages, height, width).
"""
import json
import os
import sys

import numpy as np
import tifffile

out = sys.argv[1]
rng = np.random.default_rng(20240607)
fixtures = []


def rand(shape, dtype):
    return rng.integers(0, np.iinfo(dtype).max + 1, size=shape, dtype=dtype)


def luma(r, g, b):
    r, g, b = (np.asarray(c, dtype=np.float64) for c in (r, g, b))
    return np.floor(0.299 * r + 0.587 * g + 0.114 * b + 0.5)


def add(name, data, expected=None, **kw):
    path = os.path.join(out, name + '.tif')
    kw.setdefault('photometric', 'minisblack')  # else tifffile takes (3|4, h, w) for planar RGB
    tifffile.imwrite(path, data, **kw)
    back = tifffile.imread(path)
    assert np.array_equal(back, data), name  # the fixture holds what we wrote
    exp = np.asarray(data if expected is None else expected)
    if exp.ndim == 2:
        exp = exp[None]
    dtype = 'uint8' if data.dtype == np.uint8 else 'uint16'
    raw = os.path.join(out, name + '.raw')
    exp.astype('<u1' if dtype == 'uint8' else '<u2').tofile(raw)
    with tifffile.TiffFile(path) as t:
        p = t.pages[0]
        info = dict(compression=int(p.compression), predictor=int(p.predictor), tiled=bool(p.is_tiled),
                    byteorder=t.byteorder, bigtiff=t.is_bigtiff)
    fixtures.append(dict(name=name, tif=path, raw=raw, pages=exp.shape[0], height=exp.shape[1],
                         width=exp.shape[2], dtype=dtype, info=info))


# grey, strips
add('u8_le', rand((48, 61), np.uint8))
add('u16_le', rand((48, 61), np.uint16))
add('u8_be', rand((33, 20), np.uint8), byteorder='>')
add('u16_be', rand((33, 20), np.uint16), byteorder='>')
add('u16_multipage', rand((7, 40, 53), np.uint16))
add('u16_be_multipage', rand((4, 21, 17), np.uint16), byteorder='>')
add('u8_multipage_rps3', rand((3, 29, 31), np.uint8), rowsperstrip=3)
add('u16_rps5', rand((37, 29), np.uint16), rowsperstrip=5)
add('u8_rps1', rand((9, 13), np.uint8), rowsperstrip=1)
# deflate, predictor
add('u16_zlib', rand((40, 45), np.uint16), compression='zlib')
add('u8_deflate32946', rand((40, 45), np.uint8), compression='deflate')
smooth = (np.add.outer(np.arange(50) * 300, np.arange(47) * 700) % 65536).astype(np.uint16)
add('u16_zlib_pred', smooth, compression='zlib', predictor=True)
add('u16_be_zlib_pred_rps7', smooth, compression='zlib', predictor=True, rowsperstrip=7, byteorder='>')
add('u8_zlib_pred_rps7', rand((30, 33), np.uint8), compression='adobe_deflate', predictor=True, rowsperstrip=7)
add('u16_multipage_zlib', rand((3, 19, 23), np.uint16), compression='zlib', predictor=True)
# tiles (image size not a multiple of 16)
add('u8_tiles', rand((45, 37), np.uint8), tile=(16, 16))
add('u16_tiles', rand((45, 37), np.uint16), tile=(16, 16))
add('u16_be_tiles_zlib_pred', rand((33, 50), np.uint16), tile=(16, 32), compression='zlib', predictor=True, byteorder='>')
add('u16_tiles_multipage', rand((3, 20, 18), np.uint16), tile=(16, 16))
# BigTIFF
add('bigtiff_u16', rand((3, 25, 26), np.uint16), bigtiff=True)
add('bigtiff_be_u8_zlib', rand((2, 25, 26), np.uint8), bigtiff=True, byteorder='>', compression='zlib')
add('bigtiff_u16_tiles', rand((30, 40), np.uint16), bigtiff=True, tile=(16, 16))
# ImageJ hyperstack (all IFDs present)
add('imagej_u16', rand((5, 24, 19), np.uint16), imagej=True, metadata={'spacing': 10.0, 'unit': 'nm'})
add('imagej_u8', rand((4, 24, 19), np.uint8), imagej=True)
# colour
rgb8 = rand((21, 26, 3), np.uint8)
add('rgb_u8', rgb8, luma(rgb8[..., 0], rgb8[..., 1], rgb8[..., 2]).astype(np.uint8), photometric='rgb')
rgb16 = rand((21, 26, 3), np.uint16)
add('rgb_u16_be', rgb16, luma(rgb16[..., 0], rgb16[..., 1], rgb16[..., 2]).astype(np.uint16), photometric='rgb', byteorder='>')
rgbp = rand((3, 19, 22), np.uint8)
add('rgb_u8_planar', rgbp, luma(rgbp[0], rgbp[1], rgbp[2]).astype(np.uint8), photometric='rgb', planarconfig='separate')
rgbp16 = rand((3, 19, 22), np.uint16)
add('rgb_u16_planar_zlib_pred', rgbp16, luma(rgbp16[0], rgbp16[1], rgbp16[2]).astype(np.uint16),
    photometric='rgb', planarconfig='separate', compression='zlib', predictor=True, rowsperstrip=4)
rgba = rand((17, 18, 4), np.uint8)
add('rgba_u8_tiles', rgba, luma(rgba[..., 0], rgba[..., 1], rgba[..., 2]).astype(np.uint8),
    photometric='rgb', extrasamples=['unassalpha'], tile=(16, 16))
cmap = rand((3, 256), np.uint16)
idx = rand((23, 27), np.uint8)
lum = np.floor((0.299 * cmap[0].astype(np.float64) + 0.587 * cmap[1] + 0.114 * cmap[2]) / 257 + 0.5)
add('palette_u8', idx, lum[idx].astype(np.uint8), photometric='palette', colormap=cmap)
# MinIsWhite
w8 = rand((15, 16), np.uint8)
add('miniswhite_u8', w8, 255 - w8, photometric='miniswhite')
w16 = rand((15, 16), np.uint16)
add('miniswhite_u16_zlib', w16, 65535 - w16, photometric='miniswhite', compression='zlib')

# unsupported kinds (no expected pixels)
unsupported = {}
for name, data, kw in [
    ('bilevel', rng.integers(0, 2, size=(16, 20)).astype(bool), {}),
    ('float32', rng.random((10, 12), dtype=np.float32), {}),
    ('int16', rng.integers(-100, 100, size=(10, 12), dtype=np.int16), {}),
    ('uint32', rng.integers(0, 1000, size=(10, 12), dtype=np.uint32), {}),
]:
    path = os.path.join(out, name + '.tif')
    tifffile.imwrite(path, data, **kw)
    unsupported[name] = path

print(json.dumps({'fixtures': fixtures, 'unsupported': unsupported}))
