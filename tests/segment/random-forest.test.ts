// The forest's own guarantees: prediction equals a plain walk of the trees,
// labels are the argmax of the probabilities, pixel ranges, determinism,
// training in parts, the serialised round trip, and input checks.
import { describe, expect, it } from 'vitest';
import {
  type RandomForest,
  concatForests,
  deserialiseForest,
  predictLabels,
  predictProbabilities,
  serialiseForest,
  trainRandomForest,
} from '../../src-main/segment/pixel-classifier';
import { AppError } from '../../src-shared/errors';
import { threeClassProblem, xorProblem } from './random-forest-data';

/** Walks every tree node by node from the documented layout (not the compiled one prediction uses). */
function referenceProbabilities(forest: RandomForest, x: Float32Array): Float32Array {
  const F = forest.nFeatures;
  const K = forest.nClasses;
  const n = x.length / F;
  const out = new Float32Array(n * K);
  const sum = new Float64Array(K);
  for (let p = 0; p < n; p++) {
    sum.fill(0);
    for (let t = 0; t < forest.nTrees; t++) {
      let node = forest.treeRoots[t];
      while (forest.nodeFeature[node] >= 0) {
        const v = x[p * F + forest.nodeFeature[node]];
        node = v > forest.nodeThreshold[node] ? forest.nodeChild[node] + 1 : forest.nodeChild[node];
      }
      for (let k = 0; k < K; k++) sum[k] += forest.leafValues[forest.nodeChild[node] + k];
    }
    for (let k = 0; k < K; k++) out[p * K + k] = sum[k] / forest.nTrees;
  }
  return out;
}

function argmax(prob: Float32Array, K: number): Uint8Array {
  const out = new Uint8Array(prob.length / K);
  for (let p = 0; p < out.length; p++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (prob[p * K + k] > prob[p * K + best]) best = k;
    out[p] = best;
  }
  return out;
}

function bytes(a: Float32Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function expectAppError(fn: () => unknown, tag: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).tag).toBe(tag);
    return;
  }
  throw new Error('expected an AppError');
}

const xor = xorProblem(2000, 11);
const xorTest = xorProblem(1001, 12); // odd count: blocks and 4-pixel groups end part-way
const three = threeClassProblem(1500, 13);
const threeTest = threeClassProblem(777, 14);

describe('random forest prediction', () => {
  const forest = trainRandomForest(xor, { nTrees: 12, maxDepth: 9, seed: 5 });
  const forest3 = trainRandomForest(three, { nTrees: 15, maxDepth: 8, seed: 6 });

  it('probabilities equal a plain walk of the trees, bit for bit, NaN features included', () => {
    const x = xorTest.features.slice();
    for (let i = 0; i < x.length; i += 37) x[i] = NaN;
    expect(bytes(predictProbabilities(forest, x))).toEqual(bytes(referenceProbabilities(forest, x)));
    expect(bytes(predictProbabilities(forest3, threeTest.features))).toEqual(bytes(referenceProbabilities(forest3, threeTest.features)));
  });

  it('probabilities are distributions; the trees are no deeper than maxDepth', () => {
    const p = predictProbabilities(forest3, threeTest.features);
    for (let i = 0; i < p.length; i += 3) expect(p[i] + p[i + 1] + p[i + 2]).toBeCloseTo(1, 5);
    const depthOf = (node: number): number => (forest3.nodeFeature[node] < 0 ? 0 : 1 + Math.max(depthOf(forest3.nodeChild[node]), depthOf(forest3.nodeChild[node] + 1)));
    for (let t = 0; t < forest3.nTrees; t++) expect(depthOf(forest3.treeRoots[t])).toBeLessThanOrEqual(8);
  });

  it('labels are the argmax of the probabilities (2 and 3 classes, early stopping included)', () => {
    expect(predictLabels(forest, xorTest.features)).toEqual(argmax(predictProbabilities(forest, xorTest.features), 2));
    expect(predictLabels(forest3, threeTest.features)).toEqual(argmax(predictProbabilities(forest3, threeTest.features), 3));
  });

  it('a pixel range predicts exactly those pixels, into a given output', () => {
    const all = predictProbabilities(forest3, threeTest.features);
    const out = new Float32Array(3 * 300);
    predictProbabilities(forest3, threeTest.features, { start: 101, end: 401, out });
    expect(bytes(out)).toEqual(bytes(all.subarray(3 * 101, 3 * 401)));
    const labels = predictLabels(forest3, threeTest.features);
    expect(predictLabels(forest3, threeTest.features, { start: 500, end: 777 })).toEqual(labels.subarray(500));
    expect(predictLabels(forest3, threeTest.features, { start: 5, end: 5 })).toHaveLength(0);
  });

  it('rejects a feature array of the wrong width and a range outside it', () => {
    expectAppError(() => predictLabels(forest, new Float32Array(25)), 'invalid_input');
    expectAppError(() => predictLabels(forest, xorTest.features, { start: 0, end: 1002 }), 'invalid_input');
    expectAppError(() => predictProbabilities(forest, xorTest.features, { out: new Float32Array(10) }), 'invalid_input');
  });
});

