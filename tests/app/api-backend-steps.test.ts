// The backend behind the UI (the same object the Electron IPC handlers and the HTTP
// bridge wrap): import, segmentation (classical and ONNX model by name) and
// reconstruction as jobs in worker threads, the volume list, orthogonal planes, the
// model list, and validation of requests where they enter.
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished as waitForEnd, value } from './backend-helpers';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import type { JobEvent, PlaneImage, VolumeData, VolumeSummary } from '../../src-shared/contract';
import { downsample } from '../../src-shared/downsample';
import { leveledWaveStructure } from '../../src-main/synth';
import { writeTiffStack } from '../../src-main/tiff-write';
import { buildTestModels, type TestModels } from '../fixtures/onnx/models';
import { tempDir } from '../helpers/python';

let backend: ApiBackend;
let root: string;
let cleanup: () => void;
let models: TestModels;
const events: JobEvent[] = [];
const NZ = 8;
const NY = 20;
const NX = 24;
let grey: Uint8Array[];


const finished = (jobId: string) => waitForEnd(events, jobId);
const REPO_MODELS = join(resolve(__dirname, '../..'), 'models');

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  models = buildTestModels();
  process.env.FIBRECON_MODELS_DIR = models.dir;
  const { createApiBackend } = await import('../../src-main/app/api-backend');
  backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
  backend.onJobEvent((e) => events.push(e));
  // A grey stack: 60 + 120 * structure, so Otsu recovers the structure exactly.
  const s = leveledWaveStructure({ shape: [NZ, NY, NX], voxelSizeNm: 5, wavelengthNm: 40, waves: 30, seed: 4, solidFraction: 0.4 });
  grey = s.slices.map((p) => Uint8Array.from(p, (v) => 60 + 120 * v));
  const stack = join(root, 'g.tif');
  await writeTiffStack(stack, { shape: [NZ, NY, NX], dtype: 'uint8', voxelSizeNm: { x: 5, y: 5, z: 20 } }, grey);
  value(await backend.call('createProject', { path: join(root, 'p.fibrecon') }));
  const { jobId } = value<{ jobId: string }>(await backend.call('startImport', { channels: [{ name: 'grey', paths: [stack] }], overrides: { pixelSizeXNm: 5, pixelSizeYNm: 5, sliceSpacingNm: 20 } }));
  expect((await finished(jobId)).type).toBe('done');
}, 120_000);

afterAll(async () => {
  await backend?.dispose();
  models.cleanup();
  cleanup();
  delete process.env.FIBRECON_MODELS_DIR;
});

