// ZEISS SmartSEM metadata: TIFF tag 34118 (CZ_SEM), Latin-1 text in which a
// parameter code line ("AP_IMAGE_PIXEL_SIZE") is followed by a
// "Label = value unit" line ("Image Pixel Size = 12.33 nm"); a few use ":"
// ("Date :22 Jan 2026"). Some unnamed numbers precede the first code. Fields read:
//   AP_IMAGE_PIXEL_SIZE "Image Pixel Size" -> pixel size (square pixels);
//   else AP_WIDTH "Width" / image width in px.
//   AP_PIXEL_SIZE "Pixel Size" is NOT used: it refers to a 1024-px-wide frame,
//   not to this image, and would be wrong by width/1024.
//   AP_ACTUALKV "EHT" (else AP_MANUALKV) -> beam voltage (kV or V).
//   DP_DETECTOR_TYPE "Detector" (else DP_DETECTOR_CHANNEL "Signal A") -> detector.
//   DP_IMAGE_STORE "Store resolution = 1024 * 768" -> image rows when the TIFF is taller.
import type { ImageMetadata } from '../../src-shared/metadata';
import { acceptPixelSize, newMetadata, sourced } from './metadata-result';
import { formatNumber, nmPerLengthUnit, parseQuantity, voltsPerUnit } from './numbers-and-units';

const WHERE = 'ZEISS tag 34118';

/** A parameter code: two or three capitals, underscore, capitals/digits (AP_WD, DP_DETECTOR_TYPE, SV_SERIAL_NUMBER). */
const CODE_LINE = /^[A-Z]{2,3}_[A-Z0-9_]+$/;

interface ZeissParameter {
  label: string;
  value: string;
}

export function parseZeissMetadata(text: string, image?: { width: number; height: number }): ImageMetadata {
  const meta = newMetadata('zeiss');
  const params = readParameters(text);
  for (const [code, p] of params) meta.raw[code] = p.label === '' ? p.value : `${p.label} = ${p.value}`;
  if (params.size === 0) {
    meta.notices.push(`${WHERE} holds no parameter codes (AP_..., DP_...); no acquisition metadata was read from it.`);
    return meta;
  }
  readPixelSize(meta, params, image);
  readBeamVoltage(meta, params);
  readDetector(meta, params);
  readImageRows(meta, params, image);
  return meta;
}

/** Code -> its label and value; the first occurrence of a code wins. */
function readParameters(text: string): Map<string, ZeissParameter> {
  const params = new Map<string, ZeissParameter>();
  let code: string | undefined;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/\0/g, '').trim();
    if (line === '') continue;
    if (CODE_LINE.test(line)) {
      code = line;
      continue;
    }
    if (code === undefined) continue; // unnamed leading values
    if (!params.has(code)) params.set(code, splitLabelValue(line));
    code = undefined;
  }
  return params;
}

/** "Image Pixel Size = 12.33 nm" -> label/value; "=" first because values such as times contain ":". */
function splitLabelValue(line: string): ZeissParameter {
  const eq = line.indexOf('=');
  const sep = eq >= 0 ? eq : line.indexOf(':');
  if (sep < 0) return { label: '', value: line };
  return { label: line.slice(0, sep).trim(), value: line.slice(sep + 1).trim() };
}

/** A length in nm from "12.33 nm"; a notice (and undefined) when the number or unit is unreadable. */
function lengthNm(meta: ImageMetadata, code: string, p: ZeissParameter): number | undefined {
  const q = parseQuantity(p.value);
  const factor = q ? nmPerLengthUnit(q.unit) : undefined;
  if (!q || factor === undefined) {
    meta.notices.push(`Ignored ${code} "${p.label} = ${p.value}" in ${WHERE}: not a length with a known unit.`);
    return undefined;
  }
  return q.value * factor;
}

