// Renaming and deleting volumes on real project files: a delete takes the
// volume's slices and what belongs only to it (annotations, thickness tables,
// quality results, classifiers), leaves every other volume byte for byte as it
// was and the file passing `fibrecon check --deep`; a rename keeps the data and
// moves every reference; refused requests change nothing.
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors';
import { annotationSummary } from '../../src-main/project/annotation-store';
import { checkStoredSlices } from '../../src-main/project/deep-check';
import { integrityCheck, openProject, type Project } from '../../src-main/project/open-project';
import { listRuns, startRun } from '../../src-main/project/runs';
import { deleteVolume, renameVolume, volumeProvenance } from '../../src-main/project/volume-admin';
import { getVolume, readSlice } from '../../src-main/project/volume-store';
import { cli } from '../cli/run-cli';
import { tempDir } from '../helpers/python';
import { writeVolumeAdminProject } from '../helpers/volume-admin-project';

let tmp: { dir: string; cleanup: () => void };
let path: string;
let project: Project;
let db: Database.Database;
const opts = { appVersion: 'test' };

beforeEach(async () => {
  tmp = tempDir('fibrecon-volume-admin-');
  path = join(tmp.dir, 'p.fibrecon');
  await writeVolumeAdminProject(path);
  project = openProject(path, { write: true, purpose: 'test' });
  db = project.db;
});

afterEach(() => {
  project?.close();
  tmp.cleanup();
});

/** Digest of a volume's row (all but its name and metadata when asked) and of every slice row of it. */
function volumeDigest(name: string, opt: { ignoreName?: boolean } = {}): string {
  const row = db.prepare('SELECT * FROM volume WHERE name = ?').get(name) as Record<string, unknown>;
  const { name: _n, ...rest } = row;
  const h = createHash('sha256').update(JSON.stringify(opt.ignoreName ? rest : row));
  for (const s of db.prepare('SELECT z_index, z_nm, input_file_id, input_page, data, crc32 FROM slice WHERE volume_id = ? ORDER BY z_index').all(row.id) as Record<string, unknown>[]) {
    h.update(JSON.stringify({ ...s, data: null }));
    h.update(s.data as Buffer);
  }
  return h.digest('hex');
}

