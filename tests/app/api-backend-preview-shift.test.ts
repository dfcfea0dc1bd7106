// Two read-only helpers of the wizard through the backend: previewStackSlice
// (a slice of a TIFF not yet imported, data bar cut as the import cuts it;
// the Import step draws the region of interest on it) and measureChannelShift
// (phase correlation of two volumes' slice z; the Registration step's
// cross-channel check), on TIFFs written by the app's TIFF writer.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { writeTiffStack } from '../../src-main/tiff-write';
import type { ChannelShift, JobEvent, StackSlicePreview, VolumeSummary } from '../../src-shared/contract';
import { finished, value } from './backend-helpers';
import { blobImage } from '../helpers/blob-stack';
import { tempDir } from '../helpers/python';

let backend: ApiBackend;
let root: string;
let cleanup: () => void;
const events: JobEvent[] = [];

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  const { createApiBackend } = await import('../../src-main/app/api-backend');
  backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
  backend.onJobEvent((e) => events.push(e));
});

afterAll(async () => {
  await backend?.dispose();
  cleanup();
});

const W = 40;
const IMAGE_ROWS = 30;
const H = 36; // 6 rows of data bar
const FEI_INI = ['[Beam]', 'HV=2000', '[Scan]', 'PixelWidth=2.5e-009', 'PixelHeight=2.5e-009', '[Image]', 'ResolutionX=40', `ResolutionY=${IMAGE_ROWS}`, ''].join('\r\n');
const pixel = (x: number, y: number, z: number) => (y >= IMAGE_ROWS ? 4000 : 100 * z + 7 * x + 13 * y);

describe('previewStackSlice', () => {
  const file = () => join(root, 'fei.tif');
  beforeAll(async () => {
    const slices = [0, 1, 2].map((z) => Uint16Array.from({ length: W * H }, (_, i) => pixel(i % W, Math.floor(i / W), z)));
    await writeTiffStack(file(), { shape: [3, H, W], dtype: 'uint16', voxelSizeNm: { x: 2.5, y: 2.5, z: 10 } }, slices, { extraTags: [{ tag: 34682, text: FEI_INI }] });
  });

  it('returns slice z without the data bar, stretched over its own range, at full size', async () => {
    const p = value<StackSlicePreview>(await backend.call('previewStackSlice', { paths: [file()], z: 2, maxSize: 4096 }));
    expect(p).toMatchObject({ axis: 'xy', index: 2, width: W, height: IMAGE_ROWS, imageWidth: W, imageHeight: IMAGE_ROWS, dataBarRows: 6, slices: 3, pixelSizeKnown: true });
    expect(p.pixelNm.u).toBeCloseTo(2.5, 9);
    expect(p.pixelNm.v).toBeCloseTo(2.5, 9);
    const min = pixel(0, 0, 2);
    const max = pixel(W - 1, IMAGE_ROWS - 1, 2);
    expect([p.min, p.max]).toEqual([min, max]);
    const bytes = Buffer.from(p.grey8Base64, 'base64');
    expect(bytes.length).toBe(W * IMAGE_ROWS);
    for (const [x, y] of [[0, 0], [5, 3], [W - 1, IMAGE_ROWS - 1], [17, 22]]) expect(bytes[y * W + x]).toBe(Math.round(((pixel(x, y, 2) - min) * 255) / (max - min)));
  });

  it('keeps the data bar when asked, defaults to the middle slice and downsamples to maxSize', async () => {
    const full = value<StackSlicePreview>(await backend.call('previewStackSlice', { paths: [file()], cropDataBar: false, maxSize: 4096 }));
    expect(full).toMatchObject({ index: 1, height: H, imageHeight: H, dataBarRows: 0, max: 4000 });
    const small = value<StackSlicePreview>(await backend.call('previewStackSlice', { paths: [file()], maxSize: 20 }));
    expect([small.width, small.height, small.imageWidth, small.imageHeight]).toEqual([20, 15, W, IMAGE_ROWS]);
    expect(small.pixelNm.u).toBeCloseTo(5, 9);
  });

  it('refuses a slice past the end and a malformed request with messages', async () => {
    const past = await backend.call('previewStackSlice', { paths: [file()], z: 3 });
    expect(!past.ok && past.error.message).toMatch(/has 3 slices; slice 3 does not exist/);
    const bad = await backend.call('previewStackSlice', { paths: [], z: -1 });
    expect(!bad.ok && bad.error.tag).toBe('invalid_input');
    const missing = await backend.call('previewStackSlice', { paths: [join(root, 'nope.tif')] });
    expect(!missing.ok && missing.error.tag).toBe('file_not_found');
  });
});

describe('measureChannelShift', () => {
  const [BW, BH] = [96, 80];
  const offset = { y: 2, x: -3 };
  beforeAll(async () => {
    const info = { shape: [2, BH, BW] as const, dtype: 'uint16' as const, voxelSizeNm: { x: 5, y: 4, z: 10 } };
    await writeTiffStack(join(root, 'a.tif'), info, [0, 1].map((z) => blobImage(BW, BH, z, 0, 20000)));
    await writeTiffStack(join(root, 'b.tif'), info, [0, 1].map((z) => blobImage(BW, BH, z + offset.y, offset.x, 12000)));
    value(await backend.call('createProject', { path: join(root, 'shift.fibrecon') }));
    const { jobId } = value<{ jobId: string }>(await backend.call('startImport', { channels: [{ name: 'A', paths: [join(root, 'a.tif')] }, { name: 'B', paths: [join(root, 'b.tif')] }] }));
    expect((await finished(events, jobId)).type).toBe('done');
  }, 60_000);

  it('finds the known offset between the channels in px and nm, and none between a volume and itself', async () => {
    const s = value<ChannelShift>(await backend.call('measureChannelShift', { reference: 'A', moving: 'B', z: 1 }));
    // The translation that brings B onto A undoes the offset.
    expect(Math.abs(s.dyPx + offset.y)).toBeLessThan(0.1);
    expect(Math.abs(s.dxPx + offset.x)).toBeLessThan(0.1);
    expect(s.dxNm).toBeCloseTo(s.dxPx * 5, 9);
    expect(s.dyNm).toBeCloseTo(s.dyPx * 4, 9);
    const self = value<ChannelShift>(await backend.call('measureChannelShift', { reference: 'A', moving: 'A', z: 0 }));
    expect([self.dxPx, self.dyPx]).toEqual([0, 0]);
    expect(self.peak).toBeGreaterThan(s.peak);
  });

  it('refuses a slice past the end and an unknown volume', async () => {
    const vols = value<VolumeSummary[]>(await backend.call('listVolumes', undefined));
    expect(vols.map((v) => v.name).sort()).toEqual(['A', 'B']);
    const past = await backend.call('measureChannelShift', { reference: 'A', moving: 'B', z: 2 });
    expect(!past.ok && past.error.message).toMatch(/2 slices in common; slice 2 does not exist/);
    const unknown = await backend.call('measureChannelShift', { reference: 'A', moving: 'C', z: 0 });
    expect(unknown.ok).toBe(false);
  });
});
