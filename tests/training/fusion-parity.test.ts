// The shipped late-fusion model (models/fusion-w7-124kv, training/train_fusion.py): the
// ONNX graph ONNX Runtime runs gives the stored PyTorch output on the fixed 21-channel
// input; the checkpoint (fuse weights + sha256-named branch checkpoints) reproduces the
// stored output in PyTorch; the card is valid for the engine and names its 3 input stacks.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelCard } from '../../src-main/inference/model-card';
import { type Float32Tensor, ortVsStored, readParityNpz } from '../helpers/parity-npz';
import { runPython } from '../helpers/python';

const ROOT = resolve(__dirname, '../..');
const MODELS = process.env.FIBRECON_MODELS_DIR ?? join(ROOT, 'models');
const NAME = 'fusion-w7-124kv';

function readParity(): Record<'input' | 'output', Float32Tensor> {
  return readParityNpz(join(MODELS, `${NAME}.parity.npz`));
}

describe(`shipped late-fusion model ${NAME}`, () => {
  it('card valid for the engine: 7-slice windows of the 1, 2, 4 kV stacks, probability of solid; files present; held-out seeds unused', () => {
    const card = parseModelCard(JSON.parse(readFileSync(join(MODELS, `${NAME}.json`), 'utf8')));
    expect(card.kind).toBe('segmentation-2.5d');
    expect(card.input.slices).toBe(7);
    expect(card.input.channels?.map((c) => c.beamKeV)).toEqual([1, 2, 4]);
    expect(card.output).toEqual({ channels: 1, activation: 'none', classes: ['solid'], threshold: 0.5 });
    expect(card.input.normalisation).toEqual({ type: 'minmax-percentile', low: 1, high: 99, clip: true });
    for (const ext of ['.onnx', '.pt', '.parity.npz', '.md', '.record.json']) expect(existsSync(join(MODELS, NAME + ext)), NAME + ext).toBe(true);
    expect(statSync(join(MODELS, `${NAME}.pt`)).size).toBeLessThan(5 * 1024 * 1024);
    const record = JSON.parse(readFileSync(join(MODELS, `${NAME}.record.json`), 'utf8'));
    expect(record.inputChannels).toBe(21);
    expect(Object.keys(record.votingWeights)).toEqual(['1 kV', '2 kV', '4 kV']);
    const sumAbs = Object.values(record.votingWeights as Record<string, number>).reduce((a, v) => a + Math.abs(v), 0);
    expect(sumAbs).toBeCloseTo(1, 3);
    const used = new Set([...record.trainedOn.trainSeeds, ...record.trainedOn.validationSeeds]);
    for (const s of record.evaluation.heldOutSeeds) expect(used.has(s), `held-out seed ${s} used in training`).toBe(false);
    for (const b of record.branches) expect(existsSync(join(MODELS, b.checkpoint)), b.checkpoint).toBe(true);
  });

  it('PyTorch: the checkpoint (branches sha256-checked) reproduces the stored output; the ONNX fuse weights are the checkpoint\'s', () => {
    const out = runPython(
      `import sys, json, numpy as np, onnx, torch
from onnx import numpy_helper
sys.path.insert(0, sys.argv[1])
import export_onnx
from fusion import load_fusion
torch.set_num_threads(1)
m, ck = load_fusion(sys.argv[2] + '.pt')
d = np.load(sys.argv[2] + '.parity.npz')
y = export_onnx.torch_probability(m, d['input'])
g = onnx.load(sys.argv[2] + '.onnx')
w = ck['fuse']['weight'].numpy().ravel()
found = any(t.dims == [1, 3, 1, 1] and np.array_equal(numpy_helper.to_array(t).ravel(), w) for t in g.graph.initializer)
print(json.dumps({'diff': float(np.abs(y - d['output']).max()), 'fuseInOnnx': bool(found), 'shape': list(d['input'].shape)}))`,
      [join(ROOT, 'training'), join(MODELS, NAME)],
    );
    const r = JSON.parse(out);
    expect(r.shape).toEqual([2, 21, 64, 96]);
    expect(r.diff).toBeLessThanOrEqual(1e-5);
    expect(r.fuseInOnnx).toBe(true);
  }, 120_000);

  it('ONNX Runtime output == stored PyTorch output (1e-4) on the fixed [2, 21, 64, 96] input', async () => {
    const parity = readParity();
    const r = await ortVsStored(join(MODELS, `${NAME}.onnx`), parity);
    expect(r.dims).toEqual(parity.output.dims);
    expect(r.maxDiff).toBeLessThan(1e-4);
    expect(r.storedRange).toBeGreaterThan(0.01);
  }, 60_000);
});
