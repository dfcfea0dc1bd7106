// Fast path for uncompressed strips of one sample per chunk (grey, or one
// plane of planar data): one pread per run of strips that lie back to back
// in the file, straight into the output; bytes swapped once, only when the
// file's byte order differs from the machine's.
import type { ByteSource } from './byte-source';
import { HOST_LE, chunkLabel, chunksFor, swap16 } from './layout';
import type { ScratchPool } from './scratch';
import { COPY_AGAIN, corrupt } from './tiff-errors';
import type { Crop, TiffPage } from './types';

export interface ReadContext {
  src: ByteSource;
  path: string;
  littleEndian: boolean;
  pageCount: number;
  scratch: ScratchPool;
}

/** Rows read at a time when the crop is narrower than the image. */
const PIECE_BYTES = 8 << 20;

export function truncatedError(ctx: ReadContext, what: string, end: number) {
  return corrupt(ctx.path, `is truncated: ${what} ends at byte ${end} but the file has ${ctx.src.size} bytes; ${COPY_AGAIN}`);
}

export function canReadRaw(page: TiffPage): boolean {
  return page.compression === 1 && !page.tiled && page.predictor === 1 && (page.samplesPerPixel === 1 || page.planarConfig === 2);
}

/** Fills `dst` (the crop of sample plane `plane`, as bytes, native order afterwards). */
export async function readRawStrips(ctx: ReadContext, page: TiffPage, crop: Crop, plane: number, dst: Uint8Array): Promise<void> {
  const bs = page.bitsPerSample >> 3;
  const rowBytes = page.width * bs;
  const runs: { off: number; len: number; row: number }[] = [];
  for (const chunk of chunksFor(page, crop, plane)) {
    const a = Math.max(chunk.y, crop.y);
    const b = Math.min(chunk.y + chunk.height, crop.y + crop.height);
    const start = page.dataOffsets[chunk.index];
    const off = start + (a - chunk.y) * rowBytes;
    const len = (b - a) * rowBytes;
    if (off + len > ctx.src.size) throw truncatedError(ctx, chunkLabel(page, chunk, ctx.pageCount), start + chunk.height * rowBytes);
    const last = runs[runs.length - 1];
    if (last && last.off + last.len === off) last.len += len;
    else runs.push({ off, len, row: a });
  }
  const fullWidth = crop.x === 0 && crop.width === page.width;
  const outRow = crop.width * bs;
  for (const run of runs) {
    if (fullWidth) {
      const got = await ctx.src.read(run.off, run.len, dst, (run.row - crop.y) * rowBytes);
      if (got.length < run.len) throw truncatedError(ctx, `image ${page.index + 1}`, run.off + run.len);
      continue;
    }
    const rows = run.len / rowBytes;
    const step = Math.max(1, Math.floor(PIECE_BYTES / rowBytes));
    const buf = ctx.scratch.take(Math.min(rows, step) * rowBytes);
    try {
      for (let r0 = 0; r0 < rows; r0 += step) {
        const n = Math.min(step, rows - r0);
        const got = await ctx.src.read(run.off + r0 * rowBytes, n * rowBytes, buf, 0);
        if (got.length < n * rowBytes) throw truncatedError(ctx, `image ${page.index + 1}`, run.off + (r0 + n) * rowBytes);
        for (let r = 0; r < n; r++) {
          const from = r * rowBytes + crop.x * bs;
          dst.set(buf.subarray(from, from + outRow), (run.row - crop.y + r0 + r) * outRow);
        }
      }
    } finally {
      ctx.scratch.give(buf);
    }
  }
  if (bs === 2 && ctx.littleEndian !== HOST_LE) swap16(dst);
}
