// training/cards.py writes trainedRange into the engine card of a (re)trained model, from
// the training stacks themselves: a shipped training record pointed at two small stacks
// of the app's generator (seeds 1 and 2) gives a card that the app's zod schema accepts,
// whose pixel size, kV, detector and fill are the stacks' manifest settings and whose
// Otsu chord range is what the app's own code measures on the same stacks (TypeScript:
// whole-stack Otsu, the out-of-distribution check's crops, chord lengths), rounded to 0.1.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTiffVolume } from '../../src-main/import/read-tiff-volume';
import { parseModelCard } from '../../src-main/inference/model-card';
import { otsuThresholdFromHistogram, stackHistogram } from '../../src-main/segment/classical';
import { sampleCrops } from '../../src-main/segment/ood/flip-consistency';
import { chordLengths } from '../../src-main/segment/ood/structure-size';
import { cliOk, REPO } from '../cli/run-cli';
import { PYTHON, tempDir } from '../helpers/python';
import { execFileSync } from 'node:child_process';

const SEEDS = [1, 2];
const tmp = tempDir('fibrecon-cards-');
const data = join(tmp.dir, 'data');

beforeAll(async () => {
  mkdirSync(data, { recursive: true });
  for (const seed of SEEDS) {
    await cliOk(['synth', join(data, `seed-${seed}`), '--columns', '160', '--rows', '144', '--slices', '20', '--seed', String(seed), '--kv', '2']);
  }
  // A shipped record, retrained on seeds 1-2 in this test's data folder.
  const record = JSON.parse(readFileSync(join(REPO, 'models/unet25d-w7-2kv.training.json'), 'utf8'));
  record.name = 'retrained';
  record.trainedOn.trainSeeds = SEEDS;
  writeFileSync(join(tmp.dir, 'retrained.training.json'), JSON.stringify(record));
  copyFileSync(join(REPO, 'models/unet25d-w7-2kv.training.json'), join(tmp.dir, 'shipped.training.json'));
}, 120_000);
afterAll(() => tmp.cleanup());

/** What the app measures on a training stack: Otsu on the whole stack (ROI), mean chord of its labels on the check's crops. */
async function appChord(seed: number): Promise<{ px: number; nm: number; manifest: { params: { voxelNm: number; fill: string } } }> {
  const dir = join(data, `seed-${seed}`);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const full = await readTiffVolume([join(dir, '2kV_TLD.tif')]);
  const { x, y, width, height } = manifest.roi as { x: number; y: number; width: number; height: number };
  const slices = full.slices.map((s) => {
    const out = new Uint8Array(width * height);
    for (let r = 0; r < height; r++) out.set((s as Uint8Array).subarray((y + r) * full.shape[2] + x, (y + r) * full.shape[2] + x + width), r * width);
    return out;
  });
  const grey = { ...full, shape: [full.shape[0], height, width] as [number, number, number], slices };
  const h = stackHistogram(grey);
  const { threshold } = otsuThresholdFromHistogram(h.counts, h.centers);
  const { rows, columns, blocks } = await sampleCrops((z) => grey.slices[z], grey.shape);
  const labels = blocks.flatMap((b) => b.slices.map((s) => Uint8Array.from(s, (v) => (v > threshold ? 1 : 0))));
  const ch = chordLengths(labels, [labels.length, rows, columns], grey.voxelSizeNm);
  return { px: ch.meanPx, nm: ch.meanNm, manifest };
}

const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)].map((v) => +v.toFixed(1));

describe('training/cards.py', () => {
  it('writes a card the app accepts, with trainedRange from the training stacks', async () => {
    execFileSync(PYTHON, [join(REPO, 'training/cards.py'), '--data', data, join(tmp.dir, 'retrained.training.json')], { cwd: REPO, stdio: 'pipe' });
    const raw = JSON.parse(readFileSync(join(tmp.dir, 'retrained.json'), 'utf8'));
    const card = parseModelCard(raw, 'retrained.json');
    const tr = card.trainedRange!;
    expect(tr).toBeDefined();
    const measured = await Promise.all(SEEDS.map(appChord));
    console.log(`app: Otsu chords ${measured.map((m) => m.px.toFixed(2)).join(', ')} px; card ${JSON.stringify(tr.otsuChordPx)} px`);
    expect(tr.otsuChordPx).toEqual(range(measured.map((m) => m.px)));
    expect(tr.otsuChordNm).toEqual(range(measured.map((m) => m.nm)));
    expect(tr.pixelNm).toEqual([measured[0].manifest.params.voxelNm, measured[0].manifest.params.voxelNm]);
    expect(tr.beamKeV).toEqual([2, 2]);
    expect(tr.detectors).toEqual(['TLD']);
    expect(tr.fills).toEqual([measured[0].manifest.params.fill]);
    expect(tr.data).toMatch(/structure seeds 1-2, 20 x 144 x 160 \(training\/README\.md\)$/);
    // The rest of the card is the engine card cards.py always wrote.
    expect(card).toMatchObject({ name: 'retrained', kind: 'segmentation-2.5d', input: { slices: 7, tile: 128, overlap: 32 } });
    expect(readFileSync(join(tmp.dir, 'retrained.md'), 'utf8')).toMatch(/^# retrained\n/);
  }, 120_000);

  it('a record that brings its own range (domain-randomised data) keeps it', () => {
    const record = JSON.parse(readFileSync(join(tmp.dir, 'retrained.training.json'), 'utf8'));
    record.name = 'drafted';
    record.trainedRangeDraft = { data: 'domain-randomised stacks', pixelNm: [1.5, 5] };
    record.trainedRangeExtra = { otsuChordPx: [6, 30] };
    writeFileSync(join(tmp.dir, 'drafted.training.json'), JSON.stringify(record));
    execFileSync(PYTHON, [join(REPO, 'training/cards.py'), '--data', data, join(tmp.dir, 'drafted.training.json')], { cwd: REPO, stdio: 'pipe' });
    const card = parseModelCard(JSON.parse(readFileSync(join(tmp.dir, 'drafted.json'), 'utf8')));
    expect(card.trainedRange).toEqual({ data: 'domain-randomised stacks', pixelNm: [1.5, 5], otsuChordPx: [6, 30] });
  }, 60_000);
});
