// Renaming and deleting stored volumes (the layer list, `fibrecon volume`), and
// what a volume came from and what depends on it. Functions take the database
// handle of a project opened for writing (the caller holds the project lock, as
// every writer does); each change is one transaction, recorded as a run of its
// own so that the history says what happened to a name. Run records themselves
// are history: they keep the names as they were when the run happened.
//
// Refused while a job runs on the project (a run still 'running' by a live
// process: a job worker of the app, or a CLI step holding the lock), since a job
// may be reading the volume or about to store one under the new name.
import type { Database } from 'better-sqlite3';
import type { RunSummary, VolumeDeleteResult, VolumeProvenance, VolumeRenameResult } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { finishRun, listRuns, type RunRecord, startRun } from './runs';
import { getVolume, type StoredVolume, volumeNameExists } from './volume-store';

/** Steps that record a rename and a delete in the run table. */
export const RENAME_STEP = 'rename-volume';
export const DELETE_STEP = 'delete-volume';

/** Metadata keys of a derived volume that hold the name of a volume it was made from. */
const NAME_KEYS = new Set(['source', 'registeredFrom', 'reference', 'of', 'volume', 'truth']);
/** Metadata keys that hold a list of such names. */
const NAME_LIST_KEYS = new Set(['sources', 'volumes']);

const MAX_NAME = 64;

function toRunSummary(r: RunRecord): RunSummary {
  return {
    id: r.id,
    step: r.step,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationS: r.durationS,
    softwareVersion: r.softwareVersion,
    params: r.params,
    modelName: r.modelName,
    executionProvider: r.executionProvider,
    log: r.log,
  };
}

/** Throws project_locked when a job runs on the project (a 'running' run whose process lives). */
export function refuseWhileJobRuns(db: Database, what: string): void {
  const running = listRuns(db).filter((r) => r.status === 'running');
  if (running.length === 0) return;
  const r = running[running.length - 1];
  throw new AppError(
    'project_locked',
    `Cannot ${what} while a job runs on this project (${r.step}, run ${r.id}, started ${r.startedAt}): wait for it to finish or cancel it, then try again.`,
    db.name,
  );
}

function requireWritable(db: Database, what: string): void {
  if (db.readonly) throw new AppError('invalid_input', `Cannot ${what}: the project is open read-only. Open it for writing (in the app, or with the CLI command) and try again.`, db.name);
}

/** Names of volumes in a metadata value, as [path, name] pairs; `rename` replaces them in place. */
function visitNames(value: unknown, rename: (name: string) => string | undefined): number {
  let changed = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      if (NAME_KEYS.has(k) && typeof x === 'string') {
        const to = rename(x);
        if (to !== undefined) {
          o[k] = to;
          changed++;
        }
      } else if (NAME_LIST_KEYS.has(k) && Array.isArray(x) && x.every((n) => typeof n === 'string')) {
        o[k] = x.map((n: string) => {
          const to = rename(n);
          if (to === undefined) return n;
          changed++;
          return to;
        });
      } else walk(x);
    }
  };
  walk(value);
  return changed;
}

/** The names a volume has had, oldest first (from its rename runs), ending with the current one. */
function namesOver(db: Database, v: StoredVolume, runs: readonly RunRecord[]): { names: string[]; renames: VolumeProvenance['renames'] } {
  const renames = runs
    .filter((r) => r.step === RENAME_STEP && r.status === 'done' && (r.params as { volumeId?: number }).volumeId === v.id && (r.params as { createdAt?: string }).createdAt === v.createdAt)
    .map((r) => {
      const p = r.params as { volume: string; to: string };
      return { runId: r.id, from: p.volume, to: p.to, at: r.startedAt };
    });
  return { names: [...new Set([...renames.map((r) => r.from), v.name])], renames };
}

/** Volume names a run's parameters name as its input(s) (volume, volumes, reference, truth; "a,b" lists). */
function runInputs(params: unknown): string[] {
  if (typeof params !== 'object' || params === null) return [];
  const p = params as Record<string, unknown>;
  const out: string[] = [];
  for (const k of ['volume', 'reference', 'truth']) {
    const x = p[k];
    if (typeof x === 'string') out.push(x, ...(x.includes(',') ? x.split(',') : []));
  }
  if (Array.isArray(p.volumes)) out.push(...p.volumes.filter((n): n is string => typeof n === 'string'));
  return out;
}

