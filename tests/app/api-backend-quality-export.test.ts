// The Quality and Export steps as jobs through the backend the UI uses, on real
// projects: the stored metrics equal the metrics module's own numbers on the same
// voxels (validated against numpy in tests/metrics), MP / MGP / MDS against a truth
// volume, curves per axis; exports to AmiraMesh and NRRD read back by our readers
// with the right voxel size; bad destinations fail with a clear message and leave
// nothing behind.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished as waitForEnd, value } from './backend-helpers';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { readAmiraMesh, readNrrd } from '../../src-main/export';
import { anisotropyMetrics, compareToTruth } from '../../src-main/metrics';
import { leveledWaveStructure } from '../../src-main/synth';
import { writeTiffStack } from '../../src-main/tiff-write';
import type { ExportFormatInfo, JobEvent } from '../../src-shared/contract';
import type { StoredMetrics } from '../../src-shared/metric-definitions';
import { tempDir } from '../helpers/python';

let backend: ApiBackend;
let root: string;
let cleanup: () => void;
const events: JobEvent[] = [];
// Isotropic 5 nm voxels: the isotropy metrics need them.
const SHAPE: [number, number, number] = [12, 20, 24];
const PX = 5;
const structure = (seed: number) => leveledWaveStructure({ shape: SHAPE, voxelSizeNm: PX, wavelengthNm: 40, waves: 30, seed, solidFraction: 0.4 });
let a: ReturnType<typeof structure>;
let b: ReturnType<typeof structure>;


const finished = (jobId: string) => waitForEnd(events, jobId);

async function job(method: 'startImport' | 'startSegment' | 'startMetrics' | 'startExport', req: unknown): Promise<JobEvent> {
  const { jobId } = value<{ jobId: string }>(await backend.call(method, req));
  return finished(jobId);
}

async function importGrey(name: string, s: ReturnType<typeof structure>): Promise<void> {
  const path = join(root, `${name}.tif`);
  const grey = s.slices.map((p) => Uint8Array.from(p, (v) => 60 + 120 * v));
  await writeTiffStack(path, { shape: SHAPE, dtype: 'uint8', voxelSizeNm: { x: PX, y: PX, z: PX } }, grey);
  const e = await job('startImport', { channels: [{ name, paths: [path] }], overrides: { pixelSizeXNm: PX, pixelSizeYNm: PX, sliceSpacingNm: PX } });
  expect(e.type).toBe('done');
}

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  const { createApiBackend } = await import('../../src-main/app/api-backend');
  backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
  backend.onJobEvent((e) => events.push(e));
  a = structure(4);
  b = structure(7);
  value(await backend.call('createProject', { path: join(root, 'p.fibrecon') }));
  await importGrey('grey', a);
  await importGrey('other', b);
  // Otsu recovers the structures exactly (grey 60 / 180).
  expect((await job('startSegment', { volume: 'grey', method: 'otsu', out: 'labels' })).type).toBe('done');
  expect((await job('startSegment', { volume: 'other', method: 'otsu', out: 'truth' })).type).toBe('done');
}, 120_000);

afterAll(async () => {
  await backend?.dispose();
  cleanup();
});

