// General path: strips or tiles, any supported compression, predictor,
// chunky or planar samples. Each chunk the crop touches is read, decoded
// into a reusable buffer (only down to the last row the crop needs), put in
// native byte order, un-predicted, and its part of the crop copied out.
import { decompress } from './codecs';
import { compressionName } from './support';
import { HOST_LE, chunkLabel, chunkSamples, chunksFor, swap16, type Chunk } from './layout';
import { undoHorizontalPredictor } from './predictor';
import { truncatedError, type ReadContext } from './read-raw-strips';
import { COPY_AGAIN, corrupt } from './tiff-errors';
import type { Crop, TiffPage } from './types';

export type SamplePlane = Uint8Array | Uint16Array;

/**
 * Fills `planes[s]` (crop-sized, native order) for every sample s that has an
 * array; samples without one are skipped.
 */
export async function readChunks(ctx: ReadContext, page: TiffPage, crop: Crop, planes: (SamplePlane | undefined)[]): Promise<void> {
  const planar = page.planarConfig === 2 && page.samplesPerPixel > 1;
  const jobs: Chunk[] = [];
  if (planar) planes.forEach((p, s) => p && jobs.push(...chunksFor(page, crop, s)));
  else jobs.push(...chunksFor(page, crop, 0));
  if (jobs.length === 0) return;

  const bs = page.bitsPerSample >> 3;
  const spp = chunkSamples(page);
  const rowBytes = (c: Chunk) => c.width * spp * bs;
  const rowsNeeded = (c: Chunk) => Math.min(crop.y + crop.height, c.y + c.height) - c.y;
  const maxNeed = jobs.reduce((m, c) => Math.max(m, rowsNeeded(c) * rowBytes(c)), 0);
  const chunkBuf = ctx.scratch.take(maxNeed);
  const compBuf = page.compression === 1 ? undefined : ctx.scratch.take(jobs.reduce((m, c) => Math.max(m, page.byteCounts[c.index]), 0));
  try {
    for (const chunk of jobs) {
      const rows = rowsNeeded(chunk);
      const need = rows * rowBytes(chunk);
      await decodeChunk(ctx, page, chunk, need, chunkBuf, compBuf);
      if (bs === 2 && ctx.littleEndian !== HOST_LE) swap16(chunkBuf.subarray(0, need));
      if (page.predictor === 2) undoHorizontalPredictor(chunkBuf, page.bitsPerSample, rows, chunk.width * spp, spp);
      const view = bs === 1 ? chunkBuf : new Uint16Array(chunkBuf.buffer, 0, need >> 1);
      copyOut(view, chunk, rows, spp, page, crop, planar ? [planes[chunk.plane]] : planes);
    }
  } finally {
    ctx.scratch.give(chunkBuf);
    if (compBuf) ctx.scratch.give(compBuf);
  }
}

async function decodeChunk(ctx: ReadContext, page: TiffPage, chunk: Chunk, need: number, dst: Uint8Array, comp?: Uint8Array): Promise<void> {
  const off = page.dataOffsets[chunk.index];
  const count = page.byteCounts[chunk.index];
  const label = chunkLabel(page, chunk, ctx.pageCount);
  if (off === 0 && count === 0) {
    dst.fill(0, 0, need); // sparse file: chunk never written
    return;
  }
  if (!comp) {
    if (off + need > ctx.src.size) throw truncatedError(ctx, label, off + need);
    await ctx.src.read(off, need, dst, 0);
    return;
  }
  if (off + count > ctx.src.size) throw truncatedError(ctx, label, off + count);
  const data = await ctx.src.read(off, count, comp, 0);
  let produced: number;
  try {
    produced = decompress(page.compression, data, dst);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw corrupt(ctx.path, `is corrupt: ${label} cannot be decompressed (${compressionName(page.compression)}: ${why}); ${COPY_AGAIN}`);
  }
  if (produced < need) {
    throw corrupt(ctx.path, `is corrupt: ${label} decompresses to ${produced} bytes but ${need} are needed; ${COPY_AGAIN}`);
  }
}

/** Copies the chunk's part of the crop into the sample planes (index = sample within the chunk). */
function copyOut(view: SamplePlane, chunk: Chunk, rows: number, spp: number, page: TiffPage, crop: Crop, planes: (SamplePlane | undefined)[]): void {
  const r0 = Math.max(chunk.y, crop.y);
  const r1 = chunk.y + rows;
  const c0 = Math.max(chunk.x, crop.x);
  const c1 = Math.min(chunk.x + chunk.width, crop.x + crop.width, page.width);
  if (c1 <= c0) return;
  const n = c1 - c0;
  for (let k = 0; k < planes.length; k++) {
    const out = planes[k];
    if (!out) continue;
    for (let r = r0; r < r1; r++) {
      const src = ((r - chunk.y) * chunk.width + (c0 - chunk.x)) * spp + k;
      const dst = (r - crop.y) * crop.width + (c0 - crop.x);
      if (spp === 1) {
        out.set(view.subarray(src, src + n), dst);
      } else {
        for (let i = 0; i < n; i++) out[dst + i] = view[src + i * spp];
      }
    }
  }
}
