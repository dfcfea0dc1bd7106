# Independent reference for the descriptor tests: numpy, scipy and scikit-image (Debian's python3).
# Reads one JSON request on stdin, writes one JSON answer on stdout.
import json
import sys

import numpy as np


def volume(req):
    return np.array(req['volume'], dtype=np.uint8)


def spacing(req):
    s = req['voxelSizeNm']
    return (s['z'], s['y'], s['x'])


def marching_cubes_area(req):
    from skimage.measure import marching_cubes, mesh_surface_area
    v = volume(req).astype(np.float32)
    verts, faces, _, _ = marching_cubes(v, 0.5, spacing=spacing(req), method=req.get('method', 'lorensen'))
    return {'area': float(mesh_surface_area(verts, faces))}


def edt(req):
    from scipy.ndimage import distance_transform_edt
    v = volume(req)
    d = distance_transform_edt(v, sampling=spacing(req))
    return {'distance': d.ravel().tolist()}


def labels(req):
    from scipy.ndimage import label
    v = volume(req)
    out = {}
    for name, mask in (('solid', v == 1), ('pore', v == 0)):
        lab, n = label(mask)  # default structure: 6-connectivity in 3D
        sizes = np.bincount(lab.ravel())[1:]
        out[name] = {'count': int(n), 'sizes': sorted(sizes.tolist(), reverse=True)}
    return out


def geodesic(req):
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra
    v = volume(req)
    mask = v == req['label']
    nz, ny, nx = v.shape
    hz, hy, hx = spacing(req)
    idx = np.arange(v.size).reshape(v.shape)
    rows, cols, w = [], [], []
    conn = req['connectivity']
    for dz in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                k = abs(dz) + abs(dy) + abs(dx)
                if k == 0 or (conn == 6 and k > 1):
                    continue
                length = np.sqrt((dz * hz) ** 2 + (dy * hy) ** 2 + (dx * hx) ** 2)
                a = mask[max(0, -dz):nz - max(0, dz), max(0, -dy):ny - max(0, dy), max(0, -dx):nx - max(0, dx)]
                b = mask[max(0, dz):nz - max(0, -dz) or None, max(0, dy):ny - max(0, -dy) or None, max(0, dx):nx - max(0, -dx) or None]
                ia = idx[max(0, -dz):nz - max(0, dz), max(0, -dy):ny - max(0, dy), max(0, -dx):nx - max(0, dx)]
                ib = idx[max(0, dz):nz - max(0, -dz) or None, max(0, dy):ny - max(0, -dy) or None, max(0, dx):nx - max(0, -dx) or None]
                both = a & b
                rows.append(ia[both]); cols.append(ib[both]); w.append(np.full(both.sum(), length))
    g = coo_matrix((np.concatenate(w), (np.concatenate(rows), np.concatenate(cols))), shape=(v.size, v.size)).tocsr()
    axis = {'z': 0, 'y': 1, 'x': 2}[req['axis']]
    inlet = np.take(mask, 0, axis=axis)
    inlet_idx = np.take(idx, 0, axis=axis)[inlet]
    if inlet_idx.size == 0:
        d = np.full(v.size, np.inf)
    else:
        d = dijkstra(g, directed=True, indices=inlet_idx, min_only=True)
    d = d.reshape(v.shape)
    d[~mask] = np.inf
    return {'distance': [x if np.isfinite(x) else None for x in d.ravel().tolist()]}


def glcm(req):
    from skimage.feature import graycomatrix, graycoprops
    v = np.array(req['volume'], dtype=np.uint16)
    levels = req['levels']
    d = req['distance']
    sym = req['symmetric']
    out = {}
    # Direction x: pairs (z, y, x) - (z, y, x + d): angle 0 in every (y, x) plane.
    # Direction y: angle pi/2 in every (y, x) plane (skimage: row offset -d ... see below).
    # Direction z: angle 0 in every (z, x) plane taken as an image with rows z... use (x, z) planes: rows x, columns z.
    planes = {
        'x': [v[k] for k in range(v.shape[0])],                 # (y, x) images, offset along columns
        'y': [v[k].T for k in range(v.shape[0])],               # (x, y) images, offset along columns = y
        'z': [v[:, j, :].T for j in range(v.shape[1])],         # (x, z) images, offset along columns = z
    }
    for axis, imgs in planes.items():
        P = np.zeros((levels, levels), dtype=np.float64)
        for img in imgs:
            P += graycomatrix(np.ascontiguousarray(img), [d], [0], levels=levels, symmetric=sym, normed=False)[:, :, 0, 0]
        counts = P.copy()
        P4 = P[:, :, None, None]
        props = {name: float(graycoprops(P4, name)[0, 0]) for name in ('contrast', 'homogeneity', 'energy', 'ASM')}
        Pn = P / P.sum()
        nz = Pn[Pn > 0]
        props['entropy'] = float(-np.sum(nz * np.log(nz)))
        props['counts'] = counts.ravel().tolist()
        out[axis] = props
    return out


OPS = {'marching_cubes_area': marching_cubes_area, 'edt': edt, 'labels': labels, 'geodesic': geodesic, 'glcm': glcm}

if __name__ == '__main__':
    req = json.load(sys.stdin)
    json.dump(OPS[req['op']](req), sys.stdout)
