// The pixel classifier on several registered channels at once (e.g. 2 and 4 kV of
// one sample): features from every channel, trained from annotations of one; the
// multi-voltage fusion of Article III without a pre-trained fusion model. The
// independent simulator renders the same structure at both voltages (same seed).
// Also the refusals of annotations the classifier cannot learn from.
import { describe, expect, it } from 'vitest';
import { channelFromVolume, FeatureWorkspace, featureCount } from '../../src-main/segment/pixel-features';
import { checkPainted, predictSlice, trainPixelClassifier } from '../../src-main/segment/trained-classifier/pixel-classifier';
import { scoreSlices } from '../helpers/classifier-evaluation';
import { makeIndepStack } from '../helpers/indep-sim';
import { SimulatedAnnotator } from '../helpers/simulated-annotator';

const SHAPE: [number, number, number] = [12, 64, 64];
const PAINTED = [2, 6, 10];

describe('pixel classifier on two channels', () => {
  it('learns from 2 and 4 kV together: twice the features, labels better than Otsu-like 2 kV thresholds on unpainted slices', () => {
    const kv2 = makeIndepStack({ family: 'pores', seed: 9, shape: SHAPE, kv: 2, featurePx: 10 });
    const kv4 = makeIndepStack({ family: 'pores', seed: 9, shape: SHAPE, kv: 4, featurePx: 10 });
    try {
      // Same structure, other shine-through.
      kv2.truth.forEach((t, z) => expect(Buffer.from(kv4.truth[z]).equals(Buffer.from(t))).toBe(true));
      const user = new SimulatedAnnotator({ ny: SHAPE[1], nx: SHAPE[2], slices: PAINTED, budget: 240, seed: 4 }, (z) => kv2.truth[z]);
      user.interiorStrokes(3, 8);
      const one = [channelFromVolume(kv2.grey)];
      const two = [channelFromVolume(kv2.grey), channelFromVolume(kv4.grey)];
      const c1 = trainPixelClassifier(one, user.samples(), { crossValidate: false }).classifier;
      const ws1 = new FeatureWorkspace();
      user.correct((z) => predictSlice(c1, one, z, ws1).labels, 10, 6);
      const c2 = trainPixelClassifier(two, user.samples(), { crossValidate: false }).classifier;
      expect(c2.forest.nFeatures).toBe(2 * featureCount({ ...c2.spec, channelCount: 1 }));
      expect(c2.normalisation.channels).toHaveLength(2);
      const ws2 = new FeatureWorkspace();
      const heldOut = Array.from({ length: SHAPE[0] }, (_, z) => z).filter((z) => !PAINTED.includes(z));
      const pred = new Map(heldOut.map((z) => [z, predictSlice(c2, two, z, ws2).labels]));
      const mine = scoreSlices((z) => pred.get(z)!, (z) => kv2.truth[z], heldOut);
      const threshold = kv2.manifest.sanity.otsu_threshold;
      expect(threshold).toBeGreaterThan(0);
      const otsu = scoreSlices((z) => Uint8Array.from(kv2.grey.slices[z], (v) => (v > threshold ? 1 : 0)), (z) => kv2.truth[z], heldOut);
      expect(mine.mp).toBeLessThan(otsu.mp);
    } finally {
      kv2.cleanup();
      kv4.cleanup();
    }
  }, 120_000);

  it('refuses annotations it cannot learn from, saying what to paint', () => {
    expect(() => checkPainted({ z: [0, 0], pixel: [1, 2], value: [1, 1] })).toThrow(/at least 20 painted pixels of each class; pore \(2 px\) and solid \(0 px\) have too few: paint a few strokes of both classes/);
    const many = Array.from({ length: 30 }, (_, i) => i);
    expect(() => checkPainted({ z: many.map(() => 0), pixel: many, value: many.map(() => 2) })).toThrow(/pore \(0 px\) has too few: paint a few strokes of pore/);
    expect(() => checkPainted({ z: [0], pixel: [0], value: [3] })).toThrow(/Annotation value 3 is not pore \(1\) or solid \(2\)/);
  });
});
