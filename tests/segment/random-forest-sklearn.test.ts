// Our forest against scikit-learn (Debian's python3-sklearn) on the same
// generated data: test accuracy of forests with the same number of trees,
// depth and features per split; a single exhaustive tree (all features, no
// bootstrap, at most 256 distinct values per feature, so our bins are exact)
// against DecisionTreeClassifier; and class_weight='balanced' on a 95/5 problem.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { predictLabels, predictProbabilities, trainRandomForest } from '../../src-main/segment/pixel-classifier';
import { runPython, tempDir } from '../helpers/python';
import { type Problem, accuracy, gaussianBlobs, quantised, recall, threeClassProblem, writeProblem, xorProblem } from './random-forest-data';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const SKLEARN = `
import json, sys, numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
out = []
for c in json.loads(sys.argv[1]):
    def load(prefix):
        y = np.fromfile(prefix + '.y', dtype=np.uint8)
        return np.fromfile(prefix + '.x', dtype=np.float32).reshape(len(y), -1), y
    X, y = load(c['train'])
    Xt, yt = load(c['test'])
    if c['kind'] == 'forest':
        m = RandomForestClassifier(n_estimators=c['nTrees'], max_depth=c['maxDepth'], min_samples_leaf=c['minSamplesLeaf'], max_features='sqrt',
                                   bootstrap=True, class_weight=c.get('classWeight'), random_state=0, n_jobs=1)
    else:
        m = DecisionTreeClassifier(max_depth=c['maxDepth'], min_samples_leaf=c['minSamplesLeaf'], class_weight=c.get('classWeight'), random_state=0)
    m.fit(X, y)
    p = m.predict(Xt)
    out.append({'accuracy': float(np.mean(p == yt)), 'minorityRecall': float(np.mean(p[yt == 1] == 1)),
                'proba': m.predict_proba(Xt)[:, 1].tolist() if c['kind'] == 'tree' else None})
print(json.dumps(out))
`;

interface Case {
  name: string;
  kind: 'forest' | 'tree';
  train: Problem;
  test: Problem;
  nTrees: number;
  maxDepth: number;
  minSamplesLeaf?: number;
  classWeight?: 'balanced';
  /** Test accuracy both must exceed (chance: 0.5, 0.33; the 95/5 problem trades accuracy for minority recall). */
  minAccuracy: number;
}

const CASES: Case[] = [
  { name: 'Gaussian blobs, 10-D', kind: 'forest', train: gaussianBlobs(3000, 1), test: gaussianBlobs(3000, 2), nTrees: 32, maxDepth: 12, minAccuracy: 0.75 },
  { name: 'XOR of two signs + 8 noise features', kind: 'forest', train: xorProblem(3000, 3), test: xorProblem(3000, 4), nTrees: 32, maxDepth: 12, minAccuracy: 0.85 },
  { name: 'three classes, 6-D', kind: 'forest', train: threeClassProblem(3000, 5), test: threeClassProblem(3000, 6), nTrees: 32, maxDepth: 10, minAccuracy: 0.7 },
  {
    name: 'one exhaustive tree, balanced, quantised blobs',
    kind: 'tree',
    train: quantised(gaussianBlobs(2000, 7, { nFeatures: 5, shift: 0.5, p1: 0.3 }), 0.05),
    test: quantised(gaussianBlobs(2000, 8, { nFeatures: 5, shift: 0.5, p1: 0.3 }), 0.05),
    nTrees: 1,
    maxDepth: 6,
    minSamplesLeaf: 3,
    classWeight: 'balanced',
    minAccuracy: 0.7,
  },
  {
    name: '95/5 blobs, balanced',
    kind: 'forest',
    train: gaussianBlobs(4000, 9, { p1: 0.05, shift: 0.4 }),
    test: gaussianBlobs(4000, 10, { p1: 0.05, shift: 0.4 }),
    nTrees: 32,
    maxDepth: 8,
    minSamplesLeaf: 5,
    classWeight: 'balanced',
    minAccuracy: 0.9,
  },
];

describe('random forest vs scikit-learn', () => {
  const specs = CASES.map((c, i) => {
    const prefix = join(tmp.dir, `case${i}`);
    writeProblem(`${prefix}-train`, c.train);
    writeProblem(`${prefix}-test`, c.test);
    return { kind: c.kind, train: `${prefix}-train`, test: `${prefix}-test`, nTrees: c.nTrees, maxDepth: c.maxDepth, minSamplesLeaf: c.minSamplesLeaf ?? 1, classWeight: c.classWeight ?? null };
  });
  const sk = JSON.parse(runPython(SKLEARN, [JSON.stringify(specs)])) as { accuracy: number; minorityRecall: number; proba: number[] | null }[];

  CASES.forEach((c, i) => {
    if (c.kind !== 'forest') return;
    it(`${c.name}: test accuracy within 2 points of RandomForestClassifier (${c.nTrees} trees, depth ${c.maxDepth})`, () => {
      const forest = trainRandomForest(c.train, { nTrees: c.nTrees, maxDepth: c.maxDepth, minSamplesLeaf: c.minSamplesLeaf ?? 1, classWeight: c.classWeight ?? 'none', seed: 3 });
      const ours = accuracy(c.test.labels, predictLabels(forest, c.test.features));
      expect(Math.abs(ours - sk[i].accuracy)).toBeLessThan(0.02);
      expect(ours).toBeGreaterThan(c.minAccuracy);
      expect(sk[i].accuracy).toBeGreaterThan(c.minAccuracy);
    });
  });

  it('one tree with every feature and no bootstrap grows as DecisionTreeClassifier does (same leaf probabilities)', () => {
    const i = CASES.findIndex((c) => c.kind === 'tree');
    const c = CASES[i];
    const forest = trainRandomForest(c.train, { nTrees: 1, bootstrap: false, mtry: c.train.nFeatures, maxDepth: c.maxDepth, minSamplesLeaf: c.minSamplesLeaf, classWeight: 'balanced' });
    const proba = predictProbabilities(forest, c.test.features);
    const ref = sk[i].proba as number[];
    let same = 0;
    for (let p = 0; p < ref.length; p++) if (Math.abs(proba[2 * p + 1] - ref[p]) < 1e-5) same++;
    // Equal-gain splits on different features may be broken differently; nearly every pixel agrees.
    expect(same / ref.length).toBeGreaterThan(0.99);
    expect(Math.abs(accuracy(c.test.labels, predictLabels(forest, c.test.features)) - sk[i].accuracy)).toBeLessThan(0.005);
  });

  it("class weights 'balanced' raise the minority recall of a 95/5 problem as much as scikit-learn's", () => {
    const i = CASES.findIndex((c) => c.name.startsWith('95/5'));
    const c = CASES[i];
    const opts = { nTrees: c.nTrees, maxDepth: c.maxDepth, minSamplesLeaf: c.minSamplesLeaf, seed: 3 };
    const plain = trainRandomForest(c.train, { ...opts, classWeight: 'none' });
    const balanced = trainRandomForest(c.train, { ...opts, classWeight: 'balanced' });
    const rPlain = recall(c.test.labels, predictLabels(plain, c.test.features), 1);
    const rBalanced = recall(c.test.labels, predictLabels(balanced, c.test.features), 1);
    expect(rBalanced).toBeGreaterThan(rPlain + 0.2);
    expect(Math.abs(rBalanced - sk[i].minorityRecall)).toBeLessThan(0.08);
  });
});
