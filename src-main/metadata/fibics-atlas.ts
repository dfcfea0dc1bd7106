// Fibics NPVE / ZEISS Atlas 5 metadata: XML in TIFF tag 51023, root <Fibics>.
// Fields read (units as public Atlas readers treat them, e.g. ITK's IASEM
// importer and Atlas-3D stack tools, which multiply all of these by 1000 for nm):
//   Scan/Ux, Scan/Uy, Scan/Vx, Scan/Vy: the scan step vectors in µm per pixel
//       (no unit attribute; they follow Scan/FOV_X's units="um"). The pixel
//       size is their length, |U| for x and |V| for y: with scan rotation the
//       components mix, and Uy is 0 (not the y size) in unrotated files.
//   else Scan/FOV_X / Image/Width and Scan/FOV_Y / Image/Height (units attribute, "um").
//   ATLAS3D/Slice/ZPos: z position of this slice, µm (unless a units attribute says otherwise).
//   Image/Detector: detector name.
//   BeamInfo/item[@name="AccV"] (V) or an item holding a voltage with its unit: beam voltage.
// The slice interval is not in the TIFF: Atlas keeps it in Atlas3D.a3d-setup.
// The TIFF resolution tags of Atlas exports carry no scale and are never used.
import type { ImageMetadata } from '../../src-shared/metadata';
import { METADATA_TAGS } from './metadata-input';
import { acceptPixelSize, newMetadata, sourced } from './metadata-result';
import { nmPerLengthUnit, parseQuantity, parseStrictNumber, voltsPerUnit } from './numbers-and-units';
import { elementAt, parseXml, type XmlElement } from './xml-lite';

const WHERE = `Fibics tag ${METADATA_TAGS.FIBICS_XML}`;
/** Atlas writes lengths in micrometres unless a units attribute says otherwise. */
const DEFAULT_LENGTH_UNIT = 'um';

export function parseFibicsMetadata(xmlText: string, image?: { width: number; height: number }): ImageMetadata {
  const meta = newMetadata('fibics');
  let root: XmlElement;
  try {
    const doc = parseXml(xmlText);
    root = doc.root;
    if (!doc.complete) meta.notices.push(`${WHERE} ends before its XML is complete; read what was there.`);
  } catch (e) {
    meta.notices.push(`${WHERE} is not readable XML (${(e as Error).message}); no acquisition metadata was read from it.`);
    return meta;
  }
  if (root.name !== 'Fibics') {
    meta.notices.push(`${WHERE} holds <${root.name}>, not a <Fibics> block; no acquisition metadata was read from it.`);
    return meta;
  }
  flattenInto(meta.raw, root, '');
  readPixelSize(meta, root);
  checkRaster(meta, root, image);
  readZPosition(meta, root);
  const detector = elementAt(root, 'Image', 'Detector')?.text;
  if (detector) meta.detector = sourced(detector, `${WHERE} Image/Detector`);
  readBeamVoltage(meta, root);
  return meta;
}

/** nm per unit named by the element's units attribute (µm when absent); undefined, with a notice, when unknown. */
function nmPerUnitOf(meta: ImageMetadata, el: XmlElement | undefined, path: string): number | undefined {
  const unit = el?.attributes['units'] ?? DEFAULT_LENGTH_UNIT;
  const factor = nmPerLengthUnit(unit);
  if (factor === undefined) meta.notices.push(`Ignored ${path} in ${WHERE}: unknown length unit "${unit}".`);
  return factor;
}

function numberAt(meta: ImageMetadata, root: XmlElement, ...path: string[]): number | undefined {
  const el = elementAt(root, ...path);
  if (!el || el.text === '') return undefined;
  const n = parseStrictNumber(el.text);
  if (n === undefined) meta.notices.push(`Ignored ${path.join('/')}="${el.text}" in ${WHERE}: not a number.`);
  return n;
}

