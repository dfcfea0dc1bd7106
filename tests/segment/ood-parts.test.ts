// The pure parts of the out-of-distribution check and of method auto, against numpy /
// scikit-image on the same arrays: the flip and rotation transforms (np.flip, np.rot90),
// the flip check's bookkeeping with a fake model, Otsu / k-means solid fractions from a
// streamed histogram (skimage threshold_otsu), mean chord lengths (run lengths counted
// in numpy), the boundary contrast (numpy gradients) and the choice rules.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../src-shared/volume';
import { chooseAutoMethod, chooseClassical, OTSU_CONTRAST_RATIO } from '../../src-main/segment/auto-method';
import { boundaryContrast } from '../../src-main/segment/boundary-contrast';
import { kmeansHistogram, stackHistogram } from '../../src-main/segment/classical';
import { blockStarts, flipConsistency, type SegmentBlock } from '../../src-main/segment/ood/flip-consistency';
import { greyEvidence, StreamingHistogram } from '../../src-main/segment/ood/grey-evidence';
import { oodScore } from '../../src-main/segment/ood/ood-score';
import { oodSentence, structureNotes } from '../../src-main/segment/ood/ood-text';
import { TTA_TRANSFORMS, transformSlice, untransformSlice } from '../../src-main/segment/ood/slice-transforms';
import { chordLengths } from '../../src-main/segment/ood/structure-size';
import { oodNotes } from '../../src-renderer/components/ood-text';
import { runPython, tempDir } from '../helpers/python';
import { random as mulberry32 } from '../helpers/random';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function randomSlices(nz: number, n: number, seed: number, max = 255): Uint8Array[] {
  const r = mulberry32(seed);
  return Array.from({ length: nz }, () => Uint8Array.from({ length: n }, () => Math.floor(r() * (max + 1))));
}

/** Blobs: a smooth random field cut at its median, as uint8 grey with noise, and its labels. */
function blobStack(nz: number, ny: number, nx: number, seed: number): { grey: Uint8Array[]; labels: Uint8Array[] } {
  const r = mulberry32(seed);
  const waves = Array.from({ length: 12 }, () => ({ kx: (r() - 0.5) * 0.8, ky: (r() - 0.5) * 0.8, kz: (r() - 0.5) * 0.4, p: r() * 6.28 }));
  const grey: Uint8Array[] = [];
  const labels: Uint8Array[] = [];
  for (let z = 0; z < nz; z++) {
    const g = new Uint8Array(ny * nx);
    const l = new Uint8Array(ny * nx);
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        let f = 0;
        for (const w of waves) f += Math.cos(w.kx * x + w.ky * y + w.kz * z + w.p);
        l[y * nx + x] = f > 0 ? 1 : 0;
        g[y * nx + x] = Math.max(0, Math.min(255, Math.round((f > 0 ? 180 : 60) + 25 * (r() - 0.5) + 8 * f)));
      }
    grey.push(g);
    labels.push(l);
  }
  return { grey, labels };
}

function raw(name: string, slices: ArrayLike<number>[], bytesPer: 1 | 2 = 1): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, Buffer.concat(slices.map((s) => Buffer.from(bytesPer === 1 ? Uint8Array.from(s) : new Uint8Array(Uint16Array.from(s).buffer)))));
  return path;
}

describe('test-time transforms', () => {
  it('flip-x, flip-y and rot90 equal np.flip(axis=1), np.flip(axis=0) and np.rot90; untransform inverts them', () => {
    const [ny, nx] = [5, 7];
    const s = Uint8Array.from({ length: ny * nx }, (_, i) => i);
    const ours = TTA_TRANSFORMS.map((t) => Array.from(transformSlice(s, ny, nx, t)));
    const ref = JSON.parse(
      runPython(
        `import sys, json, numpy as np
a = np.arange(${ny * nx}).reshape(${ny}, ${nx})
print(json.dumps([np.flip(a, 1).ravel().tolist(), np.flip(a, 0).ravel().tolist(), np.rot90(a).ravel().tolist()]))`,
      ),
    ) as number[][];
    expect(ours).toEqual(ref);
    for (const t of TTA_TRANSFORMS) {
      const [ty, tx] = t === 'rot90' ? [nx, ny] : [ny, nx];
      expect(Array.from(untransformSlice(transformSlice(s, ny, nx, t), ny, nx, t))).toEqual(Array.from(s));
      expect(transformSlice(s, ny, nx, t).length).toBe(ty * tx);
    }
  });
});

