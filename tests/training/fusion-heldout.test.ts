// End to end on a small held-out synthetic sample (seed 100, never trained on) imaged at
// 1, 2 and 4 kV: the app's engine with the shipped late-fusion model and its card (three
// 7-slice windows, per-slice percentile normalisation per stack, tiles) must give what
// the PyTorch fusion (training/fusion.py) gives, and fewer misplaced voxels than each
// single-kV branch alone.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, segmentStacks } from '../../src-main/inference';
import { runPython, tempDir } from '../helpers/python';

const ROOT = resolve(__dirname, '../..');
const MODELS = process.env.FIBRECON_MODELS_DIR ?? join(ROOT, 'models');
const NAME = 'fusion-w7-124kv';
const [NZ, NY, NX] = [12, 128, 160];

const PY = `
import sys, json, base64, numpy as np
sys.path.insert(0, sys.argv[1])
import torch
torch.set_num_threads(1)
import fibdata, tifffile
from fusion import load_fusion
d, pt = sys.argv[2], sys.argv[3]
roi = json.load(open(d + '/manifest.json'))['roi']
crop = lambda g: g[:, roi['y']:roi['y'] + roi['height'], roi['x']:roi['x'] + roi['width']]
greys = [crop(tifffile.imread(d + '/%dkV_TLD.tif' % kv)) for kv in (1, 2, 4)]
truth = tifffile.imread(d + '/truth.tif').astype(np.uint8)
m, ck = load_fusion(pt)
x = np.concatenate([fibdata.windows(fibdata.normalise(g), ck['window']) for g in greys], axis=1)
with torch.no_grad():
    lg = np.concatenate([m.branch_logits(torch.from_numpy(x[i:i + 4])).numpy() for i in range(0, len(x), 4)])
    p = torch.sigmoid(m.fuse(torch.from_numpy(lg)))[:, 0].numpy()
out = {'grey': [base64.b64encode(np.ascontiguousarray(g, np.uint8).tobytes()).decode() for g in greys],
       'truth': base64.b64encode(truth.tobytes()).decode(), 'shape': list(greys[0].shape),
       'branchMP': [fibdata.metrics(lg[:, k] >= 0, truth)['MP'] for k in range(3)],
       'torchMP': fibdata.metrics(p >= 0.5, truth)['MP'],
       'prob': base64.b64encode(p.astype('<f4').tobytes()).decode()}
print(json.dumps(out))
`;

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

describe.skipIf(!existsSync(join(MODELS, `${NAME}.onnx`)))(`${NAME} in the app engine on a held-out 1/2/4 kV sample`, () => {
  it('engine == PyTorch fusion; fewer misplaced voxels than each single-kV branch', async () => {
    const { dir, cleanup } = tempDir('fibrecon-fusion-heldout-');
    try {
      execFileSync(
        process.execPath,
        [join(ROOT, 'bin/fibrecon.mjs'), 'synth', dir, '--columns', String(NX), '--rows', String(NY), '--slices', String(NZ), '--seed', '100', '--kv', '1,2,4', '--json'],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const ref = JSON.parse(runPython(PY, [join(ROOT, 'training'), dir, join(MODELS, `${NAME}.pt`)])) as {
        grey: string[];
        truth: string;
        shape: number[];
        branchMP: number[];
        torchMP: number;
        prob: string;
      };
      expect(ref.shape).toEqual([NZ, NY, NX]);
      const greys = ref.grey.map(b64);
      const truth = b64(ref.truth);
      const pb = b64(ref.prob);
      const torchProb = new Float32Array(pb.buffer.slice(pb.byteOffset, pb.byteOffset + pb.byteLength));
      const plane = NY * NX;
      const labels = new Uint8Array(NZ * plane);
      const prob = new Float32Array(NZ * plane);
      const model = await loadModel(join(MODELS, `${NAME}.onnx`), { ep: 'cpu', intraOpThreads: 1 });
      try {
        const stats = await segmentStacks(
          model,
          [NZ, NY, NX],
          greys.map((g) => (z: number) => new Uint8Array(g.buffer, g.byteOffset + z * plane, plane)),
          (z, l, p) => {
            labels.set(l, z * plane);
            prob.set(p!, z * plane);
          },
        );
        expect(stats.getSliceCalls).toBe(NZ);
      } finally {
        await model.session.release();
      }
      let wrong = 0;
      let differ = 0;
      let absDiff = 0;
      for (let i = 0; i < labels.length; i++) {
        if (labels[i] !== truth[i]) wrong++;
        if (labels[i] !== (torchProb[i] >= 0.5 ? 1 : 0)) differ++;
        absDiff += Math.abs(prob[i] - torchProb[i]);
      }
      const mp = (100 * wrong) / labels.length;
      // tiles (128 px, 32 px overlap, blended) vs whole slices in PyTorch: differences at tile seams only
      expect(differ / labels.length, 'engine labels vs PyTorch labels').toBeLessThan(0.002);
      expect(absDiff / labels.length, 'mean |p_engine - p_torch|').toBeLessThan(0.002);
      expect(Math.abs(mp - ref.torchMP), `engine MP ${mp} vs PyTorch ${ref.torchMP}`).toBeLessThan(0.1);
      for (const [k, b] of ref.branchMP.entries()) expect(mp, `fusion MP ${mp} vs branch ${[1, 2, 4][k]} kV ${b}`).toBeLessThan(b);
    } finally {
      cleanup();
    }
  }, 180_000);
});