function readPixelSize(meta: ImageMetadata, root: XmlElement): void {
  const fovXEl = elementAt(root, 'Scan', 'FOV_X');
  const nmPerUnit = nmPerUnitOf(meta, fovXEl, 'Scan/FOV_X units');
  if (nmPerUnit === undefined) return;
  const unit = fovXEl?.attributes['units'] ?? DEFAULT_LENGTH_UNIT;
  const ux = numberAt(meta, root, 'Scan', 'Ux');
  const uy = numberAt(meta, root, 'Scan', 'Uy') ?? 0;
  const vx = numberAt(meta, root, 'Scan', 'Vx') ?? 0;
  const vy = numberAt(meta, root, 'Scan', 'Vy');
  if (ux !== undefined && Math.hypot(ux, uy) > 0) {
    const xNm = Math.hypot(ux, uy) * nmPerUnit;
    const xSource = `${WHERE} Scan/Ux,Uy (step vector length, ${unit})`;
    if (acceptPixelSize(meta, 'x', xNm, xSource)) {
      if (vy !== undefined && Math.hypot(vx, vy) > 0) {
        acceptPixelSize(meta, 'y', Math.hypot(vx, vy) * nmPerUnit, `${WHERE} Scan/Vx,Vy (step vector length, ${unit})`);
      } else {
        acceptPixelSize(meta, 'y', xNm, `${xSource} (no Vx,Vy: square pixels assumed)`);
      }
      return;
    }
  }
  // Writers that leave out the step vectors still give the field of view and the raster.
  const fovX = numberAt(meta, root, 'Scan', 'FOV_X');
  const cols = numberAt(meta, root, 'Image', 'Width');
  if (fovX !== undefined && cols !== undefined && cols > 0) {
    const xNm = (fovX * nmPerUnit) / cols;
    const xSource = `${WHERE} Scan/FOV_X (${unit}) / Image/Width`;
    if (acceptPixelSize(meta, 'x', xNm, xSource)) {
      const fovYEl = elementAt(root, 'Scan', 'FOV_Y');
      const fovY = numberAt(meta, root, 'Scan', 'FOV_Y');
      const rows = numberAt(meta, root, 'Image', 'Height');
      const yPerUnit = fovYEl ? nmPerUnitOf(meta, fovYEl, 'Scan/FOV_Y units') : undefined;
      if (fovY !== undefined && rows !== undefined && rows > 0 && yPerUnit !== undefined) {
        acceptPixelSize(meta, 'y', (fovY * yPerUnit) / rows, `${WHERE} Scan/FOV_Y / Image/Height`);
      } else {
        acceptPixelSize(meta, 'y', xNm, `${xSource} (no FOV_Y: square pixels assumed)`);
      }
      return;
    }
  }
  meta.notices.push(`${WHERE} has no usable Scan/Ux or Scan/FOV_X with Image/Width: the pixel size is unknown.`);
}

/** The block records the raster it describes; a binned or resized copy that kept the tag no longer matches it. */
function checkRaster(meta: ImageMetadata, root: XmlElement, image: { width: number; height: number } | undefined): void {
  const cols = parseStrictNumber(elementAt(root, 'Image', 'Width')?.text);
  const rows = parseStrictNumber(elementAt(root, 'Image', 'Height')?.text);
  if (!image || cols === undefined || rows === undefined) return;
  if (cols !== image.width || rows !== image.height) {
    meta.notices.push(
      `${WHERE} describes a ${cols} x ${rows} px image but this one is ${image.width} x ${image.height} px: ` +
        'if it was binned or resized after acquisition, the recorded pixel size does not apply; check it.',
    );
  }
}

function readZPosition(meta: ImageMetadata, root: XmlElement): void {
  const el = elementAt(root, 'ATLAS3D', 'Slice', 'ZPos');
  if (!el) return;
  const z = numberAt(meta, root, 'ATLAS3D', 'Slice', 'ZPos');
  const nmPerUnit = nmPerUnitOf(meta, el, 'ATLAS3D/Slice/ZPos units');
  if (z === undefined || nmPerUnit === undefined) return;
  const unit = el.attributes['units'] ?? DEFAULT_LENGTH_UNIT;
  meta.zPositionNm = sourced(z * nmPerUnit, `${WHERE} ATLAS3D/Slice/ZPos (${unit})`);
}

/**
 * <BeamInfo> item names that may hold the beam voltage. "AccV" (volts, no unit) is
 * what Fibics-written files carry (NexusLIMS reads it so); the other names are
 * accepted only when the text states its unit, since no sample of them was at hand.
 */
const VOLTAGE_ITEMS = ['AccV', 'EHT', 'HV', 'Voltage', 'Accelerating Voltage'];

function readBeamVoltage(meta: ImageMetadata, root: XmlElement): void {
  const items = elementAt(root, 'BeamInfo')?.children.filter((c) => c.name === 'item') ?? [];
  for (const wanted of VOLTAGE_ITEMS) {
    const item = items.find((c) => (c.attributes['name'] ?? '').toLowerCase() === wanted.toLowerCase());
    if (!item) continue;
    const q = parseQuantity(item.text);
    const factor = q ? (q.unit === '' ? (wanted === 'AccV' ? 1 : undefined) : voltsPerUnit(q.unit)) : undefined;
    if (!q || factor === undefined || q.value <= 0) {
      meta.notices.push(`Ignored BeamInfo item "${wanted}" = "${item.text}" in ${WHERE}: not a voltage with a known unit.`);
      continue;
    }
    meta.beamVoltageV = sourced(q.value * factor, `${WHERE} BeamInfo item "${item.attributes['name']}"`);
    return;
  }
}

/** Leaf elements as "Scan.Ux" -> text (with the units attribute appended); items by their name attribute. */
function flattenInto(raw: Record<string, string>, el: XmlElement, prefix: string): void {
  for (const c of el.children) {
    const label = c.name === 'item' && c.attributes['name'] ? c.attributes['name'] : c.name;
    const path = prefix === '' ? label : `${prefix}.${label}`;
    if (c.children.length > 0) {
      flattenInto(raw, c, path);
    } else if (!(path in raw)) {
      const units = c.attributes['units'];
      raw[path] = units ? `${c.text} ${units}` : c.text;
    }
  }
}
