// Turns an IFD's tags into a TiffPage: image size, sample layout and where
// the strips or tiles lie. Checks only what is needed to locate the data;
// whether fibrecon can decode the pixels is decided in support.ts.
import type { RawIfd } from './ifd';
import { COPY_OR_REEXPORT, corrupt } from './tiff-errors';
import { TAG, tagNumber, tagNumbers } from './tags';
import type { TiffPage } from './types';

export function buildPage(ifd: RawIfd, index: number, path: string): TiffPage {
  const t = ifd.tags;
  // The directory that says where the pixels are is wrong: a damaged copy, or a writer's bug.
  const bad = (what: string) => corrupt(path, `is corrupt: image ${index + 1} ${what}; ${COPY_OR_REEXPORT}`);
  const width = tagNumber(t, TAG.ImageWidth, 0);
  const height = tagNumber(t, TAG.ImageLength, 0);
  if (!(width > 0) || !(height > 0) || !Number.isInteger(width) || !Number.isInteger(height)) {
    throw bad(`has no valid size (width ${width}, height ${height})`);
  }
  const samplesPerPixel = tagNumber(t, TAG.SamplesPerPixel, 1);
  const bitsPerSample = tagNumber(t, TAG.BitsPerSample, 1);
  const compression = tagNumber(t, TAG.Compression, 1);
  const planarConfig = samplesPerPixel > 1 ? tagNumber(t, TAG.PlanarConfig, 1) : 1;
  const tiled = t.has(TAG.TileWidth) || t.has(TAG.TileOffsets);
  const tileWidth = tiled ? tagNumber(t, TAG.TileWidth, 0) : 0;
  const tileHeight = tiled ? tagNumber(t, TAG.TileLength, 0) : 0;
  if (tiled && !(tileWidth > 0 && tileHeight > 0)) throw bad(`has tiles of invalid size ${tileWidth} x ${tileHeight}`);
  const rps = tagNumber(t, TAG.RowsPerStrip, height);
  const rowsPerStrip = tiled ? height : Math.min(rps > 0 ? rps : height, height);

  const planes = planarConfig === 2 ? samplesPerPixel : 1;
  const chunks = tiled
    ? Math.ceil(width / tileWidth) * Math.ceil(height / tileHeight) * planes
    : Math.ceil(height / rowsPerStrip) * planes;
  const dataOffsets = tagNumbers(t, tiled ? TAG.TileOffsets : TAG.StripOffsets);
  if (!dataOffsets) throw bad(`has no ${tiled ? 'TileOffsets' : 'StripOffsets'} tag (where its pixels are)`);
  if (dataOffsets.length < chunks) {
    throw bad(`lists ${dataOffsets.length} ${tiled ? 'tiles' : 'strips'} but needs ${chunks}`);
  }
  let byteCounts = tagNumbers(t, tiled ? TAG.TileByteCounts : TAG.StripByteCounts);
  if (!byteCounts) {
    if (compression !== 1) throw bad(`has no ${tiled ? 'TileByteCounts' : 'StripByteCounts'} tag`);
    // Old writers omit it for uncompressed data: the size follows from the layout.
    const spp = planarConfig === 2 ? 1 : samplesPerPixel;
    const rowBytes = Math.ceil(((tiled ? tileWidth : width) * spp * bitsPerSample) / 8);
    byteCounts = dataOffsets.map(() => rowBytes * (tiled ? tileHeight : rowsPerStrip));
  }
  if (byteCounts.length < chunks) throw bad(`lists ${byteCounts.length} byte counts but needs ${chunks}`);

  return {
    index,
    width,
    height,
    bitsPerSample,
    samplesPerPixel,
    sampleFormat: tagNumber(t, TAG.SampleFormat, 1),
    photometric: tagNumber(t, TAG.Photometric, samplesPerPixel >= 3 ? 2 : 1),
    compression,
    planarConfig,
    predictor: tagNumber(t, TAG.Predictor, 1),
    tiled,
    tileWidth,
    tileHeight,
    rowsPerStrip,
    dataOffsets: dataOffsets.slice(0, chunks),
    byteCounts: byteCounts.slice(0, chunks),
    tags: t,
    subfileType: tagNumber(t, TAG.NewSubfileType, 0),
    ifdOffset: ifd.offset,
  };
}
