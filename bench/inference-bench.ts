// Inference benchmark (the shipped segmentation models): every model in models/ (or --models DIR) segments a
// generated grey stack of --size x --size px x --slices slices (default 2048 x 2048 x
// 10; pass --slices 100 for the peak-memory figure of docs/benchmarks.md) through the
// app's engine (src-main/inference: ONNX Runtime, tiles of the card's size with
// overlap and blending, slices streamed one at a time), in a child process so that its
// peak RSS is its own. Beside it, on the same machine and thread count: ONNX Runtime
// on whole slices (tile = the slice) and PyTorch (the checkpoint models/NAME.pt, whole
// slices, torch.no_grad; 3D models: the engine's blended z patches of whole slices) on the
// same normalised input, for a ratio. Prints voxels per
// second and peak RSS. Usage: node --import tsx bench/inference-bench.ts [--size 2048]
// [--slices 10] [--threads 2] [--models DIR] [--model NAME] [--engine-only] [--no-torch]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { listModelNames, modelsDir } from '../src-main/segment/model-files';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '2048' },
    slices: { type: 'string', default: '10' },
    threads: { type: 'string', default: '2' },
    models: { type: 'string' },
    'no-torch': { type: 'boolean' },
    child: { type: 'string' },
    tile: { type: 'string' },
    model: { type: 'string' },
    'engine-only': { type: 'boolean' },
  },
});
const SIZE = Number(values.size);
const NZ = Number(values.slices);
const THREADS = Number(values.threads);

/** The grey test stack, slice z: smooth blobs plus noise, uint8 (deterministic). */
function slice(z: number): Uint8Array {
  const out = new Uint8Array(SIZE * SIZE);
  let s = 1234 + z;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const v = 110 + 60 * Math.sin(x / 17 + z / 5) * Math.cos(y / 23 - z / 7) + (s >>> 27);
      out[y * SIZE + x] = v;
    }
  }
  return out;
}

if (values.child) {
  // Child: one engine run, prints JSON with seconds and peak RSS.
  const { loadModel } = await import('../src-main/inference/load-model');
  const { segmentStack } = await import('../src-main/inference/segment-stack');
  const model = await loadModel(values.child, { ep: 'cpu', intraOpThreads: THREADS });
  const t0 = performance.now();
  let solid = 0;
  // A multi-stack model (late fusion) gets the same slice for each of its stacks: a throughput figure only.
  const stacks = model.card.input.channels?.length ?? 1;
  await segmentStack(model, [NZ, SIZE, SIZE], (z) => (stacks > 1 ? Array.from({ length: stacks }, () => slice(z)) : slice(z)), (_z, labels) => {
    for (let i = 0; i < labels.length; i += 97) solid += labels[i];
  }, { tile: values.tile ? Number(values.tile) : undefined, probabilities: false });
  const seconds = (performance.now() - t0) / 1000;
  await model.session.release();
  console.log(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, tile: values.tile ? Number(values.tile) : model.card.input.tile, solid }));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const dir = values.models ?? modelsDir();
const names = listModelNames(dir).filter((n) => !values.model || n === values.model);
if (names.length === 0) {
  console.log(`No models in ${dir}: nothing to measure.`);
  process.exit(0);
}
const voxels = NZ * SIZE * SIZE;
console.log(`${NZ} slices of ${SIZE} x ${SIZE} px uint8 (${(voxels / 1e6).toFixed(0)} Mvoxel), CPU, ${THREADS} thread(s), one run each.`);
console.log('model              | runner                          | seconds | Mvoxel/s | peak RSS MB');
const tmp = mkdtempSync(join(tmpdir(), 'fibrecon-infer-bench-'));
try {
  for (const name of names) {
    const path = join(dir, `${name}.onnx`);
    for (const tile of values['engine-only'] ? [undefined] : [undefined, String(SIZE)]) {
      const args = ['--import', 'tsx', self, '--child', path, '--size', String(SIZE), '--slices', String(NZ), '--threads', String(THREADS), ...(tile ? ['--tile', tile] : [])];
      const r = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop() as string);
      const label = tile ? 'ONNX Runtime, whole slices' : `ONNX Runtime, engine (tile ${r.tile})`;
      console.log(`${name.padEnd(18)} | ${label.padEnd(31)} | ${r.seconds.toFixed(1).padStart(7)} | ${(voxels / r.seconds / 1e6).toFixed(2).padStart(8)} | ${r.maxRssMB.toFixed(0).padStart(11)}`);
    }
    // PyTorch needs a U-Net checkpoint with its training record (not the fusion's weights-only file).
    const ck = join(dir, `${name}.pt`);
    if (!existsSync(join(dir, `${name}.training.json`))) continue;
    if (values['no-torch'] || values['engine-only'] || !existsSync(ck)) continue;
    // PyTorch on the same slices (written once as raw uint8), same normalisation as the card (per-slice 1/99 percentiles).
    const raw = join(tmp, 'stack.raw');
    if (!existsSync(raw)) writeFileSync(raw, Buffer.concat(Array.from({ length: NZ }, (_, z) => Buffer.from(slice(z)))));
    const py = `
import sys, time, json, resource, numpy as np, torch
sys.path.insert(0, 'training')
from evaluate_segmentation import load_checkpoint
import fibdata
torch.set_num_threads(int(sys.argv[4]))
net, ck = load_checkpoint(sys.argv[1])
n, size = int(sys.argv[3]), int(sys.argv[5])
v = np.fromfile(sys.argv[2], np.uint8).reshape(n, size, size)
t0 = time.perf_counter()
if ck['config'].get('dims', 2) == 3:
    # 3D: the engine's z patches (card slices / overlapSlices, blended), whole slices in x / y
    from evaluate_segmentation import predict_stack3d
    p = predict_stack3d(net, fibdata.normalise(v), ck['slices'], ck['overlapSlices'], 'cpu')
else:
    window = ck['config']['in_channels']
    x = fibdata.pad_window(fibdata.normalise(v), window)
    with torch.no_grad():
        for z in range(n):
            p = torch.sigmoid(net(torch.from_numpy(np.ascontiguousarray(x[None, z:z + window]))))
t = time.perf_counter() - t0
print(json.dumps({'seconds': t, 'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))`;
    const r = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, ck, raw, String(NZ), String(THREADS), String(SIZE)], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop() as string);
    console.log(`${name.padEnd(18)} | ${'PyTorch 1.13, whole slices'.padEnd(31)} | ${r.seconds.toFixed(1).padStart(7)} | ${(voxels / r.seconds / 1e6).toFixed(2).padStart(8)} | ${r.maxRssMB.toFixed(0).padStart(11)}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
