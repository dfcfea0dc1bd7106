// The reference side of bench/pixel-classifier-bench.ts: the same 40 features with
// scipy.ndimage / skimage.feature and the same forest settings with scikit-learn
// (Debian's python3), timed as ours on the same stack and strokes, in a process of
// its own (peak RSS = its ru_maxrss). The feature definitions are those of the
// reference in tests/segment/pixel-features-python.ts (mode 'reflect', truncate 4,
// Hessian from Gaussian-derivative filters, skimage's Sobel structure tensor / 64,
// neighbouring slices mirrored at the stack ends), in float64 and stacked as
// float32 (what scikit-learn's trees read); smoothed neighbouring slices are kept
// while they are needed, as our workspace keeps them. Training computes whole
// slices and picks the painted pixels, as one would with scipy.
import { execFileSync } from 'node:child_process';
import type { PixelFeatureSpec } from '../src-main/segment/pixel-features';

export const PYTHON = process.env.FIBRECON_PYTHON ?? '/usr/bin/python3';

const SCRIPT = `
import json, resource, sys, time
a = json.loads(sys.argv[1])
def peak_mb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6
import numpy as np
from scipy import ndimage as ndi
from skimage.feature import hessian_matrix_eigvals, structure_tensor, structure_tensor_eigenvalues
from sklearn.ensemble import RandomForestClassifier
nz, ny, nx = a['shape']
vol = np.fromfile(a['dir'] + '/grey.u8', dtype=np.uint8).reshape(nz, ny, nx)
truth = np.fromfile(a['dir'] + '/truth.u8', dtype=np.uint8).reshape(nz, ny, nx)
st = json.load(open(a['dir'] + '/' + a['strokes']))
pz, pp, pv = np.array(st['z']), np.array(st['pixel']), np.array(st['value'])
spec, M = a['spec'], dict(mode='reflect', truncate=4.0)
sc, nb = spec['scalesPx'], spec['neighbours']
maxoff = max(abs(o) for o in nb['offsets'])
loaded_mb = peak_mb()

def clock(): return time.perf_counter(), time.process_time()
def since(c): return {'wall': time.perf_counter() - c[0], 'cpu': time.process_time() - c[1]}

lo = hi = None
cache = {}
def normed(k): return (vol[k].astype(np.float64) - lo) / (hi - lo)
def neighbour(k, s):
    if (k, s) not in cache: cache[(k, s)] = ndi.gaussian_filter(normed(k), s, **M)
    return cache[(k, s)]
def reflect(k): return -k - 1 if k < 0 else (2 * nz - 1 - k if k >= nz else k)
def slice_features(z):
    for key in [key for key in cache if key[0] < z - maxoff]: del cache[key]
    img = normed(z)
    f, G, grad, log, hes, stt = [img], {}, [], [], [], []
    for s in sc:
        G[s] = ndi.gaussian_filter(img, s, **M)
        grad.append(ndi.gaussian_gradient_magnitude(img, s, **M))
        log.append(ndi.gaussian_laplace(img, s, **M))
        hes.extend(hessian_matrix_eigvals([ndi.gaussian_filter(img, s, order=o, **M) for o in [(2, 0), (1, 1), (0, 2)]]))
        stt.extend(structure_tensor_eigenvalues(structure_tensor(img, sigma=s, mode='reflect', order='rc')) / 64.0)
    f += [G[s] for s in sc] + grad + log + [G[sc[k]] - G[sc[k + 1]] for k in range(len(sc) - 1)] + hes + stt
    for s in nb['scalesPx']:
        g0 = neighbour(z, s)
        f += [neighbour(reflect(z + o), s) - g0 for o in nb['offsets']]
    out = np.empty((ny * nx, len(f)), np.float32)
    for i, x in enumerate(f): out[:, i] = x.ravel()
    return out

forest = dict(n_estimators=a['nTrees'], max_depth=a['maxDepth'], max_features='sqrt', class_weight='balanced', bootstrap=True, random_state=1)
t_train = clock()
c = clock()
lo, hi = np.percentile(vol[::max(1, nz // 32)], [0.5, 99.5])
norm = since(c)
c = clock()
X = np.empty((len(pv), 0), np.float32)
for z in sorted(set(pz.tolist())):
    sel = np.flatnonzero(pz == z)
    F = slice_features(z)
    if X.shape[1] == 0: X = np.empty((len(pv), F.shape[1]), np.float32)
    X[sel] = F[pp[sel]]
y = (pv == 2).astype(np.int64)
train_features = since(c)
common = since(t_train)
fits, clfs = {}, {}
for j in (1, 2):
    c = clock()
    clfs[j] = RandomForestClassifier(n_jobs=j, **forest).fit(X, y)
    fits[j] = since(c)
train_peak = peak_mb()
cache.clear()
held = set(a['heldOut'])
feat, proba = {'wall': 0, 'cpu': 0}, {1: {'wall': 0, 'cpu': 0}, 2: {'wall': 0, 'cpu': 0}}
wrong = n_held = 0
for z in range(nz):
    c = clock()
    F = slice_features(z)
    d = since(c); feat['wall'] += d['wall']; feat['cpu'] += d['cpu']
    for j in (1, 2):
        c = clock()
        p = clfs[j].predict_proba(F)
        d = since(c); proba[j]['wall'] += d['wall']; proba[j]['cpu'] += d['cpu']
        if j == 1 and z in held:
            wrong += int(((p[:, 1] > 0.5).astype(np.uint8) != truth[z].ravel()).sum()); n_held += ny * nx
import sklearn, skimage, scipy
print(json.dumps({'nFeatures': int(X.shape[1]), 'loadedMB': loaded_mb, 'norm': norm, 'trainFeatures': train_features, 'trainCommon': common, 'fit': fits,
  'trainPeakMB': train_peak, 'predictFeatures': feat, 'predictForest': proba, 'peakMB': peak_mb(), 'mp': 100 * wrong / n_held,
  'versions': 'scikit-learn %s, scikit-image %s, scipy %s, numpy %s' % (sklearn.__version__, skimage.__version__, scipy.__version__, np.__version__)}))
`;

export interface Seconds {
  wall: number;
  cpu: number;
}

export interface SklearnRun {
  nFeatures: number;
  loadedMB: number;
  norm: Seconds;
  trainFeatures: Seconds;
  /** Normalisation + features at the painted pixels (shared by both forests). */
  trainCommon: Seconds;
  fit: Record<'1' | '2', Seconds>;
  trainPeakMB: number;
  predictFeatures: Seconds;
  predictForest: Record<'1' | '2', Seconds>;
  peakMB: number;
  /** % misplaced on the held-out slices (n_jobs=1 forest; the n_jobs=2 one is the same forest). */
  mp: number;
  versions: string;
}

/** Runs the reference on the stack in dir; single-threaded BLAS so that n_jobs is the only parallelism. */
export function runSklearn(
  dir: string,
  shape: readonly number[],
  strokes: string,
  heldOut: number[],
  spec: PixelFeatureSpec,
  forest: { nTrees: number; maxDepth: number },
): SklearnRun {
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const arg = JSON.stringify({ dir, shape, strokes, heldOut, spec, ...forest });
  const out = execFileSync(PYTHON, ['-c', SCRIPT, arg], { encoding: 'utf8', env, maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').pop() as string);
}