/** Everything in the file, as rows: to show that a refused request changed nothing. */
function wholeState(): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const h = createHash('sha256');
  for (const t of tables) for (const r of db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all() as Record<string, unknown>[]) h.update(t + JSON.stringify(r, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
  return h.digest('hex');
}

const count = (sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

describe('volume provenance', () => {
  it('names the run that made a volume with its settings, and what depends on it', () => {
    const p = volumeProvenance(db, 'grey');
    expect(p.madeBy?.step).toBe('import');
    expect(p.madeWith).toEqual(['other']);
    expect(p.dependents.slices).toBe(5);
    expect(p.dependents.annotation).toMatchObject({ slices: 2, edits: 2 });
    expect(p.dependents.thicknessTables).toBe(1);
    expect(p.dependents.derivedVolumes).toEqual(['grey-otsu', 'grey-reg', 'other-reg']);
    expect(p.dependents.usedByRuns.map((r) => r.step)).toEqual(['segment', 'register']);
    const otsu = volumeProvenance(db, 'grey-otsu');
    expect(otsu.madeBy).toMatchObject({ step: 'segment', status: 'done', params: { volume: 'grey', method: 'otsu', out: 'grey-otsu' } });
    expect(otsu.dependents).toMatchObject({ metrics: 1, classifiers: 1, annotation: null, thicknessTables: 0 });
    expect(otsu.dependents.usedByRuns.map((r) => r.step)).toEqual(['metrics']);
    expect(volumeProvenance(db, 'grey-reg').madeWith).toEqual(['other-reg']);
  });
});

describe('deleteVolume', () => {
  it('removes the volume and what belongs only to it, leaves the rest byte-identical and the file passing check --deep', async () => {
    const others = ['grey', 'other', 'grey-reg', 'other-reg'];
    const before = Object.fromEntries(others.map((n) => [n, volumeDigest(n)]));
    const id = getVolume(db, 'grey-otsu').id;
    const runsBefore = listRuns(db);

    const r = deleteVolume(db, 'grey-otsu', opts);
    expect(r.removed).toMatchObject({ slices: 5, metrics: 1, classifiers: 1, annotationSlices: 0, thicknessTables: 0 });
    expect(refusal(() => getVolume(db, 'grey-otsu')).tag).toBe('not_found');
    expect(count('SELECT COUNT(*) FROM slice WHERE volume_id = ?', id)).toBe(0);
    expect(count('SELECT COUNT(*) FROM metric')).toBe(0);
    expect(count('SELECT COUNT(*) FROM classifier')).toBe(0);
    for (const n of others) expect(volumeDigest(n), n).toBe(before[n]);
    // The history stays, and says what happened.
    const runs = listRuns(db);
    expect(runs.slice(0, runsBefore.length)).toEqual(runsBefore);
    expect(runs.at(-1)).toMatchObject({ id: r.runId, step: 'delete-volume', status: 'done', params: { volume: 'grey-otsu' } });
    expect(annotationSummary(db, 'grey').status).toBe('current');

    expect(integrityCheck(db)).toEqual([]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const deep = await checkStoredSlices(db);
    expect(deep.ok).toBe(true);
    expect(deep.volumes.map((v) => v.volume)).toEqual(others);
    project.close();
    const check = await cli(['check', path, '--deep']);
    expect(check.stderr + check.stdout).not.toMatch(/damaged/i);
    expect(check.code).toBe(0);
  });

  it('takes the annotations, thickness tables and quality results bound to a volume with it; volumes made from it stay', () => {
    const kept = volumeDigest('grey-otsu');
    const r = deleteVolume(db, 'grey', opts);
    expect(r.removed).toMatchObject({ annotationSlices: 2, thicknessTables: 1, slices: 5, metrics: 0 });
    expect(count('SELECT COUNT(*) FROM annotation_set')).toBe(0);
    expect(count('SELECT COUNT(*) FROM annotation_slice')).toBe(0);
    expect(count('SELECT COUNT(*) FROM annotation_edit')).toBe(0);
    expect(count('SELECT COUNT(*) FROM thickness_table')).toBe(0);
    expect(count('SELECT COUNT(*) FROM thickness_value')).toBe(0);
    expect(count('SELECT COUNT(*) FROM input_file')).toBe(0);
    expect(volumeDigest('grey-otsu')).toBe(kept);
    // A quality result against a truth goes with the truth.
    deleteVolume(db, 'other', opts);
    expect(count('SELECT COUNT(*) FROM metric')).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('a new volume under a deleted name starts clean', () => {
    deleteVolume(db, 'grey', opts);
    renameVolume(db, 'other', 'grey', opts);
    expect(annotationSummary(db, 'grey').status).toBe('none');
    expect(volumeProvenance(db, 'grey').dependents.annotation).toBeNull();
  });
});

describe('renameVolume', () => {
  it('keeps the data and moves every reference to the new name', async () => {
    const data = volumeDigest('grey', { ignoreName: true });
    const greySlices = await Promise.all([0, 4].map(async (z) => readSlice(db, getVolume(db, 'grey'), z)));
    const annotations = annotationSummary(db, 'grey');

    const r = renameVolume(db, 'grey', '  grey A ', opts);
    expect(r).toMatchObject({ from: 'grey', to: 'grey A' });
    // annotations 1, classifier 1, "made from" of grey-otsu (source), grey-reg (registeredFrom, reference) and other-reg (reference)
    expect(r.referencesUpdated).toBe(6);
    expect(refusal(() => getVolume(db, 'grey')).tag).toBe('not_found');
    // Same row (but the name) and the same slices.
    const row = db.prepare('SELECT * FROM volume WHERE name = ?').get('grey A') as Record<string, unknown>;
    expect(row.metadata_json).toBe('{}');
    expect(volumeDigest('grey A', { ignoreName: true })).toBe(data);
    expect(await Promise.all([0, 4].map((z) => readSlice(db, getVolume(db, 'grey A'), z)))).toEqual(greySlices);

    const moved = annotationSummary(db, 'grey A');
    expect(moved.status).toBe('current');
    expect({ ...moved, volume: 'grey' }).toEqual(annotations);
    expect(getVolume(db, 'grey-otsu').metadata.source).toBe('grey A');
    expect(getVolume(db, 'grey-reg').metadata).toMatchObject({ registeredFrom: 'grey A', reference: 'grey A' });
    expect(getVolume(db, 'other-reg').metadata).toMatchObject({ registeredFrom: 'other', reference: 'grey A' });
    expect(JSON.parse(db.prepare('SELECT source_volumes_json FROM classifier').pluck().get() as string)).toEqual(['grey A', 'other']);

    // Runs keep the names of their time; the volume's record links them.
    const p = volumeProvenance(db, 'grey A');
    expect(p.renames).toEqual([expect.objectContaining({ runId: r.runId, from: 'grey', to: 'grey A' })]);
    expect(p.dependents.usedByRuns.map((u) => u.step)).toEqual(['segment', 'register']);
    expect(volumeProvenance(db, 'grey-otsu').madeBy?.params).toMatchObject({ volume: 'grey' });
    expect(listRuns(db).at(-1)).toMatchObject({ step: 'rename-volume', status: 'done' });
    expect((await checkStoredSlices(db)).ok).toBe(true);
  });
});

describe('refusals change nothing', () => {
  it('refuses names that exist, empty or unchanged names, and unknown volumes', () => {
    const state = wholeState();
    const taken = refusal(() => renameVolume(db, 'grey', 'other', opts));
    expect(taken.tag).toBe('invalid_input');
    expect(taken.message).toMatch(/already has a volume named "other": choose another name/);
    expect(refusal(() => renameVolume(db, 'grey', '   ', opts)).message).toMatch(/empty/);
    expect(refusal(() => renameVolume(db, 'grey', 'grey', opts)).message).toMatch(/already called "grey"/);
    expect(refusal(() => renameVolume(db, 'grey', 'a\nb', opts)).message).toMatch(/one line/);
    expect(refusal(() => renameVolume(db, 'nope', 'x', opts)).tag).toBe('not_found');
    expect(refusal(() => deleteVolume(db, 'nope', opts)).tag).toBe('not_found');
    expect(wholeState()).toBe(state);
  });

  it('refuses a name under which stale annotations are kept', () => {
    // Annotations of a volume that is gone (kept as stale by the annotation store), under the name "old".
    db.prepare("UPDATE annotation_set SET volume_name = 'old', volume_id = 999").run();
    const state = wholeState();
    expect(refusal(() => renameVolume(db, 'other', 'old', opts)).message).toMatch(/stale.*export and clear them first/);
    expect(wholeState()).toBe(state);
  });

  it('refuses while a job runs on the project', () => {
    // A job of this very process (as the app's job workers are) has recorded its run.
    const runId = startRun(db, 'segment', { volume: 'grey', method: 'otsu', out: 'x' }, 'test');
    const state = wholeState();
    for (const e of [refusal(() => renameVolume(db, 'grey', 'g2', opts)), refusal(() => deleteVolume(db, 'grey', opts))]) {
      expect(e.tag).toBe('project_locked');
      expect(e.message).toMatch(new RegExp(`while a job runs on this project \\(segment, run ${runId}.*wait for it to finish or cancel it`));
    }
    expect(wholeState()).toBe(state);
    // A run left 'running' by a process that is gone does not block.
    db.prepare('UPDATE run SET pid = ? WHERE id = ?').run(2 ** 22 + 12345, runId);
    expect(deleteVolume(db, 'grey', opts).volume).toBe('grey');
  });

  it('refuses on a project opened read-only', () => {
    project.close();
    project = openProject(path, { write: false });
    db = project.db;
    expect(refusal(() => deleteVolume(db, 'grey', opts)).message).toMatch(/read-only/);
    expect(refusal(() => renameVolume(db, 'grey', 'x', opts)).message).toMatch(/read-only/);
  });
});
