// Geometry shared by the strip and tile readers: which chunks (strips or
// tiles) a crop touches and where each lies in the image.
import type { Crop, TiffPage } from './types';

export const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One strip or tile of one sample plane. */
export interface Chunk {
  /** Index into page.dataOffsets / byteCounts. */
  index: number;
  /** Sample plane (0 for chunky data). */
  plane: number;
  /** Image position of the chunk's top-left pixel. */
  x: number;
  y: number;
  /** Stored size (tiles are full-size even at the image edge). */
  width: number;
  height: number;
}

/** Samples interleaved within one chunk: all of them (chunky) or one (planar). */
export function chunkSamples(page: TiffPage): number {
  return page.planarConfig === 2 ? 1 : page.samplesPerPixel;
}

/** Chunks of sample plane `plane` that intersect `crop`, top to bottom, left to right. */
export function chunksFor(page: TiffPage, crop: Crop, plane: number): Chunk[] {
  const out: Chunk[] = [];
  const y1 = crop.y + crop.height;
  const x1 = crop.x + crop.width;
  if (page.tiled) {
    const across = Math.ceil(page.width / page.tileWidth);
    const down = Math.ceil(page.height / page.tileHeight);
    const base = plane * across * down;
    for (let ty = Math.floor(crop.y / page.tileHeight); ty * page.tileHeight < y1; ty++) {
      for (let tx = Math.floor(crop.x / page.tileWidth); tx * page.tileWidth < x1; tx++) {
        out.push({ index: base + ty * across + tx, plane, x: tx * page.tileWidth, y: ty * page.tileHeight, width: page.tileWidth, height: page.tileHeight });
      }
    }
  } else {
    const rps = page.rowsPerStrip;
    const base = plane * Math.ceil(page.height / rps);
    for (let s = Math.floor(crop.y / rps); s * rps < y1; s++) {
      out.push({ index: base + s, plane, x: 0, y: s * rps, width: page.width, height: Math.min(rps, page.height - s * rps) });
    }
  }
  return out;
}

/**
 * Bytes a chunk decompresses to at most, as the page's geometry declares it:
 * a whole tile, or a whole strip of rowsPerStrip rows (the last strip may be
 * padded to that height by some writers).
 */
export function chunkCapacity(page: TiffPage, chunk: Chunk): number {
  const rows = page.tiled ? page.tileHeight : page.rowsPerStrip;
  return rows * chunk.width * chunkSamples(page) * (page.bitsPerSample >> 3);
}

/** "strip 4" / "tile 7" (1-based), with the image number for multipage files. */
export function chunkLabel(page: TiffPage, chunk: Chunk, pages: number): string {
  const kind = page.tiled ? 'tile' : 'strip';
  return pages > 1 ? `image ${page.index + 1}, ${kind} ${chunk.index + 1}` : `${kind} ${chunk.index + 1}`;
}

/** Swaps the bytes of each 16-bit value in place (native, via Buffer.swap16). */
export function swap16(bytes: Uint8Array): void {
  if (bytes.length >= 2) Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length & ~1).swap16();
}
