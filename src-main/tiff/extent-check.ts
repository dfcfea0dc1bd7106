// Before allocating a plane: does the file hold the data the page claims?
// A corrupt size tag (say 40000 x 40000 pixels) must end in a clear error,
// not in gigabytes allocated first.
import { chunkLabel, chunkSamples, chunksFor } from './layout';
import { truncatedError, type ReadContext } from './read-raw-strips';
import { COPY_AGAIN, corrupt } from './tiff-errors';
import type { Crop, TiffPage } from './types';

/** Largest expansion each codec can reach (PackBits 64:1, Deflate 1032:1, LZW < 4096:1). */
const MAX_RATIO: Record<number, number> = { 1: 1, 5: 4096, 8: 1032, 32946: 1032, 32773: 64 };

export function checkDataExtent(ctx: ReadContext, page: TiffPage, crop: Crop): void {
  const planes = page.planarConfig === 2 ? page.samplesPerPixel : 1;
  const bs = page.bitsPerSample >> 3;
  const spp = chunkSamples(page);
  const ratio = MAX_RATIO[page.compression] ?? Infinity;
  for (let s = 0; s < planes; s++) {
    for (const c of chunksFor(page, crop, s)) {
      const off = page.dataOffsets[c.index];
      const count = page.byteCounts[c.index];
      if (off === 0 && count === 0) continue; // sparse chunk
      const rows = Math.min(crop.y + crop.height, c.y + c.height) - c.y;
      const need = rows * c.width * spp * bs;
      const label = chunkLabel(page, c, ctx.pageCount);
      if (page.compression === 1) {
        if (off + need > ctx.src.size) throw truncatedError(ctx, label, off + c.height * c.width * spp * bs);
      } else {
        if (off + count > ctx.src.size) throw truncatedError(ctx, label, off + count);
        if (count * ratio < need) {
          throw corrupt(ctx.path, `is corrupt: ${label} holds ${count} compressed bytes, too few for the ${need} bytes its image size needs; ${COPY_AGAIN}`);
        }
      }
    }
  }
}