describe('flip check', () => {
  it('blocks never overlap and stay inside the stack', () => {
    for (const [nz, depth, count] of [[24, 8, 3], [100, 8, 3], [10, 16, 3], [7, 8, 3], [40, 16, 3], [1, 8, 3]]) {
      const starts = blockStarts(nz, depth, count);
      const d = Math.min(depth, nz);
      expect(starts.length).toBeGreaterThan(0);
      starts.forEach((z0, i) => {
        expect(z0).toBeGreaterThanOrEqual(0);
        expect(z0 + d).toBeLessThanOrEqual(nz);
        if (i > 0) expect(z0).toBeGreaterThanOrEqual(starts[i - 1] + d);
      });
    }
  });

  it('a model that sees its input the same way under flips agrees with itself; one that reads the image position does not, by the share numpy counts', async () => {
    const [nz, ny, nx] = [20, 40, 48];
    const grey = randomSlices(nz, ny * nx, 7);
    // Pixelwise threshold: equivariant under any flip or rotation.
    const fair: SegmentBlock = async (b) => ({ labels: b.slices.map((s) => Uint8Array.from(s, (v) => (v > 128 ? 1 : 0))) });
    const same = await flipConsistency((z) => grey[z], [nz, ny, nx], fair, { blockSlices: 8, blocks: 2 });
    expect(same.meanDisagreement).toBe(0);
    expect(same.modelRuns).toBe(8);
    expect(same.slices.map((s) => s.z)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18]);
    // A "model" that calls the left half of whatever it is given solid: flipped back, x flips and rotations disagree.
    const biased: SegmentBlock = async (b) => {
      const [, r, c] = b.shape;
      return { labels: b.slices.map(() => Uint8Array.from({ length: r * c }, (_, i) => (i % c < c / 2 ? 1 : 0))) };
    };
    const odd = await flipConsistency((z) => grey[z], [nz, ny, nx], biased, { blockSlices: 8, blocks: 2, maxSide: 32 });
    // Crops of one size at 1/4 and 3/4 of the way along the diagonal.
    expect(odd.crops).toEqual([
      { y: 2, x: 4, rows: 32, columns: 32 },
      { y: 6, x: 12, rows: 32, columns: 32 },
    ]);
    const ref = JSON.parse(
      runPython(`import numpy as np
r = c = 32
ref = (np.arange(c)[None, :] < c / 2) * np.ones((r, 1), bool)
back = [np.flip(ref, 1), np.flip(ref, 0), np.rot90(ref, -1)]
print(np.mean(np.any([b != ref for b in back], axis=0)))`),
    ) as number;
    expect(odd.meanDisagreement).toBeCloseTo(ref, 12);
    expect(odd.meanDisagreement).toBeGreaterThan(0.4);
  });
});

describe('grey evidence', () => {
  it('the streamed histogram is stackHistogram; Otsu equals skimage and the solid shares equal numpy', () => {
    for (const [bytes, max, seed] of [[1, 255, 3], [2, 4000, 4]] as const) {
      const slices = randomSlices(4, 30 * 20, seed, max).map((s, z) => (bytes === 2 ? Uint16Array.from(s, (v, i) => (v * (z + 1) + i) % 4001) : s));
      const h = new StreamingHistogram();
      slices.forEach((s) => h.add(s));
      const streamed = h.finish();
      const vol: Volume = { shape: [4, 20, 30], dtype: bytes === 1 ? 'uint8' : 'uint16', voxelSizeNm: { x: 1, y: 1, z: 1 }, zPositionsNm: [0, 1, 2, 3], slices };
      const whole = stackHistogram(vol);
      expect(Array.from(streamed.counts)).toEqual(Array.from(whole.counts));
      expect([streamed.min, streamed.max, streamed.total]).toEqual([whole.min, whole.max, whole.total]);
      const e = greyEvidence(streamed);
      const k = kmeansHistogram(whole, 3).thresholds[1];
      const path = raw(`h${seed}.raw`, slices, bytes);
      const ref = JSON.parse(
        runPython(
          `import sys, json, numpy as np
from skimage.filters import threshold_otsu
a = np.fromfile(sys.argv[1], np.${bytes === 1 ? 'uint8' : 'uint16'}).astype(np.int64)
t = threshold_otsu(a)
print(json.dumps([float(t), float(np.mean(a > t)), float(np.mean(a > float(sys.argv[2])))]))`,
          [path, String(k)],
        ),
      ) as number[];
      expect(e.otsuThreshold).toBe(ref[0]);
      expect(e.otsuSolidFraction).toBeCloseTo(ref[1], 12);
      expect(e.kmeansThreshold).toBe(k);
      expect(e.kmeansSolidFraction).toBeCloseTo(ref[2], 12);
    }
  });
});