describe('api backend: Quality step', () => {
  it('stores the metrics of a label volume: the metrics module\'s numbers on the same voxels, with units and curves', async () => {
    const e = await job('startMetrics', { volume: 'labels', rMaxNm: 20 });
    expect(e.type === 'done' && e.message, JSON.stringify(e)).toMatch(/^Quality of "labels": e_TPCF \d\.\d{4}, e_LPF \d\.\d{4}, e_D \d\.\d{4}, D_xy [\d.]+ nm\.$/);
    expect(e.kind).toBe('metrics');
    const stored = value<StoredMetrics[]>(await backend.call('listMetrics', undefined));
    expect(stored).toHaveLength(1);
    const m = stored[0];
    expect(m).toMatchObject({ volume: 'labels', truth: null });
    expect(Date.parse(m.when)).toBeGreaterThan(Date.now() - 600_000);
    const ref = anisotropyMetrics({ shape: SHAPE, dtype: 'uint8', voxelSizeNm: { x: PX, y: PX, z: PX }, slices: a.slices }, { rMaxVoxels: 4 });
    const got = Object.fromEntries(m.values.map((v) => [v.name, v]));
    expect(Object.keys(got)).toEqual(['solid_fraction', 'e_tpcf', 'e_lpf', 'e_d', 'd_xy', 'd_xz', 'd_yz']);
    expect(got.solid_fraction.value).toBeCloseTo(ref.solidFraction, 12);
    expect(got.e_tpcf.value).toBeCloseTo(ref.eTpcf, 12);
    expect(got.e_lpf.value).toBeCloseTo(ref.eLpf, 12);
    expect(got.e_d.value).toBeCloseTo(ref.eD, 12);
    expect(got.d_xy).toMatchObject({ unit: 'nm' });
    expect(got.d_xy.value).toBeCloseTo(ref.ligamentDiameterNm.xy, 10);
    expect(got.d_xz.value).toBeCloseTo(ref.ligamentDiameterNm.xz, 10);
    expect(got.d_yz.value).toBeCloseTo(ref.ligamentDiameterNm.yz, 10);
    expect(got.e_tpcf.unit).toBe('-');
    for (const axis of ['x', 'y', 'z'] as const) {
      expect(m.curves?.tpcf[axis]).toEqual({ rNm: ref.twoPointCorrelation[axis].rNm, values: ref.twoPointCorrelation[axis].values });
      expect(m.curves?.lpf[axis]).toEqual({ rNm: ref.linealPath[axis].rNm, values: ref.linealPath[axis].values });
    }
    expect(m.curves?.tpcf.x.rNm).toEqual([0, 5, 10, 15, 20]);
  }, 60_000);

  it('MP, MGP and MDS against a truth volume; patch statistics as mean and sd', async () => {
    const e = await job('startMetrics', { volume: 'labels', truth: 'truth', patch: 10 });
    expect(e.type === 'done' && e.message, JSON.stringify(e)).toMatch(/against "truth": MP [\d.]+ %, MGP [\d.]+ %, MDS [\d.]+\.$/);
    const m = value<StoredMetrics[]>(await backend.call('listMetrics', undefined)).at(-1)!;
    expect(m).toMatchObject({ volume: 'labels', truth: 'truth', curves: null });
    const ref = compareToTruth({ shape: SHAPE, dtype: 'uint8', voxelSizeNm: { x: PX, y: PX, z: PX }, slices: a.slices }, { shape: SHAPE, dtype: 'uint8', voxelSizeNm: { x: PX, y: PX, z: PX }, slices: b.slices });
    const got = Object.fromEntries(m.values.map((v) => [v.name, v]));
    expect(got.mp).toMatchObject({ unit: '%' });
    expect(got.mp.value).toBeCloseTo(ref.misplacedPercent, 10);
    expect(got.mp.value).toBeGreaterThan(10);
    expect(got.mgp.value).toBeCloseTo(ref.misplacedSolidPercent!, 10);
    expect(got.mds.value).toBeCloseTo(ref.meanDice, 10);
    expect(got.e_tpcf.sd).toBeGreaterThanOrEqual(0);
    expect(m.params).toMatchObject({ patch: 10, truth: 'truth' });
  }, 60_000);

  it('refuses a grey volume (with a message) and a bad patch size where the request enters; stores nothing for them', async () => {
    // Grey with more than two values ('grey' itself holds two, 60 and 180, and is read as a mask: the higher value solid).
    const path = join(root, 'noisy.tif');
    const noisy = a.slices.map((p) => Uint8Array.from(p, (v, i) => 60 + 120 * v + (i % 3)));
    await writeTiffStack(path, { shape: SHAPE, dtype: 'uint8', voxelSizeNm: { x: PX, y: PX, z: PX } }, noisy);
    expect((await job('startImport', { channels: [{ name: 'noisy', paths: [path] }], overrides: { pixelSizeXNm: PX, pixelSizeYNm: PX, sliceSpacingNm: PX } })).type).toBe('done');
    const grey = await job('startMetrics', { volume: 'noisy' });
    expect(grey.type === 'failed' && grey.error.message).toMatch(/not binary.*segment it first/);
    const bad = await backend.call('startMetrics', { volume: 'labels', patch: 1 });
    expect(!bad.ok && bad.error.tag).toBe('invalid_input');
    expect(value<StoredMetrics[]>(await backend.call('listMetrics', undefined))).toHaveLength(2);
  }, 60_000);
});

