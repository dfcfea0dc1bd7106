// Imports one or more stacks of a sample as channels of a project, all or
// nothing: every channel is planned and checked first, then all slices are
// written in one SQLite transaction, so a crash, a kill or a cancel leaves the
// project exactly as it was (only the run record says an import was tried).
import { basename } from 'node:path';
import type { ImportRequest } from '../../src-shared/contract';
import { DTYPES } from '../../src-shared/dtype';
import { AppError, isCancelled, throwIfAborted, toErrorValue } from '../../src-shared/errors';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';
import type { Project } from '../project/open-project';
import { appendRunLog, finishRun, startRun } from '../project/runs';
import { createSliceEncoder } from '../project/slice-encoder-pool';
import { finishVolume, insertVolume, listVolumes, sliceWriter, volumeNameExists } from '../project/volume-store';
import { openTiff, pageReadBytes, type TiffFile } from '../tiff';
import type { Crop as Rect } from '../tiff';
import { createFileHasher } from './file-hasher';
import { importMemoryBudgetBytes, slicesInFlight } from './memory-budget';
import { planStack, type StackPlan } from './plan-stack';
import { resolveGeometry, type ResolvedGeometry } from './resolve-geometry';

export interface ImportContext {
  appVersion: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Called with each notice (data bar cropped, colour converted...). */
  onNotice?: (message: string) => void;
}

export interface ImportResult {
  runId: number;
  channels: { name: string; slices: number; width: number; height: number; rawBytes: number; storedBytes: number }[];
  notices: string[];
  seconds: number;
}

interface ChannelPlan {
  name: string;
  stack: StackPlan;
  geometry: ResolvedGeometry;
  rect: Rect;
  /** Slices in flight between reading and writing, as the memory budget allows. */
  inFlight: number;
}

export async function planChannels(project: Project, req: ImportRequest, signal?: AbortSignal): Promise<ChannelPlan[]> {
  const names = new Set<string>();
  const plans: ChannelPlan[] = [];
  const budget = importMemoryBudgetBytes();
  for (const ch of req.channels) {
    if (names.has(ch.name)) throw new AppError('invalid_input', `Channel name "${ch.name}" is given twice: give every stack its own name (e.g. 1kV, 2kV, TLD).`);
    names.add(ch.name);
    if (volumeNameExists(project.db, ch.name)) {
      throw new AppError('invalid_input', `The project already has a channel named "${ch.name}": choose another name.`);
    }
    const stack = await planStack(ch.paths, signal);
    const sliceMetadata = stack.files.length === stack.slices.length ? stack.files.map((f) => f.metadata) : undefined;
    const geometry = resolveGeometry({
      firstFile: stack.files[0].path,
      metadata: stack.files[0].metadata,
      sliceMetadata,
      nz: stack.slices.length,
      imageHeight: stack.height,
      overrides: req.overrides,
      cropDataBar: req.cropDataBar,
    });
    const full: Rect = { x: 0, y: 0, width: stack.width, height: geometry.imageRows };
    const rect = req.crop ?? full;
    if (rect.x + rect.width > full.width || rect.y + rect.height > full.height) {
      throw new AppError(
        'invalid_input',
        `The region of interest (x ${rect.x}, y ${rect.y}, ${rect.width} x ${rect.height} px) does not fit in the ${full.width} x ${full.height} px images of "${ch.name}": draw it inside the image.`,
      );
    }
    // Before any pixel is read: a page that declares more than the budget is refused here (memory-budget.ts).
    const big = stack.largestRead;
    const inFlight = slicesInFlight(
      { planeBytes: rect.width * rect.height * DTYPES[stack.dtype].bytes, readBytes: pageReadBytes(big.model, rect) },
      budget,
      { file: big.file, page: big.page, pages: big.pages, width: rect.width, height: rect.height, dtype: stack.dtype },
    );
    plans.push({ name: ch.name, stack, geometry, rect, inFlight });
  }
  // Channels of one sample must agree in size, with each other and with those already imported.
  const existing = listVolumes(project.db, 'channel')[0];
  const ref = existing
    ? { name: existing.name, nz: existing.shape[0], ny: existing.shape[1], nx: existing.shape[2] }
    : { name: plans[0].name, nz: plans[0].stack.slices.length, ny: plans[0].rect.height, nx: plans[0].rect.width };
  for (const p of plans) {
    const nz = p.stack.slices.length;
    if (nz !== ref.nz || p.rect.height !== ref.ny || p.rect.width !== ref.nx) {
      throw new AppError(
        'size_mismatch',
        `Channel "${p.name}" (${p.stack.files.length > 1 ? `folder of ${p.stack.files.length} files starting with ${basename(p.stack.files[0].path)}` : basename(p.stack.files[0].path)}) ` +
          `is ${p.rect.width} x ${p.rect.height} px x ${nz} slices, but channel "${ref.name}" is ${ref.nx} x ${ref.ny} px x ${ref.nz} slices. ` +
          'All channels of a sample must have the same size: check that the right files were picked, or crop them alike.',
        p.stack.files[0].path,
      );
    }
  }
  return plans;
}

