# Independent readers for fibrecon's exports (tests only): each parses the
# header text itself (or uses mrcfile / tifffile) and numpy.fromfile at the
# data offset. Usage: read_export.py FORMAT PATH OUT_RAW
# Writes the voxels as little-endian (z, y, x) bytes to OUT_RAW and prints
# JSON {shape: [nz, ny, nx], dtype, spacing_nm: [x, y, z], z_nm?, extra}.
import json, os, re, sys
import numpy as np

fmt, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
here = os.path.dirname(path)
info = {}

def kv(text, sep):
    d = {}
    for line in text.splitlines():
        if sep in line:
            k, v = line.split(sep, 1)
            d[k.strip()] = v.strip()
    return d

def hx_byte_rle_decode(src, n):
    out = bytearray()
    i = 0
    while len(out) < n:
        c = src[i]; i += 1
        if c & 0x80:
            k = c & 0x7F
            out += src[i:i + k]; i += k
        else:
            out += bytes([src[i]]) * c; i += 1
    assert len(out) == n, (len(out), n)
    return np.frombuffer(bytes(out), np.uint8), i

if fmt == 'amira-mesh':
    raw = open(path, 'rb').read()
    marker = b'# Data section follows\n@1\n'
    at = raw.index(marker)
    head = raw[:at].decode('ascii')
    assert head.startswith('# AmiraMesh BINARY-LITTLE-ENDIAN 2.1\n')
    nx, ny, nz = map(int, re.search(r'define Lattice (\d+) (\d+) (\d+)', head).groups())
    bb = list(map(float, re.search(r'BoundingBox ([^,\n]+),', head).group(1).split()))
    m = re.search(r'Lattice \{ (byte|ushort|float) (Data|Labels) \} @1(\(HxByteRLE,(\d+)\))?', head)
    dt = {'byte': np.uint8, 'ushort': np.uint16, 'float': np.float32}[m.group(1)]
    start = at + len(marker)
    count = nx * ny * nz
    if m.group(3):
        n = int(m.group(4))
        data, used = hx_byte_rle_decode(raw[start:start + n], count)
        assert used == n
        assert raw[start + n:] == b'\n'
    else:
        data = np.frombuffer(raw, dtype=np.dtype(dt).newbyteorder('<'), count=count, offset=start)
        assert raw[start + data.nbytes:] == b'\n'
    spacing = [(bb[1] - bb[0]) / (nx - 1), (bb[3] - bb[2]) / (ny - 1), (bb[5] - bb[4]) / (nz - 1)]
    info['extra'] = {'bbox': bb, 'labels': m.group(2) == 'Labels', 'materials': re.findall(r'^        (\w+) \{', head, re.M)}
elif fmt == 'dragonfly-raw':
    d = kv(open(path).read(), ':')
    assert d['MeasurementUnit'] == 'METER'
    nx, ny, nz = map(int, d['Resolution'].split())
    dt = {'UCHAR': np.uint8, 'USHORT': np.uint16, 'FLOAT': np.float32}[d['Format']]
    spacing = [float(v) * 1e9 for v in d['SliceThickness'].split()]
    data = np.fromfile(os.path.join(here, d['ObjectFileName']), dtype=np.dtype(dt).newbyteorder('<'))
elif fmt == 'metaimage':
    text = open(path).read()
    lines = [l for l in text.splitlines() if l]
    assert lines[-1].startswith('ElementDataFile')
    d = kv(text, '=')
    assert d['NDims'] == '3' and d['ElementByteOrderMSB'] == 'False'
    nx, ny, nz = map(int, d['DimSize'].split())
    dt = {'MET_UCHAR': np.uint8, 'MET_USHORT': np.uint16, 'MET_FLOAT': np.float32}[d['ElementType']]
    spacing = list(map(float, d['ElementSpacing'].split()))
    assert spacing == list(map(float, d['ElementSize'].split()))
    data = np.fromfile(os.path.join(here, d['ElementDataFile']), dtype=np.dtype(dt).newbyteorder('<'))
