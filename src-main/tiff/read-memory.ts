// How much memory reading one page (or a crop of it) takes, from the page's
// geometry alone, so that an import can refuse a page before reading it. A
// small compressed file can declare an image of gigabytes (a decompression
// bomb, or a corrupt size tag that still decodes): the declared size, not the
// file size, is what the reader allocates.
//
// The figure follows read-plane.ts and chunk-source.ts: the output plane, one
// plane per colour sample (RGB 3, palette 1, then converted to grey), and the
// decoded chunks in flight (Deflate: up to 8 chunks or 64 MB ahead plus one;
// LZW / PackBits: one decoded and one compressed chunk; uncompressed strips:
// read in place, or in 8 MB pieces for a narrower crop).
import { canReadRaw } from './read-raw-strips';
import type { Crop, TiffPage } from './types';

/** The page facts the estimate needs (no offsets, no tags). */
export interface PageMemoryModel {
  bytesPerSample: number;
  /** Sample planes decoded besides the output plane: 3 for RGB, 1 for palette, 0 for grey. */
  colourPlanes: number;
  /** Bytes of one decoded chunk at its declared size (a whole strip or tile). */
  chunkBytes: number;
  /** Rows and width of one chunk (strips: rowsPerStrip x image width). */
  chunkRows: number;
  chunkWidth: number;
  /** Chunks down and across one sample plane of the page. */
  chunksDown: number;
  chunksAcross: number;
  readsRaw: boolean;
  deflate: boolean;
}

const DEFLATE_WINDOW_BYTES = 64 << 20;
const DEFLATE_WINDOW_CHUNKS = 8;
const RAW_PIECE_BYTES = 8 << 20;

export function pageMemoryModel(page: TiffPage): PageMemoryModel {
  const bytesPerSample = page.bitsPerSample >> 3;
  const chunkSamples = page.planarConfig === 2 ? 1 : page.samplesPerPixel;
  const chunkRows = page.tiled ? page.tileHeight : page.rowsPerStrip;
  const chunkWidth = page.tiled ? page.tileWidth : page.width;
  return {
    bytesPerSample,
    colourPlanes: page.photometric === 2 ? 3 : page.photometric === 3 ? 1 : 0,
    chunkBytes: chunkRows * chunkWidth * chunkSamples * bytesPerSample,
    chunkRows,
    chunkWidth,
    chunksDown: Math.ceil(page.height / chunkRows),
    chunksAcross: Math.ceil(page.width / chunkWidth),
    readsRaw: canReadRaw(page),
    deflate: page.compression === 8 || page.compression === 32946,
  };
}

/** Bytes held at the peak while reading `crop` of a page with this model (the returned plane included). */
export function pageReadBytes(m: PageMemoryModel, crop: Pick<Crop, 'width' | 'height'>): number {
  const plane = crop.width * crop.height * m.bytesPerSample;
  let chunks: number;
  if (m.readsRaw) {
    chunks = Math.min(RAW_PIECE_BYTES, plane);
  } else {
    // A crop that does not start on a chunk boundary touches one more chunk each way.
    const touched = Math.min(m.chunksDown, Math.ceil(crop.height / m.chunkRows) + 1) * Math.min(m.chunksAcross, Math.ceil(crop.width / m.chunkWidth) + 1);
    chunks = m.deflate ? Math.min(Math.min(touched, DEFLATE_WINDOW_CHUNKS) * m.chunkBytes, DEFLATE_WINDOW_BYTES + m.chunkBytes) : 2 * m.chunkBytes;
  }
  return plane * (1 + m.colourPlanes) + chunks;
}
