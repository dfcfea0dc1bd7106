// The Thickness and Registration steps as jobs through the backend the UI uses,
// on real projects: the stored thickness series equals what the thickness module
// computes directly from the synthetic sample's ProjectData.dat and what
// `fibrecon thickness` stores; applying moves the slices to the measured z;
// registration undoes a known drift (shifted crops of one texture) within 0.1 px
// and keeps the translations in the new volume's metadata, as the CLI does.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished as waitForEnd, value } from './backend-helpers';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { openProject } from '../../src-main/project/open-project';
import { getVolume } from '../../src-main/project/volume-store';
import { fitGamma, flagThickness, getThicknessTable, listThicknessTables, matchSliceCount, parseAsvProjectData, parseThicknessTable, resolveFlaggedThickness, summarizeThickness, zPositionsNmFromThickness } from '../../src-main/thickness';
import { writeTiffStack } from '../../src-main/tiff-write';
import type { JobEvent, ThicknessSeries, VolumeSummary } from '../../src-shared/contract';
import { cliOk } from '../cli/run-cli';
import { random } from '../helpers/random';
import { tempDir } from '../helpers/python';

let backend: ApiBackend;
let root: string;
let cleanup: () => void;
const events: JobEvent[] = [];
let sample: { files: { stacks: { path: string }[]; projectData: string; thicknessRuler: string } };
const SLICES = 8;


const finished = (jobId: string) => waitForEnd(events, jobId);

async function job(method: 'startImport' | 'startThickness' | 'startRegister', req: unknown): Promise<JobEvent> {
  const { jobId } = value<{ jobId: string }>(await backend.call(method, req));
  return finished(jobId);
}

const close = (got: number | null, want: number | null, tol = 1e-9) => {
  if (want === null) expect(got).toBeNull();
  else expect(Math.abs((got as number) - want)).toBeLessThanOrEqual(tol);
};

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  const { createApiBackend } = await import('../../src-main/app/api-backend');
  backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
  backend.onJobEvent((e) => events.push(e));
  sample = JSON.parse(await cliOk(['synth', join(root, 'sample'), '--columns', '64', '--rows', '48', '--slices', String(SLICES), '--json']));
}, 120_000);

afterAll(async () => {
  await backend?.dispose();
  cleanup();
});

