// The Segmentation step's preview (previewSegmentation): slice z segmented alone
// (in a worker thread) must equal slice z of the full run over the stack, for a
// classical method (thresholds from the whole stack's histogram) and for the
// shipped models (2D, and 2.5D whose window is cut around z).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished as waitForEnd, value } from './backend-helpers';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import type { JobEvent, PlaneImage, SegmentPreview } from '../../src-shared/contract';
import { leveledWaveStructure } from '../../src-main/synth';
import { writeTiffStack } from '../../src-main/tiff-write';
import { tempDir } from '../helpers/python';
import { random } from '../helpers/random';

let backend: ApiBackend;
let cleanup: () => void;
const events: JobEvent[] = [];
const [NZ, NY, NX] = [9, 48, 64];

beforeAll(async () => {
  let root: string;
  ({ dir: root, cleanup } = tempDir());
  delete process.env.FIBRECON_MODELS_DIR; // the shipped models/
  const { createApiBackend } = await import('../../src-main/app/api-backend');
  backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
  backend.onJobEvent((e) => events.push(e));
  // Structure plus noise, so that the whole stack's Otsu threshold differs from most single slices'.
  const s = leveledWaveStructure({ shape: [NZ, NY, NX], voxelSizeNm: 5, wavelengthNm: 40, waves: 30, seed: 7, solidFraction: 0.45 });
  const rnd = random(11);
  const grey = s.slices.map((p, z) => Uint16Array.from(p, (v) => Math.round(9000 + 12000 * v + 4000 * (rnd() + rnd() - 1) + 300 * z)));
  const stack = join(root, 'g.tif');
  await writeTiffStack(stack, { shape: [NZ, NY, NX], dtype: 'uint16', voxelSizeNm: { x: 5, y: 5, z: 10 } }, grey);
  value(await backend.call('createProject', { path: join(root, 'p.fibrecon') }));
  const { jobId } = value<{ jobId: string }>(await backend.call('startImport', { channels: [{ name: 'grey', paths: [stack] }], overrides: { pixelSizeXNm: 5, pixelSizeYNm: 5, sliceSpacingNm: 10 } }));
  expect((await waitForEnd(events, jobId)).type).toBe('done');
}, 120_000);

afterAll(async () => {
  await backend?.dispose();
  cleanup?.();
});

async function fullRun(req: Record<string, unknown>, out: string): Promise<void> {
  const { jobId } = value<{ jobId: string }>(await backend.call('startSegment', { volume: 'grey', ...req, out }));
  const end = await waitForEnd(events, jobId);
  expect(end.type, JSON.stringify(end)).toBe('done');
}

async function runSlice(out: string, z: number): Promise<Uint8Array> {
  const p = value<PlaneImage>(await backend.call('getPlane', { volume: out, axis: 'xy', index: z, maxSize: 4096 }));
  return Uint8Array.from(Buffer.from(p.grey8Base64, 'base64'), (v) => (v > 0 ? 1 : 0));
}

async function preview(req: Record<string, unknown>, z: number): Promise<{ p: SegmentPreview; labels: Uint8Array }> {
  const p = value<SegmentPreview>(await backend.call('previewSegmentation', { volume: 'grey', z, ...req }));
  return { p, labels: new Uint8Array(Buffer.from(p.labelsBase64, 'base64')) };
}

function fraction(labels: Uint8Array): number {
  return labels.reduce((a, v) => a + v, 0) / labels.length;
}

describe('previewSegmentation', () => {
  it.each([
    ['otsu', { method: 'otsu' }],
    ['hybrid', { method: 'hybrid' }],
  ])('%s: slice z of the preview equals slice z of the full run; the threshold is the run\'s (whole stack)', async (name, req) => {
    await fullRun(req, `run-${name}`);
    const vols = value<{ name: string; metadata: Record<string, unknown> }[]>(await backend.call('listVolumes', undefined));
    const meta = vols.find((v) => v.name === `run-${name}`)!.metadata;
    for (const z of [0, 4, NZ - 1]) {
      const { p, labels } = await preview(req, z);
      expect([p.width, p.height, p.z, labels.length]).toEqual([NX, NY, z, NX * NY]);
      expect(p.thresholds).toEqual(meta.thresholds);
      expect(p.slicesRead).toEqual([0, NZ - 1]);
      expect(Array.from(labels)).toEqual(Array.from(await runSlice(`run-${name}`, z)));
      expect(p.solidFraction).toBeCloseTo(fraction(labels), 12);
      expect(p.solidFraction).toBeGreaterThan(0.2);
      expect(p.solidFraction).toBeLessThan(0.8);
    }
  }, 120_000);

  it.each([
    ['unet2d-2kv', [4, 4]],
    ['unet25d-w5-2kv', [2, 6]],
  ] as const)('model %s: the preview equals slice z of the full run, reading only the window around z', async (model, window) => {
    const req = { method: 'model', model, ep: 'cpu' };
    await fullRun(req, `run-${model}`);
    for (const z of [0, 4, NZ - 1]) {
      const { p, labels } = await preview(req, z);
      expect(p.model?.name).toBe(model);
      expect(Array.from(labels)).toEqual(Array.from(await runSlice(`run-${model}`, z)));
      if (z === 4) expect(p.slicesRead).toEqual(window);
    }
  }, 300_000);

  it('rejects a model request without a model and a slice outside the stack, with messages to act on', async () => {
    const noModel = await backend.call('previewSegmentation', { volume: 'grey', z: 0, method: 'model' });
    expect(!noModel.ok && noModel.error.message).toMatch(/choose a model/);
    const far = await backend.call('previewSegmentation', { volume: 'grey', z: NZ, method: 'otsu' });
    expect(!far.ok && far.error.message).toMatch(/choose z from 0 to 8/);
  });
});
