"""Writing a made stack: ImageJ TIFFs with the voxel size, raw dumps, manifest."""
import json
import os

import numpy as np


def write_imagej_tiff(path, volume, voxel_size_nm):
    """(z, y, x) stack as an ImageJ hyperstack: XResolution/YResolution in pixels
    per nm and 'unit=nm', 'spacing=<slice nm>' in the description."""
    import tifffile
    px, py = voxel_size_nm['x'], voxel_size_nm['y']
    tifffile.imwrite(
        path, volume, imagej=True, resolution=(1.0 / px, 1.0 / py),
        metadata={'axes': 'ZYX', 'unit': 'nm', 'spacing': float(voxel_size_nm['z'])},
    )


def write_outputs(outdir, grey, truth, info, raw=False):
    """grey.tif, truth.tif, manifest.json (and grey.raw, truth.raw: C-order,
    little-endian, z slowest, when raw=True). Returns the manifest dict."""
    os.makedirs(outdir, exist_ok=True)
    files = {'grey': 'grey.tif', 'truth': 'truth.tif'}
    write_imagej_tiff(os.path.join(outdir, files['grey']), grey, info['voxel_size_nm'])
    write_imagej_tiff(os.path.join(outdir, files['truth']), truth.astype(np.uint8), info['voxel_size_nm'])
    if raw:
        files['grey_raw'] = 'grey.raw'
        files['truth_raw'] = 'truth.raw'
        np.ascontiguousarray(grey, dtype=grey.dtype.newbyteorder('<')).tofile(os.path.join(outdir, files['grey_raw']))
        np.ascontiguousarray(truth, dtype=np.uint8).tofile(os.path.join(outdir, files['truth_raw']))
    manifest = dict(info, files=files)
    with open(os.path.join(outdir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2, sort_keys=True, default=_plain)
        f.write('\n')
    return manifest


def _plain(x):
    if isinstance(x, np.generic):
        return x.item()
    raise TypeError(f'cannot write {type(x)} to JSON')