describe('api backend: Thickness step', () => {
  const project = () => join(root, 'thick.fibrecon');
  beforeAll(async () => {
    value(await backend.call('createProject', { path: project() }));
    expect((await job('startImport', { channels: [{ name: '2kV', paths: [sample.files.stacks[1].path] }] })).type).toBe('done');
  }, 60_000);

  it('has no series before a thickness job', async () => {
    expect(value<ThicknessSeries | null>(await backend.call('getThickness', { volume: '2kV' }))).toBeNull();
  });

  it('imports ProjectData.dat and applies it: the thickness module\'s numbers, the slices at the measured z, as the CLI stores them', async () => {
    const e = await job('startThickness', { volume: '2kV', source: { asv: sample.files.projectData }, apply: true });
    expect(e.type, JSON.stringify(e)).toBe('done');
    expect(e.kind).toBe('thickness');
    expect(e.type === 'done' && e.message).toMatch(/^Thickness table \d+ for "2kV": 7 values, mean [\d.]+ nm, sd [\d.]+ nm .*; applied as the z positions of the slices\.$/);
    const s = value<ThicknessSeries>(await backend.call('getThickness', { volume: '2kV' }));
    // Directly from the thickness module, with the defaults (NaN and tiny interpolated, outliers kept).
    const parsed = parseAsvProjectData(readFileSync(sample.files.projectData, 'utf8'), 'ProjectData.dat');
    const matched = matchSliceCount(parsed, SLICES);
    const flags = flagThickness(matched.thicknessNm);
    const resolved = resolveFlaggedThickness(matched.thicknessNm, flags.flags, { nan: 'interpolate', tiny: 'interpolate', outlier: 'keep' }, { targetNm: matched.targetNm });
    expect(s.thicknessNm).toHaveLength(SLICES - 1);
    s.thicknessNm.forEach((t, i) => close(t, resolved.thicknessNm[i]));
    expect(s.flags).toEqual(flags.flags);
    expect(s.targetNm).toEqual(matched.targetNm);
    expect(s.source).toBe('asv');
    expect(s.applied).toBe(true);
    const stats = summarizeThickness(resolved.thicknessNm);
    for (const k of ['meanNm', 'sdNm', 'minNm', 'maxNm', 'medianNm'] as const) close(s.statistics[k], stats[k]);
    const gamma = fitGamma(resolved.thicknessNm);
    close(s.gamma!.shape, gamma.shape, 1e-9);
    close(s.gamma!.scaleNm, gamma.scaleNm, 1e-9);
    // Applied: z positions from the thicknesses, voxel z = their mean.
    const z = zPositionsNmFromThickness(resolved.thicknessNm);
    s.zPositionsNm.forEach((v, i) => close(v, z[i], 1e-6));
    const vol = value<VolumeSummary[]>(await backend.call('listVolumes', undefined)).find((v) => v.name === '2kV')!;
    close(vol.voxelSizeNm.z, stats.meanNm, 1e-9);

    // The CLI on its own project stores the same series and z positions.
    const cliProject = join(root, 'cli.fibrecon');
    await cliOk(['create', cliProject]);
    await cliOk(['import', cliProject, `--channel=2kV=${sample.files.stacks[1].path}`]);
    const r = JSON.parse(await cliOk(['thickness', cliProject, '--volume', '2kV', '--asv', sample.files.projectData, '--apply', '--json']));
    for (const k of ['meanNm', 'sdNm'] as const) close(r.statistics[k], s.statistics[k]);
    const p = openProject(cliProject, { write: false });
    try {
      const t = getThicknessTable(p.db, listThicknessTables(p.db).at(-1)!.id);
      expect(t.values.map((v) => v.thicknessNm)).toEqual(s.thicknessNm);
      expect(t.values.map((v) => v.flag)).toEqual(s.flags);
      expect(getVolume(p.db, '2kV').zPositionsNm).toEqual(s.zPositionsNm);
    } finally {
      p.close();
    }
  }, 120_000);

  it('imports a table with chosen resolutions without applying it; the latest series is shown', async () => {
    const before = value<ThicknessSeries>(await backend.call('getThickness', { volume: '2kV' }));
    const e = await job('startThickness', { volume: '2kV', source: { table: sample.files.thicknessRuler, unit: 'nm' }, resolve: { outliers: 'median' }, apply: false });
    expect(e.type, JSON.stringify(e)).toBe('done');
    const s = value<ThicknessSeries>(await backend.call('getThickness', { volume: '2kV' }));
    expect(s.tableId).toBeGreaterThan(before.tableId);
    expect(s.applied).toBe(false);
    const parsed = matchSliceCount(parseThicknessTable(readFileSync(sample.files.thicknessRuler, 'utf8'), { source: 'ruler', unit: 'nm', fileName: 'x.csv' }), SLICES);
    const flags = flagThickness(parsed.thicknessNm);
    const resolved = resolveFlaggedThickness(parsed.thicknessNm, flags.flags, { nan: 'interpolate', tiny: 'interpolate', outlier: 'median' }, { targetNm: before.zPositionsNm[1] - before.zPositionsNm[0] });
    s.thicknessNm.forEach((t, i) => close(t, resolved.thicknessNm[i]));
    // Not applied: z positions unchanged.
    expect(s.zPositionsNm).toEqual(before.zPositionsNm);
  }, 60_000);

  it('fails with a clear message for a missing file and refuses a bad request', async () => {
    const e = await job('startThickness', { volume: '2kV', source: { asv: join(root, 'nope.dat') }, apply: false });
    expect(e.type).toBe('failed');
    expect(e.type === 'failed' && e.error).toMatchObject({ tag: 'file_not_found' });
    const bad = await backend.call('startThickness', { volume: '2kV', source: { asv: 'x', table: 'y' }, apply: false });
    expect(bad.ok).toBe(false);
    const badRes = await backend.call('startThickness', { volume: '2kV', source: { asv: 'x' }, resolve: { nan: 'drop' }, apply: false });
    expect(badRes.ok).toBe(false);
  }, 60_000);
});

const W = 128;
const H = 96;

