# Independent OME-Zarr 0.5 / Zarr v3 reader for the tests, written from the
# specs (OME-NGFF 0.5, Zarr v3 core 3.0): group zarr.json -> attributes.ome
# multiscales; each level's zarr.json -> shape, data_type, regular chunk grid,
# default chunk keys c/<z>/<y>/<x>, codecs bytes (endian) [+ gzip].
# Usage: read_ome_zarr.py PATH LEVEL OUT_RAW. Writes the level's voxels as
# little-endian (z, y, x) bytes and prints JSON {shape, dtype, spacing_nm: [x, y, z], extra}.
import gzip, json, os, sys
import numpy as np

root, level, out = sys.argv[1], sys.argv[2], sys.argv[3]
group = json.load(open(os.path.join(root, 'zarr.json')))
assert group['zarr_format'] == 3 and group['node_type'] == 'group'
ome = group['attributes']['ome']
assert ome['version'] == '0.5'
ms = ome['multiscales'][0]
assert [a['name'] for a in ms['axes']] == ['z', 'y', 'x']
assert all(a['type'] == 'space' and a['unit'] == 'nanometer' for a in ms['axes'])
ds = [d for d in ms['datasets'] if d['path'] == level][0]
tr = ds['coordinateTransformations']
assert tr[0]['type'] == 'scale' and len(tr) in (1, 2)
scale = tr[0]['scale']
translation = tr[1]['translation'] if len(tr) == 2 else [0, 0, 0]

arr = json.load(open(os.path.join(root, level, 'zarr.json')))
assert arr['zarr_format'] == 3 and arr['node_type'] == 'array'
shape = arr['shape']
assert arr['chunk_grid']['name'] == 'regular'
chunk = arr['chunk_grid']['configuration']['chunk_shape']
assert arr['chunk_key_encoding'] == {'name': 'default', 'configuration': {'separator': '/'}}
codecs = arr['codecs']
assert codecs[0]['name'] == 'bytes'
order = '<' if codecs[0].get('configuration', {}).get('endian', 'little') == 'little' else '>'
dt = np.dtype({'uint8': 'u1', 'uint16': 'u2', 'float32': 'f4'}[arr['data_type']]).newbyteorder(order)
data = np.full(shape, arr['fill_value'], dtype=dt.newbyteorder('<'))
n = [-(-s // c) for s, c in zip(shape, chunk)]
for iz in range(n[0]):
    for iy in range(n[1]):
        for ix in range(n[2]):
            p = os.path.join(root, level, 'c', str(iz), str(iy), str(ix))
            if not os.path.exists(p):
                continue
            b = open(p, 'rb').read()
            for c in codecs[1:]:
                assert c['name'] == 'gzip', c
                b = gzip.decompress(b)
            block = np.frombuffer(b, dtype=dt).reshape(chunk)
            z0, y0, x0 = iz * chunk[0], iy * chunk[1], ix * chunk[2]
            sub = data[z0:z0 + chunk[0], y0:y0 + chunk[1], x0:x0 + chunk[2]]
            sub[...] = block[:sub.shape[0], :sub.shape[1], :sub.shape[2]]
data.astype(dt.newbyteorder('<')).tofile(out)
print(json.dumps({'shape': shape, 'dtype': str(np.dtype(dt).newbyteorder('=').name), 'spacing_nm': [scale[2], scale[1], scale[0]],
                  'extra': {'translation': translation, 'chunk': chunk, 'codecs': [c['name'] for c in codecs],
                            'levels': [d['path'] for d in ms['datasets']]}}))