describe('structure size and boundary contrast', () => {
  it('mean chords equal the run lengths numpy counts; boundary contrast equals numpy central differences', () => {
    const [nz, ny, nx] = [3, 33, 41];
    const { grey, labels } = blobStack(nz, ny, nx, 11);
    const ch = chordLengths(labels, [nz, ny, nx], { x: 2.5, y: 3.5, z: 5 });
    const bc = boundaryContrast(grey, labels, [nz, ny, nx], 200);
    const ref = JSON.parse(
      runPython(
        `import sys, json, numpy as np
l = np.fromfile(sys.argv[1], np.uint8).reshape(${nz}, ${ny}, ${nx})
g = np.fromfile(sys.argv[2], np.uint8).reshape(${nz}, ${ny}, ${nx}).astype(float)
def runs(a):
    out = []
    for line in a:
        p = np.concatenate([[0], line, [0]])
        d = np.diff(p)
        out += list(np.flatnonzero(d == -1) - np.flatnonzero(d == 1))
    return out
def chord(phase):
    r = []
    for s in phase:
        r += runs(s) + runs(s.T)
    return float(np.mean(r))
solid, pore = chord(l), chord(1 - l)
gy, gx = np.zeros_like(g), np.zeros_like(g)
gx[:, :, 1:-1] = (g[:, :, 2:] - g[:, :, :-2]) / 2
gy[:, 1:-1, :] = (g[:, 2:, :] - g[:, :-2, :]) / 2
m = l.astype(int)
edge = np.zeros_like(m, bool)
c = m[:, 1:-1, 1:-1]
edge[:, 1:-1, 1:-1] = (m[:, 1:-1, :-2] != c) | (m[:, 1:-1, 2:] != c) | (m[:, :-2, 1:-1] != c) | (m[:, 2:, 1:-1] != c)
print(json.dumps([solid, pore, float(np.hypot(gx, gy)[edge].mean() / 200)]))`,
        [raw('l.raw', labels), raw('g.raw', grey)],
      ),
    ) as number[];
    expect(ch.solidPx).toBeCloseTo(ref[0], 10);
    expect(ch.porePx).toBeCloseTo(ref[1], 10);
    expect(ch.meanPx).toBeCloseTo((ref[0] + ref[1]) / 2, 10);
    expect(ch.meanNm).toBeCloseTo(((ref[0] + ref[1]) / 2) * 3, 10);
    expect(bc).toBeCloseTo(ref[2], 10);
  });
});

