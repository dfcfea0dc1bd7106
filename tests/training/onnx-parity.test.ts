// The shipped segmentation models (models/*.onnx) are the trained PyTorch
// checkpoints: training/check_parity.py runs each ONNX graph in numpy, runs the
// checkpoint in PyTorch and compares a fresh export bit by bit; here ONNX
// Runtime (the engine the app uses) must give the stored PyTorch output too, and
// the cards must be valid for the app's inference engine.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelCard } from '../../src-main/inference/model-card';
import { type Float32Tensor, ortVsStored, readParityNpz } from '../helpers/parity-npz';
import { PYTHON, runPython, tempDir } from '../helpers/python';

const ROOT = resolve(__dirname, '../..');
const MODELS = process.env.FIBRECON_MODELS_DIR ?? join(ROOT, 'models');
const CHECK = join(ROOT, 'training', 'check_parity.py');

/** Segmentation models trained by training/: NAME for every models/NAME.json with a segmentation kind and a NAME.training.json. */
const shipped = readdirSync(MODELS)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.training.json') && existsSync(join(MODELS, f.replace(/\.json$/, '.training.json'))))
  .map((f) => JSON.parse(readFileSync(join(MODELS, f), 'utf8')) as { name: string; kind: string })
  .filter((c) => c.kind.startsWith('segmentation'))
  .map((c) => c.name);

function checkParity(modelsDir: string, names: string[] = []): { ok: boolean; lines: Record<string, unknown>[] } {
  try {
    const out = execFileSync(PYTHON, [CHECK, '--models-dir', modelsDir, ...names], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, lines: out.trim().split('\n').map((l) => JSON.parse(l)) };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    const lines = (err.stdout ?? '').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    return { ok: false, lines: lines.length ? lines : [{ stderr: err.stderr }] };
  }
}

function readParity(name: string): Record<'input' | 'output', Float32Tensor> {
  return readParityNpz(join(MODELS, `${name}.parity.npz`));
}

describe('shipped segmentation models', () => {
  it('ships the 2 kV models: 2D and 2.5D windows 5, 7, 9', () => {
    for (const name of ['unet2d-2kv', 'unet25d-w5-2kv', 'unet25d-w7-2kv', 'unet25d-w9-2kv']) expect(shipped).toContain(name);
  });

  it('ships the 3D model: unet3d-2kv (segmentation-3d, z patches of 16 slices)', () => {
    expect(shipped).toContain('unet3d-2kv');
    const card = parseModelCard(JSON.parse(readFileSync(join(MODELS, 'unet3d-2kv.json'), 'utf8')));
    expect(card.kind).toBe('segmentation-3d');
    expect(card.input.slices % 8).toBe(0);
    expect(card.input.overlapSlices).toBeLessThan(card.input.slices);
    const { input, output } = readParity('unet3d-2kv');
    expect(input.dims).toEqual([2, 1, card.input.slices, 64, 96]);
    expect(output.dims).toEqual([2, 1, card.input.slices, 64, 96]);
  });

  it.each(shipped)('%s: card valid for the engine, files present and small', (name) => {
    const card = parseModelCard(JSON.parse(readFileSync(join(MODELS, `${name}.json`), 'utf8')));
    expect(card.output).toEqual({ channels: 1, activation: 'none', classes: ['solid'], threshold: 0.5 });
    expect(card.input.normalisation).toEqual({ type: 'minmax-percentile', low: 1, high: 99, clip: true });
    expect(card.input.tile % 8).toBe(0);
    for (const ext of ['.onnx', '.pt', '.parity.npz', '.md', '.training.json']) {
      const p = join(MODELS, name + ext);
      expect(existsSync(p), p).toBe(true);
      expect(statSync(p).size).toBeLessThan(5 * 1024 * 1024);
    }
    const record = JSON.parse(readFileSync(join(MODELS, `${name}.training.json`), 'utf8'));
    expect(record.inputSlices).toBe(card.input.slices);
    const used = new Set([...record.trainedOn.trainSeeds, ...record.trainedOn.validationSeeds]);
    for (const s of record.evaluation.heldOutSeeds) expect(used.has(s), `held-out seed ${s} used in training`).toBe(false);
  });

  it('ONNX graph == PyTorch checkpoint for every model (numpy run, PyTorch run, bit-exact weights)', () => {
    const r = checkParity(MODELS);
    expect(r.lines.map((l) => l.name).sort()).toEqual([...shipped].sort());
    expect(r, JSON.stringify(r.lines)).toMatchObject({ ok: true });
  });

  it('the check fails when the ONNX file is not from the checkpoint', () => {
    const name = shipped[0];
    const { dir, cleanup } = tempDir('fibrecon-parity-');
    try {
      for (const ext of ['.json', '.training.json', '.pt', '.parity.npz']) copyFileSync(join(MODELS, name + ext), join(dir, name + ext));
      // same graph, one weight nudged: what an export from another checkpoint looks like
      runPython(
        `
import sys, onnx, numpy as np
from onnx import numpy_helper
m = onnx.load(sys.argv[1])
t = m.graph.initializer[0]
a = numpy_helper.to_array(t).copy()
a.flat[0] += 0.05
t.CopyFrom(numpy_helper.from_array(a, t.name))
onnx.save(m, sys.argv[2])`,
        [join(MODELS, `${name}.onnx`), join(dir, `${name}.onnx`)],
      );
      const r = checkParity(dir, [name]);
      expect(r.ok).toBe(false);
      expect(JSON.stringify(r.lines)).toMatch(/initializers are not bit-identical/);
      expect(JSON.stringify(r.lines)).toMatch(/ONNX output differs from the stored PyTorch output/);
    } finally {
      cleanup();
    }
  });

  it.each(shipped)('%s: ONNX Runtime output == stored PyTorch output', async (name) => {
    const parity = readParity(name);
    const r = await ortVsStored(join(MODELS, `${name}.onnx`), parity);
    expect(r.dims).toEqual(parity.output.dims);
    expect(r.maxDiff).toBeLessThan(1e-4);
    // not a constant output: the comparison means something
    expect(r.storedRange).toBeGreaterThan(0.01);
  });
});