describe('random forest training', () => {
  const opts = { nTrees: 8, maxDepth: 10, seed: 42 };

  it('same data and seed give the same forest bit for bit; another seed another forest', () => {
    const a = JSON.stringify(serialiseForest(trainRandomForest(xor, opts)));
    const b = JSON.stringify(serialiseForest(trainRandomForest(xor, opts)));
    const c = JSON.stringify(serialiseForest(trainRandomForest(xor, { ...opts, seed: 43 })));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('trees trained in parts and joined equal the forest trained at once', () => {
    const whole = trainRandomForest(xor, opts);
    const parts = [
      trainRandomForest(xor, opts, { trees: { first: 0, count: 3 } }),
      trainRandomForest(xor, opts, { trees: { first: 3, count: 5 } }),
    ];
    expect(JSON.stringify(serialiseForest(concatForests(parts)))).toBe(JSON.stringify(serialiseForest(whole)));
  });

  it('learns XOR (no single feature separates it) and more trees do not hurt', () => {
    const few = trainRandomForest(xor, { nTrees: 4, maxDepth: 8 });
    const many = trainRandomForest(xor, { nTrees: 32, maxDepth: 8 });
    const acc = (f: RandomForest) => {
      const p = predictLabels(f, xorTest.features);
      return p.reduce((s, v, i) => s + (v === xorTest.labels[i] ? 1 : 0), 0) / p.length;
    };
    expect(acc(few)).toBeGreaterThan(0.8);
    expect(acc(many)).toBeGreaterThan(0.88); // 5 % of labels are flipped
  });

  it('minSamplesLeaf bounds the samples in every leaf (no bootstrap: counted directly)', () => {
    const f = trainRandomForest(xor, { nTrees: 3, maxDepth: 20, minSamplesLeaf: 25, bootstrap: false, seed: 9 });
    for (let t = 0; t < f.nTrees; t++) {
      const perLeaf = new Map<number, number>();
      for (let p = 0; p < xor.labels.length; p++) {
        let node = f.treeRoots[t];
        while (f.nodeFeature[node] >= 0) node = f.nodeChild[node] + (xor.features[p * xor.nFeatures + f.nodeFeature[node]] > f.nodeThreshold[node] ? 1 : 0);
        perLeaf.set(node, (perLeaf.get(node) ?? 0) + 1);
      }
      expect(Math.min(...perLeaf.values())).toBeGreaterThanOrEqual(25);
    }
  });

  it('one class only: every pixel gets that class', () => {
    const oneClass = { ...xor, labels: new Uint8Array(xor.labels.length).fill(1) };
    expect(predictLabels(trainRandomForest(oneClass, { nTrees: 2 }), xorTest.features).every((v) => v === 1)).toBe(true);
  });

  it('rejects malformed samples and options with invalid_input, and a cancelled job', () => {
    expectAppError(() => trainRandomForest({ features: new Float32Array(10), nFeatures: 3, labels: new Uint8Array(3) }), 'invalid_input');
    expectAppError(() => trainRandomForest({ ...xor, labels: xor.labels.map((v, i) => (i === 7 ? 2 : v)) }, { nClasses: 2 }), 'invalid_input');
    expectAppError(() => trainRandomForest({ features: new Float32Array(0), nFeatures: 3, labels: new Uint8Array(0) }), 'invalid_input');
    expectAppError(() => trainRandomForest(xor, { mtry: 11 }), 'invalid_input');
    expectAppError(() => trainRandomForest(xor, { classWeight: [1, 2, 3] }), 'invalid_input');
    expectAppError(() => trainRandomForest(xor, { maxBins: 300 }), 'invalid_input');
    const ac = new AbortController();
    ac.abort();
    expectAppError(() => trainRandomForest(xor, {}, { signal: ac.signal }), 'cancelled');
  });
});

describe('random forest serialisation', () => {
  const forest = trainRandomForest(three, { nTrees: 6, maxDepth: 7, classWeight: [1, 2, 0.5] });

  it('survives JSON with bit-identical predictions and the same options', () => {
    const text = JSON.stringify(serialiseForest(forest));
    const back = deserialiseForest(JSON.parse(text));
    expect(back.params).toEqual(forest.params);
    expect(bytes(predictProbabilities(back, threeTest.features))).toEqual(bytes(predictProbabilities(forest, threeTest.features)));
    expect(JSON.stringify(serialiseForest(back))).toBe(text);
  });

  it('refuses another format, a newer version and damaged arrays', () => {
    const s = serialiseForest(forest);
    expectAppError(() => deserialiseForest({ ...s, format: 'something-else' }), 'unsupported_format');
    expectAppError(() => deserialiseForest({ ...s, version: 2 }), 'unsupported_format');
    expectAppError(() => deserialiseForest({ ...s, nodeChild: s.nodeChild.slice(0, -8) }), 'corrupt_file');
    const child = new Int32Array(Buffer.from(s.nodeChild, 'base64').buffer.slice(0));
    const internal = forest.nodeFeature.findIndex((f) => f >= 0);
    child[internal] = internal; // a node that is its own child would loop forever
    expectAppError(() => deserialiseForest({ ...s, nodeChild: Buffer.from(child.buffer).toString('base64') }), 'corrupt_file');
    const feature = new Int32Array(Buffer.from(s.nodeFeature, 'base64').buffer.slice(0));
    feature[internal] = 6; // only features 0..5 exist
    expectAppError(() => deserialiseForest({ ...s, nodeFeature: Buffer.from(feature.buffer).toString('base64') }), 'corrupt_file');
  });
});