describe('score, sentence and choice', () => {
  it('the score adds the flip share, solid below k-means beyond the allowance and solid above Otsu', () => {
    expect(oodScore({ flipDisagreement: 0.01, modelSolidFraction: 0.3, otsuSolidFraction: 0.4, kmeansSolidFraction: 0.33 }, 0.05).score).toBeCloseTo(0.01, 12);
    expect(oodScore({ flipDisagreement: 0.01, modelSolidFraction: 0.2, otsuSolidFraction: 0.4, kmeansSolidFraction: 0.33 }, 0.05).score).toBeCloseTo(0.01 + 0.08, 12);
    expect(oodScore({ flipDisagreement: 0.02, modelSolidFraction: 0.5, otsuSolidFraction: 0.45, kmeansSolidFraction: 0.33 }, 0.05).score).toBeCloseTo(0.02 + 0.05, 12);
  });

  it('says out of its depth with the numbers, or at home; notes a stack outside the trained range', () => {
    const notes = structureNotes({ pixelNm: [2.5, 2.5], otsuChordPx: [14.2, 17.2] }, { chordPx: 40, pixelNm: 5 });
    expect(notes).toEqual(['its pixels are 5 nm, the model was trained on 2.5 nm', 'its structure (mean chord 40.0 px) is 2.3 x larger than in the training stacks (14.2-17.2 px)']);
    expect(structureNotes({ pixelNm: [2.5, 2.5], otsuChordPx: [14.2, 17.2] }, { chordPx: 12, pixelNm: 2.5 })).toEqual([]);
    const base = {
      model: 'm',
      components: { flipDisagreement: 0.12, belowKmeans: 0.08, aboveOtsu: 0, entropyBits: 0.2, modelSolidFraction: 0.24, otsuSolidFraction: 0.37, kmeansSolidFraction: 0.37 },
      structure: { otsuChordPx: 40, otsuChordNm: 200, pixelNm: 5, notes },
    } as unknown as Parameters<typeof oodSentence>[0];
    const out = oodSentence({ ...base, score: 0.2, threshold: 0.014, outOfDepth: true }, 'k-means');
    expect(out).toBe(
      "The model m looks out of its depth on this stack (OOD score 0.200 > 0.014): its labels disagree with themselves under flips and rotation on 12.0 % of the pixels and its solid fraction (24.0 %) is 13.0 points below Otsu's (37.0 %; k-means 37.0 %). " +
        'Besides, its pixels are 5 nm, the model was trained on 2.5 nm; its structure (mean chord 40.0 px) is 2.3 x larger than in the training stacks (14.2-17.2 px). ' +
        'Check the result against the grey images, or use k-means / the pixel classifier (annotate a few slices).',
    );
    expect(oodSentence({ ...base, score: 0.01, threshold: 0.014, outOfDepth: false })).toMatch(/^The model m looks at home on this stack \(OOD score 0\.010 <= 0\.014\)/);
  });

  it('annotations decide first, then the model check, then the sharper boundary of Otsu or k-means', () => {
    const classical = { otsu: { solidFraction: 0.45, boundaryContrast: 0.2 }, kmeans: { solidFraction: 0.35, boundaryContrast: 0.15 } };
    const model = { name: 'm', score: 0.01, threshold: 0.014, outOfDepth: false };
    const byAnnotations = chooseAutoMethod({ classical, model, annotationScores: [{ method: 'model', model: 'm', mpPercent: 4 }, { method: 'kmeans', mpPercent: 2.5 }, { method: 'otsu', mpPercent: 3 }] });
    expect(byAnnotations).toMatchObject({ method: 'kmeans', basis: 'annotations' });
    expect(byAnnotations.reason).toContain('next: otsu, 3.00 %');
    // The reason says what was painted and what the measurements alone would have run.
    const painted = { version: 7, pixels: 420, slices: [2, 9] };
    const withPainted = chooseAutoMethod({ classical, model, annotations: painted, annotationScores: [{ method: 'kmeans', mpPercent: 2.5 }, { method: 'otsu', mpPercent: 3 }] });
    expect(withPainted.reason).toBe(
      'kmeans: lowest MP on your annotations (420 painted pixels on slices 2, 9, version 7), 2.50 % (next: otsu, 3.00 %). Without annotations auto would have run model m (its out-of-distribution check passes).',
    );
    const agrees = chooseAutoMethod({ classical, model: { ...model, outOfDepth: true, score: 0.05 }, annotations: painted, annotationScores: [{ method: 'otsu', mpPercent: 1 }] });
    expect(agrees.reason).toMatch(/^otsu: lowest MP on your annotations .*, 1\.00 %\. Without annotations auto would also run otsu \(by the steepness of Otsu's and k-means' boundaries\)\.$/);
    expect(chooseAutoMethod({ classical, model })).toMatchObject({ method: 'model', model: 'm', basis: 'ood-check' });
    const out = chooseAutoMethod({ classical, model: { ...model, score: 0.05, outOfDepth: true } });
    expect(out).toMatchObject({ method: 'otsu', basis: 'boundary-contrast' });
    expect(out.reason).toContain('out-of-distribution score 0.050 > 0.014');
    expect(chooseAutoMethod({ classical, model: { ...model, threshold: null, outOfDepth: null } }).method).toBe('otsu');
    expect(chooseAutoMethod({ classical, modelUnavailable: 'none installed' }).reason).toContain('no model was checked (none installed)');
    // k-means wins unless Otsu's boundary is clearly steeper.
    const tie = { otsu: { solidFraction: 0.45, boundaryContrast: 0.15 * (OTSU_CONTRAST_RATIO - 0.001) }, kmeans: { solidFraction: 0.35, boundaryContrast: 0.15 } };
    expect(chooseClassical(tie).method).toBe('kmeans');
    expect(chooseClassical({ ...tie, otsu: { solidFraction: 0.45, boundaryContrast: 0.15 * (OTSU_CONTRAST_RATIO + 0.001) } }).method).toBe('otsu');
  });
});

describe('what the Segmentation step shows beside a result', () => {
  it('a warning for a model out of its depth, a note otherwise, and auto\'s reason', () => {
    expect(oodNotes({ method: 'otsu' })).toEqual({});
    expect(oodNotes({ ood: { outOfDepth: true, sentence: 'The model m looks out of its depth on this stack (…).' } })).toEqual({ warning: 'The model m looks out of its depth on this stack (…).' });
    expect(oodNotes({ ood: { outOfDepth: false, sentence: 'The model m looks at home on this stack (…).' }, auto: { reason: 'model m: it looks at home.' } })).toEqual({
      note: 'The model m looks at home on this stack (…).',
      auto: 'Chosen by auto: model m: it looks at home.',
    });
    // auto ran k-means: the model's check is in the auto record only.
    expect(oodNotes({ auto: { reason: 'k-means: …', oodSentence: 'The model m looks out of its depth on this stack (…).' } })).toEqual({
      warning: 'The model m looks out of its depth on this stack (…).',
      auto: 'Chosen by auto: k-means: …',
    });
  });
});