/** How a volume was made, its renames, and what depends on it. Reads only. */
export function volumeProvenance(db: Database, name: string): VolumeProvenance {
  const v = getVolume(db, name);
  const runs = listRuns(db);
  const madeBy = v.runId === null ? null : (runs.find((r) => r.id === v.runId) ?? null);
  const madeWith = v.runId === null ? [] : (db.prepare('SELECT name FROM volume WHERE run_id = ? AND id != ? ORDER BY id').pluck().all(v.runId, v.id) as string[]);
  const { names, renames } = namesOver(db, v, runs);
  const count = (sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;
  const set = boundAnnotationSet(db, v);
  const annotation = set
    ? {
        slices: count('SELECT COUNT(*) FROM annotation_slice WHERE set_id = ?', set.id),
        version: set.version,
        edits: count('SELECT COUNT(*) FROM annotation_edit WHERE set_id = ?', set.id),
      }
    : null;
  const others = db.prepare('SELECT name, metadata_json FROM volume WHERE id != ? ORDER BY id').all(v.id) as { name: string; metadata_json: string }[];
  const derivedVolumes = others
    .filter((o) => {
      let hit = false;
      visitNames(JSON.parse(o.metadata_json), (n) => {
        if (n === v.name) hit = true;
        return undefined;
      });
      return hit;
    })
    .map((o) => o.name);
  // Runs after the volume was made that name it (under any of its names) as an input.
  const usedByRuns = runs
    .filter((r) => r.id !== v.runId && r.step !== RENAME_STEP && r.step !== DELETE_STEP && r.startedAt >= v.createdAt && runInputs(r.params).some((n) => names.includes(n)))
    .map((r) => ({ id: r.id, step: r.step, startedAt: r.startedAt, status: r.status }));
  return {
    volume: v.name,
    role: v.role,
    kind: v.kind,
    createdAt: v.createdAt,
    madeBy: madeBy ? toRunSummary(madeBy) : null,
    madeWith,
    renames,
    dependents: {
      slices: count('SELECT COUNT(*) FROM slice WHERE volume_id = ?', v.id),
      storedBytes: v.storedBytes,
      annotation,
      metrics: count('SELECT COUNT(*) FROM metric WHERE volume_id = ? OR reference_volume_id = ?', v.id, v.id),
      thicknessTables: count('SELECT COUNT(*) FROM thickness_table WHERE volume_id = ?', v.id),
      classifiers: count('SELECT COUNT(*) FROM classifier WHERE volume_id = ?', v.id),
      derivedVolumes,
      usedByRuns,
    },
  };
}

/** The annotation set made on exactly this volume (not on an earlier one of its name), if any. */
function boundAnnotationSet(db: Database, v: StoredVolume): { id: number; version: number } | undefined {
  return db.prepare('SELECT id, version FROM annotation_set WHERE volume_id = ? AND volume_created_at = ? AND volume_name = ?').get(v.id, v.createdAt, v.name) as
    | { id: number; version: number }
    | undefined;
}

/** Checks a new volume name; returns it trimmed. */
function checkNewName(db: Database, from: string, to: string): string {
  const name = to.trim();
  if (name.length === 0) throw new AppError('invalid_input', 'The new name is empty: type a name for the volume.');
  if (name.length > MAX_NAME) throw new AppError('invalid_input', `"${name.slice(0, 20)}…" is ${name.length} characters long: give a name of at most ${MAX_NAME}.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new AppError('invalid_input', 'The new name holds control characters (a line break or tab): type it on one line.');
  if (name === from) throw new AppError('invalid_input', `The volume is already called "${from}": type another name.`);
  if (volumeNameExists(db, name)) throw new AppError('invalid_input', `The project already has a volume named "${name}": choose another name, or delete or rename that volume first.`);
  const stale = db.prepare('SELECT 1 FROM annotation_set WHERE volume_name = ?').get(name);
  if (stale) {
    throw new AppError(
      'invalid_input',
      `The project keeps annotations of an earlier volume named "${name}" (stale): choose another name, or export and clear them first (fibrecon annotate P --volume "${name}" --export F.tif, then --clear).`,
    );
  }
  return name;
}

/**
 * Renames volume `from` to `to` in one transaction: the volume, the annotations bound to it,
 * the classifiers that learnt from it, and the "made from" of every other volume (and of
 * itself, e.g. an uncertainty map's "of") that names it. Recorded as a run (step rename-volume).
 */
export function renameVolume(db: Database, from: string, to: string, opts: { appVersion: string }): VolumeRenameResult {
  requireWritable(db, `rename "${from}"`);
  return db
    .transaction((): VolumeRenameResult => {
      refuseWhileJobRuns(db, `rename "${from}"`);
      const v = getVolume(db, from);
      const name = checkNewName(db, from, to);
      const runId = startRun(db, RENAME_STEP, { volume: from, to: name, volumeId: v.id, createdAt: v.createdAt }, opts.appVersion);
      db.prepare('UPDATE volume SET name = ? WHERE id = ?').run(name, v.id);
      let refs = db.prepare('UPDATE annotation_set SET volume_name = ? WHERE volume_id = ? AND volume_created_at = ? AND volume_name = ?').run(name, v.id, v.createdAt, from).changes;
      const rename = (n: string) => (n === from ? name : undefined);
      const classifiers = db.prepare('SELECT id, source_volumes_json FROM classifier').all() as { id: number; source_volumes_json: string }[];
      const setSources = db.prepare('UPDATE classifier SET source_volumes_json = ? WHERE id = ?');
      for (const c of classifiers) {
        const names = JSON.parse(c.source_volumes_json) as unknown;
        if (!Array.isArray(names) || !names.includes(from)) continue;
        setSources.run(JSON.stringify(names.map((n) => (n === from ? name : n))), c.id);
        refs++;
      }
      const volumes = db.prepare('SELECT id, metadata_json FROM volume').all() as { id: number; metadata_json: string }[];
      const setMeta = db.prepare('UPDATE volume SET metadata_json = ? WHERE id = ?');
      for (const o of volumes) {
        const meta = JSON.parse(o.metadata_json) as unknown;
        const n = visitNames(meta, rename);
        if (n > 0) {
          setMeta.run(JSON.stringify(meta), o.id);
          refs += n;
        }
      }
      finishRun(db, runId, 'done');
      return { from, to: name, runId, referencesUpdated: refs };
    })
    .immediate();
}

/**
 * Deletes volume `name` in one transaction with everything that belongs only to it: its
 * slices, input file records, thickness tables, quality results (of it, or against it as the
 * truth), the classifiers kept with it and the annotations bound to it. Other volumes, and the
 * runs (the history), stay as they are. Recorded as a run (step delete-volume).
 */
export function deleteVolume(db: Database, name: string, opts: { appVersion: string }): VolumeDeleteResult {
  requireWritable(db, `delete "${name}"`);
  return db
    .transaction((): VolumeDeleteResult => {
      refuseWhileJobRuns(db, `delete "${name}"`);
      const v = getVolume(db, name);
      const before = volumeProvenance(db, name).dependents;
      const set = boundAnnotationSet(db, v);
      const removed = {
        slices: before.slices,
        storedBytes: before.storedBytes,
        annotationSlices: before.annotation?.slices ?? 0,
        metrics: before.metrics,
        thicknessTables: before.thicknessTables,
        classifiers: before.classifiers,
      };
      const runId = startRun(db, DELETE_STEP, { volume: name, volumeId: v.id, createdAt: v.createdAt, removed }, opts.appVersion);
      if (set) {
        db.prepare('DELETE FROM annotation_edit_slice WHERE edit_id IN (SELECT id FROM annotation_edit WHERE set_id = ?)').run(set.id);
        db.prepare('DELETE FROM annotation_edit WHERE set_id = ?').run(set.id);
        db.prepare('DELETE FROM annotation_slice WHERE set_id = ?').run(set.id);
        db.prepare('DELETE FROM annotation_set WHERE id = ?').run(set.id);
      }
      db.prepare('DELETE FROM classifier WHERE volume_id = ?').run(v.id);
      db.prepare('DELETE FROM metric WHERE volume_id = ? OR reference_volume_id = ?').run(v.id, v.id);
      db.prepare('DELETE FROM thickness_value WHERE table_id IN (SELECT id FROM thickness_table WHERE volume_id = ?)').run(v.id);
      db.prepare('DELETE FROM thickness_table WHERE volume_id = ?').run(v.id);
      db.prepare('DELETE FROM slice WHERE volume_id = ?').run(v.id);
      db.prepare('DELETE FROM input_file WHERE volume_id = ?').run(v.id);
      db.prepare('DELETE FROM volume WHERE id = ?').run(v.id);
      finishRun(db, runId, 'done');
      return { volume: name, runId, removed };
    })
    .immediate();
}