elif fmt == 'nrrd':
    raw = open(path, 'rb').read()
    at = raw.index(b'\n\n') + 2
    head = raw[:at].decode('ascii')
    assert head.startswith('NRRD0004\n')
    d = {}
    for line in head.splitlines()[1:]:
        if line and not line.startswith('#'):
            k, v = line.split(': ', 1)
            d[k] = v
    assert d['dimension'] == '3' and d['endian'] == 'little' and d['encoding'] == 'raw'
    nx, ny, nz = map(int, d['sizes'].split())
    dt = {'uint8': np.uint8, 'uint16': np.uint16, 'float': np.float32}[d['type']]
    vecs = [list(map(float, v.strip('()').split(','))) for v in d['space directions'].split()]
    assert vecs[0][1:] == [0, 0] and vecs[1][0] == vecs[1][2] == 0 and vecs[2][:2] == [0, 0]
    spacing = [vecs[0][0], vecs[1][1], vecs[2][2]]
    data = np.frombuffer(raw, dtype=np.dtype(dt).newbyteorder('<'), offset=at)
    assert data.size == nx * ny * nz
elif fmt == 'mrc':
    import mrcfile
    assert mrcfile.validate(path, print_file=open(os.devnull, 'w'))
    with mrcfile.open(path, permissive=False) as m:
        data = np.array(m.data)
        nz, ny, nx = data.shape
        vs = m.voxel_size
        spacing = [float(vs.x) / 10, float(vs.y) / 10, float(vs.z) / 10]
        info['extra'] = {'mode': int(m.header.mode), 'dmin': float(m.header.dmin), 'dmax': float(m.header.dmax), 'dmean': float(m.header.dmean)}
elif fmt == 'imagej-tiff':
    import tifffile
    with tifffile.TiffFile(path) as t:
        data = t.asarray()
        ij = t.imagej_metadata
        page = t.pages[0]
        xr = page.tags['XResolution'].value
        yr = page.tags['YResolution'].value
        spacing = [xr[1] / xr[0], yr[1] / yr[0], float(ij['spacing'])]
    if data.ndim == 2:
        data = data[None]
    nz, ny, nx = data.shape
elif fmt == 'avizo-stacked-slices':
    import tifffile
    lines = [l for l in open(path).read().splitlines() if l and not l.startswith('#')]
    assert lines[-1] == 'end'
    px = list(map(float, lines[0].split()[1:]))
    assert lines[0].startswith('pixelsize ')
    files = [l.split() for l in lines[1:-1]]
    data = np.stack([tifffile.imread(os.path.join(here, f)) for f, _ in files])
    zs = [float(z) for _, z in files]
    info['z_nm'] = zs
    nz, ny, nx = data.shape
    spacing = [px[0], px[1], (zs[1] - zs[0]) if nz > 1 else 0]
elif fmt == 'ome-zarr':
    # The OME-Zarr reader of its own (read_ome_zarr.py, written from the specs), level 0.
    import subprocess
    # Run as python -c from the repository root (tests/helpers/python.ts), so no __file__.
    reader = os.path.join(os.getcwd(), 'tests', 'export', 'read_ome_zarr.py')
    meta = json.loads(subprocess.check_output([sys.executable, reader, path, '0', out + '.zarr-raw']))
    nz, ny, nx = meta['shape']
    data = np.fromfile(out + '.zarr-raw', dtype=np.dtype(meta['dtype']).newbyteorder('<'))
    os.remove(out + '.zarr-raw')
    spacing = meta['spacing_nm']
else:
    raise SystemExit('unknown format ' + fmt)

data = np.asarray(data).reshape(nz, ny, nx)
info.update({'shape': [nz, ny, nx], 'dtype': str(data.dtype), 'spacing_nm': spacing})
data.astype(data.dtype.newbyteorder('<')).tofile(out)
print(json.dumps(info))
