// The shipped inpainting model (models/inpaint-small, training/train_inpainting.py):
// card valid for the engine; ONNX Runtime gives the stored PyTorch output on the fixed
// input (two windows of held-out zx planes); the checkpoint reproduces that output; the
// held-out seeds were never trained on.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelCard } from '../../src-main/inference/model-card';
import { ortVsStored, readParityNpz } from '../helpers/parity-npz';
import { runPython } from '../helpers/python';

const ROOT = resolve(__dirname, '../..');
const MODELS = process.env.FIBRECON_MODELS_DIR ?? join(ROOT, 'models');
const NAME = 'inpaint-small';

describe(`shipped inpainting model ${NAME}`, () => {
  it('card valid for the engine (kind inpainting, 3-channel scales, logit output); files present; held-out seeds unused', () => {
    const card = parseModelCard(JSON.parse(readFileSync(join(MODELS, `${NAME}.json`), 'utf8')));
    expect(card.kind).toBe('inpainting');
    expect(card.input.inpainting).toEqual({ distanceScaleNm: 10, gapScaleRows: 4 });
    expect(card.output).toEqual({ channels: 1, activation: 'sigmoid', classes: ['solid'], threshold: 0.5 });
    for (const ext of ['.onnx', '.pt', '.parity.npz', '.md', '.training.json']) expect(existsSync(join(MODELS, NAME + ext)), NAME + ext).toBe(true);
    expect(statSync(join(MODELS, `${NAME}.onnx`)).size).toBeLessThan(5 * 1024 * 1024);
    const record = JSON.parse(readFileSync(join(MODELS, `${NAME}.training.json`), 'utf8'));
    const used = new Set([...record.trainedOn.trainSeeds, ...record.trainedOn.validationSeeds]);
    for (const s of [...record.evaluation.heldOutSeeds, ...Array.from({ length: 20 }, (_, i) => 1000 + i)]) expect(used.has(s), `held-out seed ${s} used in training`).toBe(false);
    expect(record.input.distanceScaleNm).toBe(card.input.inpainting!.distanceScaleNm);
    expect(record.input.gapScaleRows).toBe(card.input.inpainting!.gapScaleRows);
  });

  it('PyTorch: the checkpoint reproduces the stored output', () => {
    const out = runPython(
      `import sys, json, numpy as np, torch
sys.path.insert(0, sys.argv[1])
from predict_inpainting import load
torch.set_num_threads(1)
net, ck = load(sys.argv[2] + '.pt')
d = np.load(sys.argv[2] + '.parity.npz')
with torch.no_grad():
    y = net(torch.from_numpy(d['input'])).numpy()
print(json.dumps({'diff': float(np.abs(y - d['output']).max()), 'shape': list(d['input'].shape)}))`,
      [join(ROOT, 'training'), join(MODELS, NAME)],
    );
    const r = JSON.parse(out);
    expect(r.shape).toEqual([2, 3, 64, 96]);
    expect(r.diff).toBeLessThanOrEqual(1e-5);
  }, 120_000);

  it('ONNX Runtime output == stored PyTorch output (1e-4) on the fixed [2, 3, 64, 96] input', async () => {
    const parity = readParityNpz(join(MODELS, `${NAME}.parity.npz`));
    const r = await ortVsStored(join(MODELS, `${NAME}.onnx`), parity);
    expect(r.dims).toEqual(parity.output.dims);
    expect(r.maxDiff).toBeLessThan(1e-4);
    expect(r.storedRange).toBeGreaterThan(1); // logits of both signs, not a constant
  }, 60_000);
});