describe('api backend: Export step', () => {
  it('lists the formats with what reads them and whether they hold uneven z', async () => {
    const formats = value<ExportFormatInfo[]>(await backend.call('listExportFormats', undefined));
    const am = formats.find((f) => f.id === 'amira-mesh');
    expect(am).toMatchObject({ name: 'AmiraMesh', extensions: ['.am'], supportsLabels: true, supportsNonUniformZ: false });
    expect(am?.readBy).toContain('Avizo');
    expect(formats.find((f) => f.id === 'avizo-stacked-slices')?.supportsNonUniformZ).toBe(true);
    expect(formats.map((f) => f.id)).toContain('nrrd');
  });

  it('exports the labels to AmiraMesh (as a label field) and NRRD; our readers bring back the voxels and the voxel size', async () => {
    const am = join(root, 'labels.am');
    const e1 = await job('startExport', { volume: 'labels', format: 'amira-mesh', path: am });
    expect(e1.type === 'done' && e1.message, JSON.stringify(e1)).toMatch(/^Wrote .*labels\.am: 12 slices, \d+\.\d MB \(\d+ bytes\) \(AmiraMesh, label field\); voxel size 5 x 5 x 5 nm in the header\.$/);
    const readAm = await readAmiraMesh(am);
    expect(readAm.volume.shape).toEqual(SHAPE);
    expect(readAm.volume.voxelSizeNm).toEqual({ x: PX, y: PX, z: PX });
    readAm.volume.slices.forEach((s, z) => expect(Buffer.from(s as Uint8Array).equals(Buffer.from(a.slices[z]))).toBe(true));

    const nrrd = join(root, 'grey.nrrd');
    const e2 = await job('startExport', { volume: 'grey', format: 'nrrd', path: nrrd });
    expect(e2.type === 'done' && e2.message).toMatch(/\(NRRD\); voxel size 5 x 5 x 5 nm/);
    const readN = await readNrrd(nrrd);
    expect(readN.volume.voxelSizeNm).toEqual({ x: PX, y: PX, z: PX });
    readN.volume.slices.forEach((s, z) => expect([...s]).toEqual([...a.slices[z]].map((v) => 60 + 120 * v)));
    expect(events.some((e) => e.kind === 'export' && e.type === 'progress')).toBe(true);
  }, 60_000);

  it('a folder that does not exist or an unknown format: a clear error, nothing left behind', async () => {
    const before = readdirSync(root).sort();
    const missing = join(root, 'no-such-folder', 'x.am');
    const e = await job('startExport', { volume: 'labels', format: 'amira-mesh', path: missing });
    expect(e.type === 'failed' && e.error.message).toMatch(/folder .* does not exist/);
    expect(existsSync(join(root, 'no-such-folder'))).toBe(false);
    const f = await job('startExport', { volume: 'labels', format: 'vtk', path: join(root, 'x.vtk') });
    expect(f.type === 'failed' && f.error.message).toMatch(/Unknown export format "vtk"; choose one of amira-mesh/);
    const g = await job('startExport', { volume: 'nope', format: 'nrrd', path: join(root, 'nope.nrrd') });
    expect(g.type === 'failed' && g.error.message).toMatch(/nope/);
    expect(readdirSync(root).sort()).toEqual(before);
  }, 60_000);

  it('never replaces an existing file unasked (file_exists, the file intact), replaces it with overwrite, and never the open project', async () => {
    const existing = join(root, 'existing.nrrd');
    writeFileSync(existing, 'keep me');
    const e = await job('startExport', { volume: 'grey', format: 'nrrd', path: existing });
    expect(e.type === 'failed' && e.error).toMatchObject({ tag: 'file_exists', file: existing });
    expect(e.type === 'failed' && e.error.message).toMatch(/already exists: choose another name, or replace it .*"Replace" in the Export step/);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    const ok = await job('startExport', { volume: 'grey', format: 'nrrd', path: existing, overwrite: true });
    expect(ok.type, JSON.stringify(ok)).toBe('done');
    expect((await readNrrd(existing)).volume.shape).toEqual(SHAPE);

    const projectPath = join(root, 'p.fibrecon');
    const bytes = readFileSync(projectPath);
    const p = await job('startExport', { volume: 'grey', format: 'nrrd', path: projectPath, overwrite: true });
    expect(p.type === 'failed' && p.error.message).toMatch(/is the open project/);
    expect(readFileSync(projectPath).equals(bytes)).toBe(true);
  }, 60_000);
});
