// ImageJ / Fiji calibration: the ImageDescription (tag 270) starts with
// "ImageJ=<version>" and holds "key=value" lines (images, slices, unit,
// spacing, and yunit/zunit when the axes differ); the in-plane scale is the
// TIFF XResolution/YResolution in pixels per `unit`. ImageJ writes µm as "um",
// older versions as "micron"; "\u00B5m" and mis-decoded forms occur too.
// ImageJ omits spacing when it is exactly 1 unit, so a calibrated stack
// without a spacing line has a 1-unit spacing: kept, with a notice.
import type { ImageMetadata } from '../../src-shared/metadata';
import { acceptPixelSize, newMetadata, sourced } from './metadata-result';
import { formatNumber, nmPerLengthUnit, parseStrictNumber } from './numbers-and-units';

const WHERE = 'ImageJ description';

/** True when an ImageDescription was written by ImageJ/Fiji (or a writer imitating it, such as tifffile). */
export function isImageJDescription(text: string | undefined): text is string {
  return text !== undefined && text.trimStart().startsWith('ImageJ=');
}

export interface ImageJParseOptions {
  /**
   * Set when a vendor tag already gives the pixel size: the ImageJ pixel size is
   * still read (to compare) but its notices are dropped, since "not calibrated"
   * or "no XResolution" does not matter then; the comparison says what does.
   */
  pixelSizeFromVendor?: boolean;
}

export function parseImageJDescription(
  text: string,
  resolution: { xResolution?: number; yResolution?: number } = {},
  options: ImageJParseOptions = {},
): ImageMetadata {
  const meta = newMetadata('imagej');
  for (const line of text.split(/\r\n|\r|\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) meta.raw[line.slice(0, eq).trim()] = line.slice(eq + 1).replace(/\0/g, '').trim();
  }
  const unit = meta.raw['unit'];
  const kept = meta.notices;
  if (options.pixelSizeFromVendor) meta.notices = [];
  const nmPerUnit = lengthUnitFactor(meta, 'unit', unit);
  if (nmPerUnit !== undefined) readPixelSizes(meta, resolution, unit!, nmPerUnit);
  meta.notices = kept;
  readSpacing(meta, unit, nmPerUnit);
  return meta;
}

/** nm per unit for one of the unit lines; a notice when it says "pixel", is missing, or is unknown. */
function lengthUnitFactor(meta: ImageMetadata, key: string, unit: string | undefined): number | undefined {
  if (unit === undefined || unit === '' || /^pixels?$/i.test(unit)) {
    if (key === 'unit') {
      meta.notices.push(
        `The ${WHERE} has ${unit ? `unit=${unit}` : 'no unit'}: the image is not calibrated, so the pixel size is unknown. ` +
          'Enter it by hand.',
      );
    }
    return undefined;
  }
  const factor = nmPerLengthUnit(unit);
  if (factor === undefined) {
    meta.notices.push(`The ${WHERE} has ${key}=${unit}, a unit fibrecon does not know; its calibration was not used.`);
  } else if (/^inch(es)?$/i.test(unit)) {
    meta.notices.push(
      `The ${WHERE} has ${key}=${unit}: that is usually a printing resolution (dpi), not a calibration. Check the pixel size.`,
    );
  }
  return factor;
}

function readPixelSizes(
  meta: ImageMetadata,
  resolution: { xResolution?: number; yResolution?: number },
  unit: string,
  nmPerUnit: number,
): void {
  const xRes = resolution.xResolution;
  if (xRes === undefined || !Number.isFinite(xRes) || xRes <= 0) {
    meta.notices.push(
      `The ${WHERE} has unit=${unit} but the TIFF has no usable XResolution (pixels per ${unit}); the pixel size is unknown.`,
    );
    return;
  }
  const xSource = `${WHERE} unit=${unit}, XResolution ${formatNumber(xRes)} px/${unit}`;
  if (!acceptPixelSize(meta, 'x', nmPerUnit / xRes, xSource)) return;

  // yunit appears only when it differs from unit; YResolution is normally present but may be missing.
  const yUnit = meta.raw['yunit'] ?? unit;
  const yPerUnit = yUnit === unit ? nmPerUnit : lengthUnitFactor(meta, 'yunit', yUnit);
  const yRes = resolution.yResolution;
  if (yPerUnit !== undefined && yRes !== undefined && Number.isFinite(yRes) && yRes > 0) {
    acceptPixelSize(meta, 'y', yPerUnit / yRes, `${WHERE} ${yUnit === unit ? 'unit' : 'yunit'}=${yUnit}, YResolution ${formatNumber(yRes)} px/${yUnit}`);
  } else {
    acceptPixelSize(meta, 'y', nmPerUnit / xRes, `${xSource} (no usable YResolution: square pixels assumed)`);
  }
}

function readSpacing(meta: ImageMetadata, unit: string | undefined, nmPerUnit: number | undefined): void {
  const zUnit = meta.raw['zunit'] ?? unit;
  const zPerUnit = zUnit === unit ? nmPerUnit : lengthUnitFactor(meta, 'zunit', zUnit);
  const spacingText = meta.raw['spacing'];
  if (spacingText !== undefined) {
    const spacing = parseStrictNumber(spacingText);
    if (spacing === undefined || spacing <= 0) {
      meta.notices.push(`Ignored spacing=${spacingText} in the ${WHERE}: not a positive number.`);
    } else if (zPerUnit !== undefined) {
      meta.sliceSpacingNm = sourced(spacing * zPerUnit, `${WHERE} spacing=${spacingText} ${zUnit}`);
    }
    return;
  }
  const images = parseStrictNumber(meta.raw['images']);
  if (zPerUnit !== undefined && images !== undefined && images > 1) {
    meta.sliceSpacingNm = sourced(zPerUnit, `${WHERE}: no spacing line, which ImageJ writes only when it is not 1 ${zUnit}`);
    meta.notices.push(
      `The ${WHERE} has no spacing line; ImageJ leaves it out when the spacing is exactly 1 ${zUnit}, so 1 ${zUnit} was assumed. Check the slice spacing.`,
    );
  }
}
