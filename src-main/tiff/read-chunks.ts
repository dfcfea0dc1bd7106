// General path: strips or tiles, any supported compression, predictor,
// chunky or planar samples. Each chunk the crop touches is read and decoded
// (chunk-source.ts; only down to the last row the crop needs), put in native
// byte order, un-predicted, and its part of the crop copied out.
import { decodedChunks } from './chunk-source';
import { HOST_LE, chunkSamples, chunksFor, swap16, type Chunk } from './layout';
import { undoHorizontalPredictor } from './predictor';
import type { ReadContext } from './read-raw-strips';
import type { Crop, TiffPage } from './types';

export type SamplePlane = Uint8Array | Uint16Array;

/**
 * Fills `planes[s]` (crop-sized, native order) for every sample s that has an
 * array; samples without one are skipped.
 */
export async function readChunks(ctx: ReadContext, page: TiffPage, crop: Crop, planes: (SamplePlane | undefined)[]): Promise<void> {
  const planar = page.planarConfig === 2 && page.samplesPerPixel > 1;
  let jobs: Chunk[] = [];
  // concat, not push(...): a page may have hundreds of thousands of strips (one per row)
  if (planar) planes.forEach((p, s) => p && (jobs = jobs.concat(chunksFor(page, crop, s))));
  else jobs = chunksFor(page, crop, 0);
  if (jobs.length === 0) return;

  const bs = page.bitsPerSample >> 3;
  const spp = chunkSamples(page);
  const rowsNeeded = (c: Chunk) => Math.min(crop.y + crop.height, c.y + c.height) - c.y;
  const need = (c: Chunk) => rowsNeeded(c) * c.width * spp * bs;
  for await (const { chunk, data } of decodedChunks(ctx, page, jobs, need)) {
    const rows = rowsNeeded(chunk);
    const n = need(chunk);
    if (bs === 2 && ctx.littleEndian !== HOST_LE) swap16(data.subarray(0, n));
    if (page.predictor === 2) undoHorizontalPredictor(data, page.bitsPerSample, rows, chunk.width * spp, spp);
    const view = bs === 1 ? data : new Uint16Array(data.buffer, data.byteOffset, n >> 1);
    copyOut(view, chunk, rows, spp, page, crop, planar ? [planes[chunk.plane]] : planes);
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
