// Reads one page (or a crop of it) as a grey plane: picks the fast raw path
// or the general chunk path, then converts colour / MinIsWhite to grey.
import { AppError } from '../../src-shared/errors';
import { checkDataExtent } from './extent-check';
import { canReadRaw, readRawStrips, type ReadContext } from './read-raw-strips';
import { readChunks, type SamplePlane } from './read-chunks';
import { unsupportedError } from './support';
import { LUMA_NOTE, invertInPlace, paletteToGrey, rgbToGrey } from './to-grey';
import { shortName } from './tiff-errors';
import type { Crop, GreyDType, GreyPlane, ReadPageOptions, TiffPage } from './types';

/** Most pixels returned by one readPage (2^31: a 4 GiB 16-bit plane). */
export const MAX_PIXELS = 2 ** 31;

export function validCrop(page: TiffPage, crop: Crop | undefined, path: string): Crop {
  if (!crop) return { x: 0, y: 0, width: page.width, height: page.height };
  const { x, y, width, height } = crop;
  const ints = [x, y, width, height].every((v) => Number.isSafeInteger(v));
  if (!ints || x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > page.width || y + height > page.height) {
    throw new AppError(
      'invalid_input',
      `Crop x=${x} y=${y} width=${width} height=${height} does not lie inside image ${page.index + 1} of ${shortName(path)} (${page.width} x ${page.height} pixels): choose a region inside the image.`,
      path,
    );
  }
  return { x, y, width, height };
}

function makePlane(dtype: GreyDType, n: number): SamplePlane {
  return dtype === 'uint8' ? new Uint8Array(n) : new Uint16Array(n);
}

function outputArray(dtype: GreyDType, n: number, target: ReadPageOptions['target'], path: string): SamplePlane {
  if (!target) return makePlane(dtype, n);
  const ok = dtype === 'uint8' ? target instanceof Uint8Array : target instanceof Uint16Array;
  if (!ok || target.length < n) {
    throw new AppError('invalid_input', `The buffer given to read ${shortName(path)} must be a ${dtype} array of at least ${n} values.`, path);
  }
  return target.length === n ? target : target.subarray(0, n);
}

function bytesOf(a: SamplePlane): Uint8Array {
  return a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Fills the given sample planes (index = sample number), choosing the fastest path per plane. */
async function readSamples(ctx: ReadContext, page: TiffPage, crop: Crop, planes: (SamplePlane | undefined)[]): Promise<void> {
  if (canReadRaw(page)) {
    for (let s = 0; s < planes.length; s++) {
      const p = planes[s];
      if (p) await readRawStrips(ctx, page, crop, s, bytesOf(p));
    }
  } else {
    await readChunks(ctx, page, crop, planes);
  }
}

export async function readPlane(ctx: ReadContext, page: TiffPage, opts: ReadPageOptions = {}): Promise<GreyPlane> {
  const err = unsupportedError(page, ctx.path);
  if (err) throw err;
  const crop = validCrop(page, opts.crop, ctx.path);
  const n = crop.width * crop.height;
  if (n > MAX_PIXELS) {
    throw new AppError(
      'unsupported_format',
      `${shortName(ctx.path)}: image ${page.index + 1} is ${page.width} x ${page.height} pixels, too many to read as one plane; read it in crops of at most ${MAX_PIXELS} pixels.`,
      ctx.path,
    );
  }
  checkDataExtent(ctx, page, crop);
  const dtype: GreyDType = page.bitsPerSample === 8 ? 'uint8' : 'uint16';
  const max = dtype === 'uint8' ? 255 : 65535;
  const out = outputArray(dtype, n, opts.target, ctx.path);
  const notices: string[] = [];
  const extra = page.samplesPerPixel - (page.photometric === 2 ? 3 : 1);
  if (page.photometric === 2) {
    const rgb = [0, 1, 2].map(() => makePlane(dtype, n));
    await readSamples(ctx, page, crop, rgb);
    rgbToGrey(rgb[0], rgb[1], rgb[2], out);
    notices.push(`Converted RGB to grey (${LUMA_NOTE}).`);
  } else if (page.photometric === 3) {
    const idx = makePlane(dtype, n);
    await readSamples(ctx, page, crop, [idx]);
    const how = paletteToGrey(page, idx, out);
    notices.push(`Converted the palette (indexed colour) image to grey: each colour's ${LUMA_NOTE}${how}.`);
  } else {
    await readSamples(ctx, page, crop, [out]);
    if (page.photometric === 0) {
      invertInPlace(out, max);
      notices.push(`Inverted the grey values: the file stores MinIsWhite (0 = white); fibrecon uses 0 = black (value = ${max} - stored).`);
    }
  }
  if (extra > 0) notices.push(`Ignored ${extra} extra sample${extra > 1 ? 's' : ''} per pixel (alpha or other).`);
  return { width: crop.width, height: crop.height, dtype, data: out, notices };
}
