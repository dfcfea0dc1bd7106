// One Zarr v3 array written slice by slice: incoming slices are copied into a
// row of chunks (cz slices deep, the whole y-x plane); when the row is full
// (or the volume ends) each chunk is written as `c/<iz>/<iy>/<ix>`, padded to
// the full chunk shape with the fill value 0 as the regular grid requires.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DTYPES, type SliceArray } from '../../src-shared/dtype';
import { littleEndianBytes } from '../tiff-write/slice-bytes';
import type { ZarrArrayMeta } from './ome-zarr-metadata';

export class ZarrChunkRowWriter {
  private row: SliceArray;
  private filled = 0;
  private rowIndex = 0;
  bytes = 0;

  constructor(private readonly dir: string, private readonly meta: ZarrArrayMeta) {
    const [, cy, cx] = meta.chunkShape;
    const [, ny, nx] = meta.shape;
    // The row covers whole chunks in y and x, so the padding is already in place.
    this.row = DTYPES[meta.dtype].create(meta.chunkShape[0] * Math.ceil(ny / cy) * cy * Math.ceil(nx / cx) * cx);
  }

  private get paddedY(): number {
    return Math.ceil(this.meta.shape[1] / this.meta.chunkShape[1]) * this.meta.chunkShape[1];
  }
  private get paddedX(): number {
    return Math.ceil(this.meta.shape[2] / this.meta.chunkShape[2]) * this.meta.chunkShape[2];
  }

  async add(slice: SliceArray): Promise<void> {
    const [, ny, nx] = this.meta.shape;
    const py = this.paddedY;
    const px = this.paddedX;
    const base = this.filled * py * px;
    for (let y = 0; y < ny; y++) this.row.set(slice.subarray(y * nx, (y + 1) * nx), base + y * px);
    this.filled++;
    if (this.filled === this.meta.chunkShape[0]) await this.flush();
  }

  /** Writes the pending row (padding the missing slices with 0). */
  async flush(): Promise<void> {
    if (this.filled === 0) return;
    const [cz, cy, cx] = this.meta.chunkShape;
    const py = this.paddedY;
    const px = this.paddedX;
    this.row.fill(0, this.filled * py * px);
    const chunk = DTYPES[this.meta.dtype].create(cz * cy * cx);
    for (let iy = 0; iy < py / cy; iy++) {
      const dir = join(this.dir, 'c', String(this.rowIndex), String(iy));
      await mkdir(dir, { recursive: true });
      for (let ix = 0; ix < px / cx; ix++) {
        for (let z = 0; z < cz; z++) {
          for (let y = 0; y < cy; y++) {
            const from = z * py * px + (iy * cy + y) * px + ix * cx;
            chunk.set(this.row.subarray(from, from + cx), (z * cy + y) * cx);
          }
        }
        let bytes = littleEndianBytes(chunk);
        if (this.meta.gzipLevel !== undefined) bytes = gzipSync(bytes, { level: this.meta.gzipLevel });
        await writeFile(join(dir, String(ix)), bytes);
        this.bytes += bytes.length;
      }
    }
    this.filled = 0;
    this.rowIndex++;
  }
}