function readPixelSize(
  meta: ImageMetadata,
  params: Map<string, ZeissParameter>,
  image: { width: number; height: number } | undefined,
): void {
  const imagePixel = params.get('AP_IMAGE_PIXEL_SIZE');
  if (imagePixel) {
    const nm = lengthNm(meta, 'AP_IMAGE_PIXEL_SIZE', imagePixel);
    const source = `${WHERE} AP_IMAGE_PIXEL_SIZE (${imagePixel.label || 'Image Pixel Size'})`;
    if (nm !== undefined && acceptPixelSize(meta, 'x', nm, source)) {
      acceptPixelSize(meta, 'y', nm, `${source}, square pixels`);
      return;
    }
  }
  const width = params.get('AP_WIDTH');
  if (width && image && image.width > 0) {
    const widthNm = lengthNm(meta, 'AP_WIDTH', width);
    if (widthNm !== undefined) {
      const nm = widthNm / image.width;
      const source = `${WHERE} AP_WIDTH (${width.label || 'Width'} = ${width.value}) / image width ${image.width} px`;
      if (acceptPixelSize(meta, 'x', nm, source)) {
        acceptPixelSize(meta, 'y', nm, `${source}, square pixels`);
        return;
      }
    }
  }
  const framePixel = params.get('AP_PIXEL_SIZE');
  meta.notices.push(
    framePixel
      ? `${WHERE} has neither "Image Pixel Size" nor a usable "Width"; its "Pixel Size" (${framePixel.value}) ` +
          'refers to a 1024-px-wide frame, not to this image, so it was not used. Enter the pixel size by hand.'
      : `${WHERE} has no "Image Pixel Size" and no usable "Width": the pixel size is unknown. Enter it by hand.`,
  );
}

function readBeamVoltage(meta: ImageMetadata, params: Map<string, ZeissParameter>): void {
  for (const code of ['AP_ACTUALKV', 'AP_MANUALKV']) {
    const p = params.get(code);
    if (!p) continue;
    const q = parseQuantity(p.value);
    const factor = q ? voltsPerUnit(q.unit) : undefined;
    if (!q || factor === undefined || q.value <= 0) {
      meta.notices.push(`Ignored ${code} "${p.label} = ${p.value}" in ${WHERE}: not a positive voltage in V or kV.`);
      continue;
    }
    meta.beamVoltageV = sourced(q.value * factor, `${WHERE} ${code} (${p.label || 'EHT'} = ${p.value})`);
    return;
  }
}

function readDetector(meta: ImageMetadata, params: Map<string, ZeissParameter>): void {
  for (const code of ['DP_DETECTOR_TYPE', 'DP_DETECTOR_CHANNEL']) {
    const p = params.get(code);
    if (p && p.value !== '') {
      meta.detector = sourced(p.value, `${WHERE} ${code} (${p.label || 'Detector'})`);
      return;
    }
  }
}

/** The store resolution ("1024 * 768") is the scanned image; rows beyond it in the TIFF are the data zone. */
function readImageRows(
  meta: ImageMetadata,
  params: Map<string, ZeissParameter>,
  image: { width: number; height: number } | undefined,
): void {
  const store = params.get('DP_IMAGE_STORE');
  if (!store || !image) return;
  const m = /^(\d+)\s*[*x×]\s*(\d+)$/i.exec(store.value);
  if (!m) return;
  const cols = Number(m[1]);
  const rows = Number(m[2]);
  if (cols !== image.width) {
    // Only "Image Pixel Size" is tied to the stored raster; Width / image width follows a resize.
    if (meta.pixelSizeXNm?.source.includes('AP_IMAGE_PIXEL_SIZE')) {
      meta.notices.push(
        `${WHERE} says the image was stored ${cols} px wide (DP_IMAGE_STORE) but it is ${image.width} px: ` +
          `resized after acquisition? The recorded pixel size (${formatNumber(meta.pixelSizeXNm.value)} nm) may not apply.`,
      );
    }
    return;
  }
  if (rows > 0 && rows < image.height) {
    meta.imageRows = sourced(rows, `${WHERE} DP_IMAGE_STORE (${store.value}); rows below are the data zone`);
  }
}