describe('api backend: pipeline steps as jobs', () => {
  it('segments with Otsu and with a model by name, lists the volumes with how they were made', async () => {
    const otsu = value<{ jobId: string }>(await backend.call('startSegment', { volume: 'grey', method: 'otsu', out: 'labels' }));
    const e1 = await finished(otsu.jobId);
    expect(e1.type).toBe('done');
    expect(e1.kind).toBe('segment');
    expect(events.some((e) => e.jobId === otsu.jobId && e.type === 'progress')).toBe(true);
    const ml = value<{ jobId: string }>(await backend.call('startSegment', { volume: 'grey', method: 'model', model: 'pointwise', out: 'ml' }));
    const e2 = await finished(ml.jobId);
    expect(e2.type === 'done' && e2.message).toMatch(/model "pointwise" on CPU/);
    const vols = value<VolumeSummary[]>(await backend.call('listVolumes', undefined));
    const byName = new Map(vols.map((v) => [v.name, v]));
    expect(byName.get('grey')?.role).toBe('channel');
    expect(byName.get('labels')).toMatchObject({ role: 'derived', kind: 'labels', shape: [NZ, NY, NX], dtype: 'uint8' });
    expect(byName.get('labels')?.metadata.method).toBe('otsu');
    expect((byName.get('ml')?.metadata.model as { ep: string }).ep).toBe('cpu');
    expect(byName.get('labels')?.voxelSizeNm).toEqual({ x: 5, y: 5, z: 20 });
  }, 120_000);

  it('planes: xy, xz and yz of the grey and label volumes hold the right voxels and physical pixel sizes', async () => {
    const xz = value<PlaneImage>(await backend.call('getPlane', { volume: 'labels', axis: 'xz', index: 7 }));
    expect([xz.width, xz.height, xz.pixelNm.u, xz.pixelNm.v]).toEqual([NX, NZ, 5, 20]);
    const px = Buffer.from(xz.grey8Base64, 'base64');
    for (let z = 0; z < NZ; z++) for (let x = 0; x < NX; x++) expect(px[z * NX + x]).toBe(grey[z][7 * NX + x] > 120 ? 255 : 0);
    const yz = value<PlaneImage>(await backend.call('getPlane', { volume: 'grey', axis: 'yz', index: 3 }));
    expect([yz.width, yz.height, yz.min, yz.max]).toEqual([NY, NZ, 60, 180]);
    const g = Buffer.from(yz.grey8Base64, 'base64');
    for (let z = 0; z < NZ; z++) for (let y = 0; y < NY; y++) expect(g[z * NY + y]).toBe(grey[z][y * NX + 3] === 180 ? 255 : 0);
    const xy = value<PlaneImage>(await backend.call('getPlane', { volume: 'grey', axis: 'xy', index: 2, maxSize: 12 }));
    expect([xy.width, xy.height, xy.pixelNm.u]).toEqual([12, 10, 10]);
    const bad = await backend.call('getPlane', { volume: 'grey', axis: 'xz', index: NY });
    expect(!bad.ok && bad.error.message).toMatch(/has 20 rows; plane 20 does not exist/);
  });

  it('volume data for the 3D view: labels 0/1 at full size, grey scaled, downsampled to a budget by the viewer\'s rule', async () => {
    const full = value<VolumeData>(await backend.call('getVolumeData', { volume: 'labels' }));
    expect([full.shape, full.factors, full.kind]).toEqual([[NZ, NY, NX], [1, 1, 1], 'labels']);
    const bytes = Buffer.from(full.dataBase64, 'base64');
    grey.forEach((s, z) => s.forEach((g, i) => expect(bytes[z * NY * NX + i]).toBe(g > 120 ? 1 : 0)));
    const small = value<VolumeData>(await backend.call('getVolumeData', { volume: 'labels', maxBytes: 4096, maxTexture3D: 16 }));
    expect(small.factors).not.toEqual([1, 1, 1]);
    const ref = downsample(new Uint8Array(bytes), [NZ, NY, NX], small.factors, 'labels');
    expect(small.shape).toEqual(ref.shape);
    expect(Buffer.from(small.dataBase64, 'base64').equals(Buffer.from(ref.data))).toBe(true);
    expect(small.voxelSizeNm).toEqual({ x: 5 * small.factors[2], y: 5 * small.factors[1], z: 20 * small.factors[0] });
    const g = value<VolumeData>(await backend.call('getVolumeData', { volume: 'grey' }));
    expect(Buffer.from(g.dataBase64, 'base64')[0]).toBe(grey[0][0]);
  });

  it('reconstructs the labels onto a 5 nm grid through the signed distance; lists the models', async () => {
    const r = value<{ jobId: string }>(await backend.call('startReconstruct', { volume: 'labels', method: 'cubic', out: 'rcs' }));
    const e = await finished(r.jobId);
    expect(e.type === 'done' && e.message).toMatch(/Wrote "rcs": 29 planes of 5 nm from 8 slices .*signed distance/);
    const rcs = value<VolumeSummary[]>(await backend.call('listVolumes', undefined)).find((v) => v.name === 'rcs');
    expect(rcs).toMatchObject({ kind: 'labels', shape: [29, NY, NX], voxelSizeNm: { x: 5, y: 5, z: 5 } });
    expect(rcs?.metadata).toMatchObject({ source: 'labels', method: 'cubic', binaryInterpolant: 'distance', planes: 29 });
    const names = value<{ name: string; kind: string; inputSlices: number }[]>(await backend.call('listModels', undefined)).map((m) => `${m.name}:${m.kind}:${m.inputSlices}`);
    expect(names).toContain('pointwise:segmentation-2d:1');
    expect(names).toContain('window7:segmentation-2.5d:7');
  }, 120_000);

  it('ML inpainting runs as a job in a worker with the shipped model; progress reported; the record names model and EP', async () => {
    for (const ext of ['.onnx', '.json']) copyFileSync(join(REPO_MODELS, `inpaint-small${ext}`), join(models.dir, `inpaint-small${ext}`));
    const r = value<{ jobId: string }>(await backend.call('startReconstruct', { volume: 'labels', method: 'ml', model: 'inpaint-small', ep: 'cpu', out: 'rml' }));
    const e = await finished(r.jobId);
    expect(e.type === 'done' && e.message).toMatch(/Wrote "rml": 29 planes of 5 nm from 8 slices \(ml\).*gaps inpainted by inpaint-small on CPU/);
    expect(events.filter((x) => x.jobId === r.jobId && x.type === 'progress' && /ML inpainting, z[xy] planes/.test(x.message ?? '')).length).toBeGreaterThan(0);
    const rml = value<VolumeSummary[]>(await backend.call('listVolumes', undefined)).find((v) => v.name === 'rml');
    expect(rml).toMatchObject({ kind: 'labels', shape: [29, NY, NX] });
    expect(rml?.metadata).toMatchObject({ method: 'ml', model: { name: 'inpaint-small', ep: 'cpu' } });
    expect((rml?.metadata.measuredPlanes as number[]).length).toBe(8);
  }, 120_000);

  it('refuses bad requests where they enter, with a message, and reports failed jobs', async () => {
    const noModel = await backend.call('startSegment', { volume: 'grey', method: 'model', out: 'x' });
    expect(!noModel.ok && noModel.error).toMatchObject({ tag: 'invalid_input' });
    expect(!noModel.ok && noModel.error.message).toMatch(/choose a model/);
    const badMethod = await backend.call('startReconstruct', { volume: 'grey', method: 'bicubic', out: 'x' });
    expect(!badMethod.ok && badMethod.error.tag).toBe('invalid_input');
    const dup = value<{ jobId: string }>(await backend.call('startSegment', { volume: 'grey', method: 'otsu', out: 'labels' }));
    const e = await finished(dup.jobId);
    expect(e.type === 'failed' && e.error.message).toMatch(/already has a volume named "labels"/);
  }, 60_000);
});
