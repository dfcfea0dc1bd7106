// Chooses the metadata a TIFF carries and reads it: the instrument's own tag
// first (Thermo Fisher/FEI, ZEISS, Fibics/Atlas, Tescan, in that order), then
// an ImageJ description. A file can hold both (exported through Fiji or
// tifffile): the instrument's pixel size wins, because it was measured where
// the image was taken, while the ImageJ spacing still gives the slice spacing.
// Both sources are recorded, and a disagreement of more than 1 % is reported,
// since it usually means the image was resized after acquisition.
// The TIFF resolution tags are used only with an ImageJ description: many
// instruments (FEI among them) write placeholder values there.
import type { ImageMetadata, Sourced } from '../../src-shared/metadata';
import { parseFeiMetadata } from './thermo-fei';
import { parseFibicsMetadata } from './fibics-atlas';
import { isImageJDescription, parseImageJDescription } from './imagej-description';
import { METADATA_TAGS, type ImageGeometry, type TagTextSource } from './metadata-input';
import { newMetadata, relativeDifference } from './metadata-result';
import { formatNumber } from './numbers-and-units';
import { parseTescanMetadata } from './tescan';
import { parseZeissMetadata } from './zeiss-smartsem';

/** Pixel sizes further apart than this are reported. */
const DISAGREEMENT = 0.01;

const VENDOR_READERS: { tag: number; read: (text: string, image: ImageGeometry) => ImageMetadata }[] = [
  { tag: METADATA_TAGS.FEI_HELIOS, read: (t, img) => parseFeiMetadata(t, img, METADATA_TAGS.FEI_HELIOS) },
  { tag: METADATA_TAGS.FEI_SFEG, read: (t, img) => parseFeiMetadata(t, img, METADATA_TAGS.FEI_SFEG) },
  { tag: METADATA_TAGS.CZ_SEM, read: (t, img) => parseZeissMetadata(t, img) },
  { tag: METADATA_TAGS.FIBICS_XML, read: (t, img) => parseFibicsMetadata(t, img) },
  { tag: METADATA_TAGS.TESCAN, read: (t) => parseTescanMetadata(t) },
];

export function parseImageMetadata(tags: TagTextSource, image: ImageGeometry): ImageMetadata {
  const vendor = readVendorTag(tags, image);
  const description = tags.text(METADATA_TAGS.IMAGE_DESCRIPTION);
  const imagej = isImageJDescription(description)
    ? parseImageJDescription(description, image, { pixelSizeFromVendor: vendor?.pixelSizeXNm !== undefined })
    : undefined;
  if (vendor && imagej) return combine(vendor, imagej);
  if (vendor) return vendor;
  if (imagej) return imagej;
  const none = newMetadata('unknown');
  none.notices.push(
    'This TIFF carries no instrument metadata (Thermo Fisher/FEI, ZEISS, Fibics/Atlas or Tescan tag) and no ImageJ ' +
      'description, so its pixel size and slice spacing are unknown: enter them by hand. Its TIFF resolution tags ' +
      'are not used, because many instruments write placeholder values there.',
  );
  return none;
}

/** The first vendor tag that holds readable metadata; a tag with nothing readable falls through to the next. */
function readVendorTag(tags: TagTextSource, image: ImageGeometry): ImageMetadata | undefined {
  let unreadable: ImageMetadata | undefined;
  for (const { tag, read } of VENDOR_READERS) {
    const text = tags.text(tag);
    if (text === undefined || text.trim() === '') continue;
    const meta = read(text, image);
    if (Object.keys(meta.raw).length > 0) return meta;
    unreadable ??= meta;
  }
  return unreadable;
}

function combine(vendor: ImageMetadata, imagej: ImageMetadata): ImageMetadata {
  const out: ImageMetadata = { ...vendor, raw: { ...vendor.raw }, notices: [...vendor.notices, ...imagej.notices] };
  for (const [k, v] of Object.entries(imagej.raw)) out.raw[`ImageJ.${k}`] = v;
  out.pixelSizeXNm = pickPixelSize('x', vendor.pixelSizeXNm, imagej.pixelSizeXNm, out.notices);
  out.pixelSizeYNm = pickPixelSize('y', vendor.pixelSizeYNm, imagej.pixelSizeYNm, out.notices);
  if (!out.pixelSizeXNm) delete out.pixelSizeXNm;
  if (!out.pixelSizeYNm) delete out.pixelSizeYNm;
  if (!vendor.sliceSpacingNm && imagej.sliceSpacingNm) out.sliceSpacingNm = imagej.sliceSpacingNm;
  return out;
}

function pickPixelSize(
  axis: 'x' | 'y',
  vendor: Sourced<number> | undefined,
  imagej: Sourced<number> | undefined,
  notices: string[],
): Sourced<number> | undefined {
  if (!imagej) return vendor;
  if (!vendor) {
    notices.push(`The instrument metadata has no ${axis} pixel size; the ImageJ calibration (${formatNumber(imagej.value)} nm) was used.`);
    return imagej;
  }
  const diff = relativeDifference(vendor.value, imagej.value);
  if (diff > DISAGREEMENT) {
    notices.push(
      `The ${axis} pixel size from ${vendor.source} is ${formatNumber(vendor.value)} nm but the ImageJ calibration says ` +
        `${formatNumber(imagej.value)} nm (${formatNumber(diff * 100)} % apart): the instrument's value was used. ` +
        'If the image was resized after acquisition, override the pixel size.',
    );
  }
  const verdict = diff > DISAGREEMENT ? 'disagrees' : 'agrees';
  return {
    value: vendor.value,
    source: `${vendor.source}; ${verdict}: ${imagej.source} gives ${formatNumber(imagej.value)} nm`,
  };
}
