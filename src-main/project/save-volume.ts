// Stores a computed volume (a reconstruction, a segmentation) in the project,
// all or nothing, with the run that made it. Slices are compressed with the
// same codec as imported channels.
import type { Database } from 'better-sqlite3';
import { throwIfAborted } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import type { Volume } from '../../src-shared/volume';
import { encodeSlice } from './slice-codec';
import { finishVolume, getVolume, insertVolume, readSlice, sliceWriter, type VolumeKind, type VoxelSizeSource } from './volume-store';

export interface SaveVolumeOptions {
  name: string;
  kind: VolumeKind;
  voxelSizeSource: VoxelSizeSource;
  metadata?: Record<string, unknown>;
  runId?: number;
  /**
   * Marks the step's run done inside this save's transaction, just before it commits, when the
   * volume is the step's whole result (so a kill cannot keep the volume under an unfinished run).
   * Not called for a save inside a caller's transaction: the caller marks it before its commit.
   */
  finishRun?: () => void;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export async function saveDerivedVolume(db: Database, volume: Volume, opts: SaveVolumeOptions): Promise<number> {
  const nz = volume.shape[0];
  return saveDerivedVolumeStreaming(db, volume, opts, async (write) => {
    for (let z = 0; z < nz; z++) {
      await write(z, volume.slices[z]);
      opts.onProgress?.({ fraction: (z + 1) / nz, message: `Saving "${opts.name}": slice ${z + 1} of ${nz}` });
    }
  });
}

export interface StreamedVolumeInfo {
  shape: Volume['shape'];
  dtype: Volume['dtype'];
  voxelSizeNm: Volume['voxelSizeNm'];
  zPositionsNm: readonly number[];
}

/**
 * Stores a volume whose slices are produced one at a time (memory bounded by the
 * producer), all or nothing: `produce` gets a writer for slice z; every slice must be
 * written once, in any order; a throw or a missing slice rolls everything back.
 * Inside a transaction of the caller's (a step that stores several volumes as one
 * result) the volume is a savepoint of it, kept or lost with the rest.
 */
export async function saveDerivedVolumeStreaming(
  db: Database,
  info: StreamedVolumeInfo,
  opts: Omit<SaveVolumeOptions, 'onProgress'>,
  produce: (write: (z: number, slice: Volume['slices'][number]) => Promise<void>) => Promise<void>,
): Promise<number> {
  const nested = db.inTransaction;
  db.exec(nested ? 'SAVEPOINT save_volume' : 'BEGIN IMMEDIATE');
  try {
    const id = insertVolume(db, {
      name: opts.name,
      role: 'derived',
      kind: opts.kind,
      dtype: info.dtype,
      shape: info.shape,
      voxelSizeNm: info.voxelSizeNm,
      voxelSizeSource: opts.voxelSizeSource,
      metadata: opts.metadata,
      runId: opts.runId,
    });
    const put = sliceWriter(db, id);
    const written = new Uint8Array(info.shape[0]);
    await produce(async (z, slice) => {
      throwIfAborted(opts.signal);
      if (!(Number.isInteger(z) && z >= 0 && z < written.length) || written[z]) throw new Error(`slice ${z} written twice or outside 0..${written.length - 1}`);
      put(z, info.zPositionsNm[z], await encodeSlice(slice));
      written[z] = 1;
    });
    const missing = written.indexOf(0);
    if (missing >= 0) throw new Error(`slice ${missing} of "${opts.name}" was never written`);
    finishVolume(db, id);
    if (!nested) opts.finishRun?.();
    db.exec(nested ? 'RELEASE save_volume' : 'COMMIT');
    return id;
  } catch (e) {
    if (nested) db.exec('ROLLBACK TO save_volume; RELEASE save_volume');
    else if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/** Reads every slice of a stored volume into memory (for steps that need the whole stack). */
export async function loadVolume(db: Database, name: string, signal?: AbortSignal): Promise<Volume> {
  const v = getVolume(db, name);
  const slices = [];
  for (let z = 0; z < v.shape[0]; z++) {
    throwIfAborted(signal);
    slices.push(await readSlice(db, v, z));
  }
  return { shape: v.shape, dtype: v.dtype, voxelSizeNm: v.voxelSizeNm, zPositionsNm: v.zPositionsNm, slices };
}
