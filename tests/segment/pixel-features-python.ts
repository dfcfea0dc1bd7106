// Reference pixel features from scipy.ndimage and skimage.feature (Debian's
// python3), keyed by our feature names, for the pixel-features tests.
//
// Conventions matched explicitly:
// - every filter: mode='reflect', truncate=4.0 (scipy's default);
// - gaussian, gradient magnitude, Laplacian: scipy.ndimage.gaussian_filter,
//   gaussian_gradient_magnitude, gaussian_laplace as they are;
// - Hessian: skimage 0.19's hessian_matrix takes np.gradient twice of the
//   Gaussian-smoothed image (finite differences; newer skimage calls this
//   use_gaussian_derivatives=False, and its True variant composes two first
//   derivatives at sigma / sqrt(2) with truncate 8). We use Gaussian-derivative
//   kernels, so the reference elements are gaussian_filter(order=(2, 0)),
//   (1, 1), (0, 2) (order='rc': Hrr, Hrc, Hcc), and their eigenvalues come from
//   skimage.feature.hessian_matrix_eigvals (decreasing order);
// - structure tensor: skimage.feature.structure_tensor(sigma, mode='reflect',
//   order='rc') with Sobel inner derivatives; ours divides the Sobel
//   derivatives by 8, so its eigenvalues are skimage's / 64;
// - neighbouring slices: the stack padded along z with np.pad(mode='symmetric')
//   (numpy's 'symmetric' is scipy's 'reflect').
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PixelFeatureSpec } from '../../src-main/segment/pixel-features';
import { runPython } from '../helpers/python';

const SCRIPT = `
import sys, json, warnings
import numpy as np
from scipy import ndimage as ndi
from skimage.feature import hessian_matrix_eigvals, structure_tensor, structure_tensor_eigenvalues
warnings.simplefilter('error')
a = json.loads(sys.argv[1])
M = dict(mode='reflect', truncate=4.0)
# names as JavaScript's String(number) writes the sigma: 0.7, 1.6, 5
fmt = lambda s: repr(s) if isinstance(s, float) else str(s)
vol = np.fromfile(a['raw'], dtype=np.float32).reshape(a['shape']).astype(np.float64)
spec = a['spec']
res = []
for z in a['zs']:
    out = {}
    for c in range(vol.shape[0]):
        img = vol[c, z]
        p = 'c%d:' % c
        out[p + 'intensity'] = img
        G = {}
        for s in spec['scalesPx']:
            G[s] = ndi.gaussian_filter(img, s, **M)
            out[p + 'gaussian:' + fmt(s)] = G[s]
            out[p + 'gradient-magnitude:' + fmt(s)] = ndi.gaussian_gradient_magnitude(img, s, **M)
            out[p + 'laplacian-of-gaussian:' + fmt(s)] = ndi.gaussian_laplace(img, s, **M)
            H = [ndi.gaussian_filter(img, s, order=o, **M) for o in [(2, 0), (1, 1), (0, 2)]]
            e = hessian_matrix_eigvals(H)
            out[p + 'hessian-eigenvalue-high:' + fmt(s)] = e[0]
            out[p + 'hessian-eigenvalue-low:' + fmt(s)] = e[1]
            A = structure_tensor(img, sigma=s, mode='reflect', order='rc')
            e = structure_tensor_eigenvalues(A) / 64.0
            out[p + 'structure-tensor-eigenvalue-high:' + fmt(s)] = e[0]
            out[p + 'structure-tensor-eigenvalue-low:' + fmt(s)] = e[1]
        sc = spec['scalesPx']
        for k in range(len(sc) - 1):
            out[p + 'difference-of-gaussians:%s-%s' % (fmt(sc[k]), fmt(sc[k + 1]))] = G[sc[k]] - G[sc[k + 1]]
        nb = spec['neighbours']
        if nb['offsets']:
            m = max(abs(o) for o in nb['offsets'])
            padded = np.pad(vol[c], ((m, m), (0, 0), (0, 0)), mode='symmetric')
            for s in nb['scalesPx']:
                g0 = ndi.gaussian_filter(vol[c, z], s, **M)
                for o in nb['offsets']:
                    g = ndi.gaussian_filter(padded[z + m + o], s, **M)
                    so = '+%d' % o if o > 0 else '%d' % o
                    if nb['mode'] == 'difference':
                        out[p + 'slice z%s minus z:%s' % (so, fmt(s))] = g - g0
                    else:
                        out[p + 'slice z%s:%s' % (so, fmt(s))] = g
    res.append({k: v.ravel().tolist() for k, v in out.items()})
print(json.dumps(res))
`;

/**
 * Reference features of slices zs, one record per z (name -> values of every
 * pixel). `channels` holds already normalised float32 grey, [c][z] -> ny * nx,
 * written raw for python.
 */
export function referenceFeatures(dir: string, tag: string, channels: Float32Array[][], ny: number, nx: number, zs: number[], spec: PixelFeatureSpec): Record<string, number[]>[] {
  const raw = join(dir, `${tag}.f32`);
  const parts = channels.flatMap((slices) => slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength)));
  writeFileSync(raw, Buffer.concat(parts));
  const shape = [channels.length, channels[0].length, ny, nx];
  return JSON.parse(runPython(SCRIPT, [JSON.stringify({ raw, shape, spec, zs })]));
}
