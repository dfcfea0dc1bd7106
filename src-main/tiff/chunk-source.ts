// Fetches and decompresses the chunks (strips / tiles) of a page in order.
// Deflate runs on node:zlib's thread pool with a few chunks in flight, so
// reading, inflating and the caller's per-chunk work overlap; LZW and
// PackBits (JavaScript) and raw chunks decode one by one into a reused buffer.
//
// Decompression bombs: no chunk is allowed to decompress to more than the
// bytes its place in the image declares (chunkCapacity: rows per strip or the
// tile size, times width, samples and bytes per sample). Deflate stops at that
// cap while inflating (zlib's maxOutputLength) and the chunk is refused; LZW
// and PackBits decode into a buffer of the declared size and cannot write past
// it. So a few megabytes that inflate to gigabytes cost at most one chunk.
import { promisify } from 'node:util';
import { inflate, type InputType, type ZlibOptions } from 'node:zlib';
import { decompress } from './codecs';
import type { Chunk } from './layout';
import { chunkCapacity, chunkLabel } from './layout';
import { truncatedError, type ReadContext } from './read-raw-strips';
import { compressionName } from './support';
import { COPY_AGAIN, COPY_OR_REEXPORT, corrupt } from './tiff-errors';
import type { TiffPage } from './types';

const inflateAsync = promisify(inflate) as (buf: InputType, opts: ZlibOptions & { maxOutputLength?: number }) => Promise<Buffer>;

/** zlib's smallest output chunk. */
const Z_MIN_CHUNK = 64;

/** Bytes of decompressed data in flight at most (besides one chunk). */
const WINDOW_BYTES = 64 << 20;
const WINDOW_CHUNKS = 8;

export interface Decoded {
  chunk: Chunk;
  /** At least `need(chunk)` bytes, owned by the caller until the next chunk is asked for. */
  data: Uint8Array;
}

type Settled = { ok: true; data: Uint8Array } | { ok: false; error: unknown };

function isDeflate(c: number): boolean {
  return c === 8 || c === 32946;
}

export async function* decodedChunks(
  ctx: ReadContext,
  page: TiffPage,
  jobs: Chunk[],
  need: (c: Chunk) => number,
): AsyncGenerator<Decoded> {
  if (isDeflate(page.compression)) {
    yield* inflateInOrder(ctx, page, jobs, need);
    return;
  }
  // Compressed chunks decode at their declared size (to see data beyond it); raw ones read only what the crop needs.
  const room = (c: Chunk) => (page.compression === 1 ? need(c) : chunkCapacity(page, c));
  const dst = ctx.scratch.take(jobs.reduce((m, c) => Math.max(m, room(c)), 0));
  const comp = page.compression === 1 ? undefined : ctx.scratch.take(jobs.reduce((m, c) => Math.max(m, page.byteCounts[c.index]), 0));
  try {
    for (const chunk of jobs) {
      const n = need(chunk);
      const off = page.dataOffsets[chunk.index];
      const count = page.byteCounts[chunk.index];
      const label = chunkLabel(page, chunk, ctx.pageCount);
      if (off === 0 && count === 0) {
        dst.fill(0, 0, n); // sparse file: chunk never written
      } else if (!comp) {
        if (off + n > ctx.src.size) throw truncatedError(ctx, label, off + n);
        await ctx.src.read(off, n, dst, 0);
      } else {
        if (off + count > ctx.src.size) throw truncatedError(ctx, label, off + count);
        const data = await ctx.src.read(off, count, comp, 0);
        let r: { produced: number; overflow: boolean };
        try {
          r = decompress(page.compression, data, dst.subarray(0, room(chunk)));
        } catch (e) {
          throw decodeError(ctx, page, label, e);
        }
        if (r.overflow) throw bombError(ctx, page, label, room(chunk));
        checkLength(ctx, label, r.produced, n);
      }
      yield { chunk, data: dst };
    }
  } finally {
    ctx.scratch.give(dst);
    if (comp) ctx.scratch.give(comp);
  }
}

async function* inflateInOrder(ctx: ReadContext, page: TiffPage, jobs: Chunk[], need: (c: Chunk) => number): AsyncGenerator<Decoded> {
  const inFlight: Promise<Settled>[] = [];
  let started = 0;
  let bytesAhead = 0;
  const start = (chunk: Chunk): Promise<Settled> => {
    const off = page.dataOffsets[chunk.index];
    const count = page.byteCounts[chunk.index];
    const label = chunkLabel(page, chunk, ctx.pageCount);
    const n = need(chunk);
    const work = async (): Promise<Uint8Array> => {
      if (off === 0 && count === 0) return new Uint8Array(n);
      if (off + count > ctx.src.size) throw truncatedError(ctx, label, off + count);
      const data = await ctx.src.read(off, count);
      const cap = chunkCapacity(page, chunk);
      let out: Buffer;
      try {
        // One output buffer of the declared size (+1 to see an excess): zlib then neither grows a list of pieces nor concatenates them.
        out = await inflateAsync(data, { maxOutputLength: cap, chunkSize: Math.max(Z_MIN_CHUNK, cap + 1) });
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw bombError(ctx, page, label, cap);
        throw decodeError(ctx, page, label, e);
      }
      checkLength(ctx, label, out.length, n);
      // 16-bit views need an even byte offset; zlib's buffers usually have one
      return out.byteOffset % 2 === 0 ? out : Uint8Array.from(out);
    };
    // settle immediately so that an early exit leaves no unhandled rejection behind
    return work().then(
      (data) => ({ ok: true as const, data }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  };
  for (let j = 0; j < jobs.length; j++) {
    while (started < jobs.length && (started <= j || (started - j < WINDOW_CHUNKS && bytesAhead < WINDOW_BYTES))) {
      bytesAhead += need(jobs[started]);
      inFlight.push(start(jobs[started++]));
    }
    const r = await inFlight[j];
    delete inFlight[j];
    bytesAhead -= need(jobs[j]);
    if (!r.ok) throw r.error;
    yield { chunk: jobs[j], data: r.data };
  }
}

function decodeError(ctx: ReadContext, page: TiffPage, label: string, e: unknown) {
  const why = e instanceof Error ? e.message : String(e);
  return corrupt(ctx.path, `is corrupt: ${label} cannot be decompressed (${compressionName(page.compression)}: ${why}); ${COPY_AGAIN}`);
}

function bombError(ctx: ReadContext, page: TiffPage, label: string, cap: number) {
  const size = page.tiled ? `${page.tileWidth} x ${page.tileHeight} px tile` : `${page.width} px x ${page.rowsPerStrip} row strip`;
  return corrupt(
    ctx.path,
    `is corrupt: ${label} decompresses to more than the ${cap} bytes its size (${size}, ${page.bitsPerSample}-bit) declares, which no TIFF writer produces ` +
      `(a damaged file, or a decompression bomb); reading stopped there. ${COPY_OR_REEXPORT[0].toUpperCase()}${COPY_OR_REEXPORT.slice(1)}`,
  );
}

function checkLength(ctx: ReadContext, label: string, produced: number, n: number): void {
  if (produced < n) throw corrupt(ctx.path, `is corrupt: ${label} decompresses to ${produced} bytes but ${n} are needed; ${COPY_AGAIN}`);
}