export async function importChannels(project: Project, req: ImportRequest, ctx: ImportContext): Promise<ImportResult> {
  if (!project.writable) throw new AppError('invalid_input', 'The project is open read-only: open it for writing to import.');
  const t0 = performance.now();
  const plans = await planChannels(project, req, ctx.signal);
  const notices = plans.flatMap((p) => [...p.stack.notices, ...p.geometry.notices].map((n) => `${p.name}: ${n}`));
  notices.forEach((n) => ctx.onNotice?.(n));

  const db = project.db;
  const runId = startRun(db, 'import', req, ctx.appVersion);
  const totalSlices = plans.reduce((s, p) => s + p.stack.slices.length, 0);
  const report = progressTracker(ctx.onProgress);
  let done = 0;
  let rawBytes = 0;
  // Slices being compressed; after a failure none of them may write any more.
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let failure: unknown;

  const encoder = createSliceEncoder();
  const hasher = createFileHasher();
  db.exec('BEGIN IMMEDIATE');
  try {
    const result: ImportResult['channels'] = [];
    for (const plan of plans) {
      const { stack, geometry, rect } = plan;
      const volumeId = insertVolume(db, {
        name: plan.name,
        role: 'channel',
        kind: 'grey',
        dtype: stack.dtype,
        shape: [stack.slices.length, rect.height, rect.width],
        voxelSizeNm: geometry.voxelSizeNm,
        voxelSizeSource: geometry.voxelSizeSource,
        metadata: {
          vendor: stack.files[0].metadata.vendor,
          beamVoltageV: geometry.beamVoltageV,
          detector: geometry.detector,
          notices: [...stack.notices, ...geometry.notices],
        },
        crop: { rect, imageRows: geometry.imageRows, originalWidth: stack.width, originalHeight: stack.height },
        runId,
      });
      const insertFile = db.prepare(
        'INSERT INTO input_file (volume_id, path, size_bytes, sha256, modified_at, pages, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const setHash = db.prepare('UPDATE input_file SET sha256 = ? WHERE id = ?');
      const write = sliceWriter(db, volumeId);
      const slicesByFile: number[][] = stack.files.map(() => []);
      stack.slices.forEach((entry, s) => slicesByFile[entry.file].push(s));
      const seenPlaneNotices = new Set<string>();

      for (const [fi, file] of stack.files.entries()) {
        const fileId = Number(insertFile.run(volumeId, file.path, file.sizeBytes, '', file.modifiedAt, file.pages, JSON.stringify(file.metadata)).lastInsertRowid);
        const hashing = hasher.sha256(file.path);
        hashing.catch(() => {}); // awaited below; a cancel must not become an unhandled rejection
        let tiff: TiffFile | undefined;
        try {
          tiff = await openTiff(file.path);
          for (const s of slicesByFile[fi]) {
            const entry = stack.slices[s];
            throwIfAborted(ctx.signal);
            if (failure) throw failure;
            // Only the region is decoded (the data bar and anything outside the crop never become pixels).
            const plane = await tiff.readPage(entry.page, { crop: rect });
            for (const n of plane.notices) {
              // Once per kind of notice (a colour stack would say it for every slice).
              if (seenPlaneNotices.has(n)) continue;
              seenPlaneNotices.add(n);
              const text = `${plan.name}: ${n} (from ${basename(file.path)} on; said once)`;
              notices.push(text);
              ctx.onNotice?.(text);
            }
            const data = plane.data;
            rawBytes += data.byteLength;
            const zNm = geometry.zPositionsNm[s];
            const job = encoder.encode(data).then(
              (blob) => {
                if (!stopped && !failure) write(s, zNm, blob, { inputFileId: fileId, page: entry.page });
              },
              (e: unknown) => {
                failure ??= e;
              },
            );
            const tracked = job.finally(() => inFlight.delete(tracked));
            inFlight.add(tracked);
            if (inFlight.size >= plan.inFlight) await Promise.race(inFlight);
            done++;
            const seconds = (performance.now() - t0) / 1000;
            // A rate over less than a second says nothing (and shows as "0 MB/s" for small stacks).
            const rate = seconds >= 1 ? ` (${(rawBytes / 1e6 / seconds).toFixed(0)} MB/s)` : '';
            report(done / totalSlices, `Importing "${plan.name}": slice ${s + 1} of ${stack.slices.length}${rate}`);
          }
        } finally {
          await tiff?.close();
        }
        // Slices of this file may still be compressing: the pipeline runs on across files.
        setHash.run(await hashing, fileId);
      }
      await Promise.all(inFlight);
      if (failure) throw failure;
      finishVolume(db, volumeId);
      const row = db.prepare('SELECT raw_bytes, stored_bytes FROM volume WHERE id = ?').get(volumeId) as { raw_bytes: number; stored_bytes: number };
      result.push({ name: plan.name, slices: stack.slices.length, width: rect.width, height: rect.height, rawBytes: row.raw_bytes, storedBytes: row.stored_bytes });
    }
    for (const n of notices) appendRunLog(db, runId, n);
    finishRun(db, runId, 'done');
    db.exec('COMMIT');
    report(1, `Imported ${plans.map((p) => `"${p.name}"`).join(', ')}: ${totalSlices} slices, ${(rawBytes / 1e6).toFixed(1)} MB`);
    return { runId, channels: result, notices, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    stopped = true;
    await Promise.allSettled(inFlight);
    if (db.inTransaction) db.exec('ROLLBACK');
    const cancelled = isCancelled(e) || ctx.signal?.aborted;
    finishRun(db, runId, cancelled ? 'cancelled' : 'failed', cancelled ? undefined : toErrorValue(e));
    if (cancelled) throw new AppError('cancelled', 'Import cancelled: the project is unchanged.');
    throw e;
  } finally {
    await Promise.all([encoder.close(), hasher.close()]);
  }
}
