// A small project with the records that hang on volumes, for the rename and
// delete tests (storage, CLI, layer list): two imported channels, a segmentation
// of one with a classifier kept with it, a registration that wrote two volumes,
// annotations and a thickness table of "grey", a quality result of "grey-otsu"
// against "other" as the truth. Every volume is made by a recorded run.
import type Database from 'better-sqlite3';
import { createProject } from '../../src-main/project/open-project';
import { saveMetrics } from '../../src-main/project/metrics-store';
import { finishRun, startRun } from '../../src-main/project/runs';
import { setSliceAnnotation } from '../../src-main/project/annotation-store';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, insertVolume, sliceWriter } from '../../src-main/project/volume-store';
import { saveThicknessTable } from '../../src-main/thickness/thickness-store';
import { makeSlices } from './stacks';

export const FIXTURE_SHAPE: [number, number, number] = [5, 12, 16];
const VOXEL = { x: 4, y: 4, z: 10 };

async function store(db: Database.Database, name: string, kind: 'grey' | 'labels', seed: number, runId: number, role: 'channel' | 'derived', metadata: Record<string, unknown> = {}): Promise<number> {
  const [nz, ny, nx] = FIXTURE_SHAPE;
  const id = insertVolume(db, { name, role, kind, dtype: 'uint8', shape: FIXTURE_SHAPE, voxelSizeNm: VOXEL, voxelSizeSource: { x: 'test', y: 'test', z: 'test' }, metadata, runId });
  const write = sliceWriter(db, id);
  for (const [z, s] of makeSlices(nz, ny, nx, 'uint8', seed).entries()) write(z, z * VOXEL.z, await encodeSlice(kind === 'grey' ? s : s.map((v) => (v > 127 ? 1 : 0))));
  finishVolume(db, id);
  return id;
}

/** Writes the project at `path` (closed again, so a backend or the CLI can open it). */
export async function writeVolumeAdminProject(path: string): Promise<void> {
  const p = createProject(path, { name: 'volume admin', appVersion: 'test' });
  const db = p.db;
  try {
    const imp = startRun(db, 'import', { channels: [{ name: 'grey', paths: ['/data/grey.tif'] }, { name: 'other', paths: ['/data/other.tif'] }] }, 'test');
    const grey = await store(db, 'grey', 'grey', 1, imp, 'channel');
    await store(db, 'other', 'grey', 2, imp, 'channel');
    finishRun(db, imp, 'done');

    const seg = startRun(db, 'segment', { volume: 'grey', method: 'otsu', out: 'grey-otsu' }, 'test');
    const otsu = await store(db, 'grey-otsu', 'labels', 3, seg, 'derived', { method: 'otsu', source: 'grey', thresholds: [127] });
    db.prepare('INSERT INTO classifier (source_volumes_json, annotation_version, volume_id, created_at, classifier_json, estimate_json, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      JSON.stringify(['grey', 'other']),
      1,
      otsu,
      new Date().toISOString(),
      '{}',
      null,
      seg,
    );
    finishRun(db, seg, 'done');

    const reg = startRun(db, 'register', { volumes: ['grey', 'other'], reference: 'grey' }, 'test');
    await store(db, 'grey-reg', 'grey', 4, reg, 'derived', { registeredFrom: 'grey', reference: 'grey' });
    await store(db, 'other-reg', 'grey', 5, reg, 'derived', { registeredFrom: 'other', reference: 'grey' });
    finishRun(db, reg, 'done');

    const [, ny, nx] = FIXTURE_SHAPE;
    for (const z of [1, 3]) {
      const plane = new Uint8Array(ny * nx);
      for (let i = 0; i < plane.length; i++) plane[i] = i % 7 === 0 ? 1 : i % 11 === 0 ? 2 : 0;
      setSliceAnnotation(db, 'grey', z, plane, { author: 'test' });
    }
    saveThicknessTable(db, { volumeId: grey, source: 'table', description: 'measured', values: [0, 1, 2, 3].map((i) => ({ sliceIndex: i, thicknessNm: 10 + i })) });

    const met = startRun(db, 'metrics', { volume: 'grey-otsu', truth: 'other' }, 'test');
    saveMetrics(db, { runId: met, volume: 'grey-otsu', truth: 'other', values: [{ name: 'mp', value: 1.5, unit: '%' }] });
    finishRun(db, met, 'done');
  } finally {
    p.close();
  }
}