/** A textured image with sharp edges, its content moved by (sy, sx): a crop of one larger texture. */
function image(sy: number, sx: number, contrast: number): Uint16Array {
  const r = random(42);
  const blobs = Array.from({ length: 60 }, () => ({ y: r() * H * 1.4 - 0.2 * H, x: r() * W * 1.4 - 0.2 * W, s: 3 + 6 * r(), a: r() }));
  const out = new Uint16Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let v = 0;
      for (const b of blobs) v += b.a * Math.exp(-(((y - sy - b.y) ** 2 + (x - sx - b.x) ** 2) / (2 * b.s * b.s)));
      out[y * W + x] = Math.round(1000 + contrast * (v > 0.45 ? 1 : 0.2));
    }
  return out;
}

describe('api backend: Registration step', () => {
  const drift = [
    [0, 0],
    [1, -2],
    [3, -1],
    [2, 2],
    [4, 3],
  ];
  const offset = [2, -3];
  beforeAll(async () => {
    const info = { shape: [5, H, W] as const, dtype: 'uint16' as const, voxelSizeNm: { x: 5, y: 5, z: 10 } };
    await writeTiffStack(join(root, '2kV.tif'), info, drift.map(([sy, sx]) => image(sy, sx, 20000)));
    await writeTiffStack(join(root, '4kV.tif'), info, drift.map(([sy, sx]) => image(sy + offset[0], sx + offset[1], 12000)));
    value(await backend.call('createProject', { path: join(root, 'reg.fibrecon') }));
    const e = await job('startImport', {
      channels: [
        { name: '2kV', paths: [join(root, '2kV.tif')] },
        { name: '4kV', paths: [join(root, '4kV.tif')] },
      ],
    });
    expect(e.type).toBe('done');
  }, 60_000);

  it('undoes a known drift within 0.1 px, stores the translations in the new volumes\' metadata, as the CLI does', async () => {
    const e = await job('startRegister', { volumes: ['2kV', '4kV'], reference: '2kV' });
    expect(e.type, JSON.stringify(e)).toBe('done');
    expect(e.kind).toBe('register');
    expect(e.type === 'done' && e.message).toMatch(/^Registered "2kV", "4kV" onto "2kV"; common valid area/);
    const vols = value<VolumeSummary[]>(await backend.call('listVolumes', undefined));
    const reg = vols.find((v) => v.name === '2kV-reg')!;
    const reg4 = vols.find((v) => v.name === '4kV-reg')!;
    expect(reg.metadata).toMatchObject({ registeredFrom: '2kV', reference: '2kV' });
    const t2 = reg.metadata.translationsPx as { dy: number; dx: number }[];
    const t4 = reg4.metadata.translationsPx as { dy: number; dx: number }[];
    drift.forEach(([sy, sx], i) => {
      expect(Math.abs(t2[i].dy + sy)).toBeLessThan(0.1);
      expect(Math.abs(t2[i].dx + sx)).toBeLessThan(0.1);
      expect(Math.abs(t4[i].dy + sy + offset[0])).toBeLessThan(0.1);
      expect(Math.abs(t4[i].dx + sx + offset[1])).toBeLessThan(0.1);
    });
    const crop = reg.metadata.crop as { width: number; height: number };
    expect(reg.shape).toEqual([5, crop.height, crop.width]);
    // The CLI on the same stacks finds the same translations.
    const cliProject = join(root, 'cli-reg.fibrecon');
    await cliOk(['create', cliProject]);
    await cliOk(['import', cliProject, `--channel=2kV=${join(root, '2kV.tif')}`, `--channel=4kV=${join(root, '4kV.tif')}`]);
    const r = JSON.parse(await cliOk(['register', cliProject, '--volume', '2kV,4kV', '--reference', '2kV', '--json']));
    expect(r.channels['2kV'].translationsPx).toEqual(t2);
    expect(r.channels['4kV'].translationsPx).toEqual(t4);
    expect(r.crop).toEqual(reg.metadata.crop);
  }, 120_000);

  it('refuses a reference outside the volumes and a second run onto existing names', async () => {
    const e = await job('startRegister', { volumes: ['4kV'], reference: '2kV' });
    expect(e.type === 'failed' && e.error.message).toMatch(/not among the volumes/);
    const again = await job('startRegister', { volumes: ['2kV'] });
    expect(again.type === 'failed' && again.error.message).toMatch(/already has "2kV-reg"/);
  }, 60_000);
});
