// Which TIFF pages fibrecon decodes, and the message when it does not.
// Readable: 8 or 16 bit unsigned samples; grey (MinIsBlack / MinIsWhite),
// RGB or palette (converted to grey); uncompressed, LZW, Deflate, PackBits.
import type { AppError } from '../../src-shared/errors';
import { TAG, tagNumbers } from './tags';
import { COPY_OR_REEXPORT, corrupt, unsupported } from './tiff-errors';
import type { TiffPage } from './types';

export const SUPPORTED_COMPRESSIONS: ReadonlySet<number> = new Set([1, 5, 8, 32946, 32773]);

const COMPRESSION_NAMES: Record<number, string> = {
  1: 'none', 2: 'CCITT modified Huffman RLE', 3: 'CCITT Group 3 fax', 4: 'CCITT Group 4 fax', 5: 'LZW',
  6: 'old-style JPEG', 7: 'JPEG', 8: 'Deflate', 9: 'JBIG', 10: 'JBIG2', 32773: 'PackBits', 32809: 'ThunderScan',
  32946: 'Deflate', 33003: 'Aperio JPEG 2000', 33005: 'Aperio JPEG 2000', 34661: 'JBIG', 34676: 'SGI LogLuv',
  34677: 'SGI LogLuv24', 34712: 'JPEG 2000', 34887: 'LERC', 34892: 'lossy JPEG (DNG)', 34925: 'LZMA',
  34926: 'Zstandard', 34927: 'WebP', 34933: 'PNG', 34934: 'JPEG XR', 50000: 'Zstandard', 50001: 'WebP',
  50002: 'JPEG XL', 52546: 'JPEG XL',
};

const PHOTOMETRIC_NAMES: Record<number, string> = {
  4: 'a transparency mask', 5: 'CMYK (separated)', 6: 'YCbCr', 8: 'CIE L*a*b*', 9: 'ICC L*a*b*', 10: 'ITU L*a*b*',
  32803: 'raw camera (CFA)', 32844: 'LogL', 32845: 'LogLuv', 34892: 'linear raw',
};

export function compressionName(c: number): string {
  return COMPRESSION_NAMES[c] ?? 'unknown';
}

const NEED = 'fibrecon needs 8 or 16 bit grey';
const FIJI = 'export the stack as 8/16-bit grey TIFF from Fiji';

/** The error to throw for a page fibrecon cannot decode, or undefined when it can. */
export function unsupportedError(page: TiffPage, path: string): AppError | undefined {
  const { bitsPerSample: bps, sampleFormat: fmt, photometric: ph, compression: c } = page;
  const which = page.index > 0 ? ` (image ${page.index + 1})` : '';
  if (bps === 1) return unsupported(path, `is a 1-bit (black and white) image${which}; ${NEED}: ${FIJI}`);
  if (fmt === 3) {
    return unsupported(path, `holds ${bps}-bit floating-point samples${which}; ${NEED}: convert it in Fiji (Image > Type > 16-bit) and save it as TIFF`);
  }
  if (fmt === 2) {
    return unsupported(path, `holds signed ${bps}-bit integer samples${which}; ${NEED} (unsigned): convert it in Fiji (Image > Type > 16-bit) and save it as TIFF`);
  }
  if (fmt !== 1 && fmt !== 4) return unsupported(path, `has an unknown sample format ${fmt}${which}; ${NEED}: ${FIJI}`);
  if (bps !== 8 && bps !== 16) return unsupported(path, `is a ${bps}-bit image${which}; ${NEED}: ${FIJI}`);
  const allBits = tagNumbers(page.tags, TAG.BitsPerSample) ?? [bps];
  if (allBits.some((b) => b !== bps)) {
    return unsupported(path, `has samples of different sizes (${allBits.join(', ')} bits)${which}; ${NEED}: ${FIJI}`);
  }
  if (!SUPPORTED_COMPRESSIONS.has(c)) {
    return unsupported(
      path,
      `is compressed with ${compressionName(c)} (TIFF compression ${c})${which}, which fibrecon does not read; ` +
        'save it uncompressed or with LZW or Deflate (in Fiji: File > Save As > Tiff...)',
    );
  }
  if (page.predictor !== 1 && page.predictor !== 2) {
    return unsupported(path, `uses TIFF predictor ${page.predictor}${which}, which fibrecon does not read; save it uncompressed from Fiji`);
  }
  if (ph === 2) {
    if (page.samplesPerPixel < 3) return corrupt(path, `is corrupt: RGB image${which} with ${page.samplesPerPixel} samples per pixel (RGB needs 3); ${COPY_OR_REEXPORT}`);
  } else if (ph === 3) {
    const map = tagNumbers(page.tags, TAG.ColorMap);
    if (!map || map.length < 3 * 2 ** bps) return corrupt(path, `is corrupt: palette image${which} without a complete ColorMap (the table of its colours); ${COPY_OR_REEXPORT}`);
  } else if (ph !== 0 && ph !== 1) {
    const name = PHOTOMETRIC_NAMES[ph] ?? `photometric ${ph}`;
    return unsupported(path, `stores colours as ${name}${which}; ${NEED}: ${FIJI}`);
  }
  return undefined;
}
