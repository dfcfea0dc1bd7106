// ImageJ's layout for stacks over 4 GiB: a classic TIFF with ONE IFD whose
// ImageDescription starts with "ImageJ=" and says images=N; the N planes lie
// uncompressed one after another from the first strip offset. The other
// N - 1 pages are synthesised from the first (same tags, shifted offsets).
import { TAG } from './tags';
import { tagText } from './tag-text';
import { COPY_AGAIN, corrupt } from './tiff-errors';
import type { TiffPage } from './types';

/** The `images=` count of an ImageJ description, or undefined when not ImageJ. */
export function imageJImageCount(description: string | undefined): number | undefined {
  if (!description || !description.startsWith('ImageJ=')) return undefined;
  const m = /(?:^|\n)images=(\d+)/.exec(description);
  return m ? Number(m[1]) : undefined;
}

function planeBytes(p: TiffPage): number {
  return p.width * p.height * p.samplesPerPixel * (p.bitsPerSample / 8);
}

/** Whether page 0's strips lie back to back from its first offset, as ImageJ writes them. */
function contiguous(p: TiffPage): boolean {
  const rowBytes = (p.width * p.samplesPerPixel * p.bitsPerSample) / 8;
  return p.dataOffsets.every((o, k) => o === p.dataOffsets[0] + k * p.rowsPerStrip * rowBytes);
}

/**
 * Expands a one-IFD ImageJ file to its `images=` pages. Returns the pages
 * unchanged when the layout does not apply, with a notice when it was used.
 * Throws corrupt_file when the file is too short for the planes it announces.
 */
export function expandImageJ(pages: TiffPage[], path: string, fileSize: number): { pages: TiffPage[]; notice?: string } {
  if (pages.length !== 1) return { pages };
  const p = pages[0];
  const n = imageJImageCount(tagText(p, TAG.ImageDescription));
  if (n === undefined || n <= 1) return { pages };
  if (p.compression !== 1 || p.tiled || p.planarConfig !== 1 || p.bitsPerSample % 8 !== 0 || !contiguous(p)) {
    return { pages, notice: `The ImageJ description says ${n} images but only one is stored in a layout fibrecon can extend; read 1 image.` };
  }
  const bytes = planeBytes(p);
  const first = p.dataOffsets[0];
  const room = Math.max(0, Math.floor((fileSize - first) / bytes));
  if (room < n) {
    throw corrupt(
      path,
      `is truncated: its ImageJ description says ${n} images of ${p.width} x ${p.height} pixels ` +
        `(${bytes} bytes each, stored one after another from byte ${first}), but the file has ${fileSize} bytes, ` +
        `room for ${room} complete image${room === 1 ? '' : 's'}; ${COPY_AGAIN}`,
    );
  }
  const out: TiffPage[] = [p];
  for (let i = 1; i < n; i++) {
    const shift = i * bytes;
    out.push({ ...p, index: i, dataOffsets: p.dataOffsets.map((o) => o + shift), ifdOffset: undefined });
  }
  return { pages: out, notice: `ImageJ large-stack layout: ${n} images stored one after another after a single IFD.` };
}
