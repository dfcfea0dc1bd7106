// Labels are labels: a two-valued volume used as binary is mapped to 0 (pore)
// and 1 (solid) once, on the way in, so that everything derived from it holds
// exactly 0 and 1. Masks come in several spellings:
//   0 / 1   fibrecon's own labels, and most tools'
//   0 / 255 Fiji's binary masks (Process > Binary, thresholded 8-bit images)
//   1 / 2   Avizo / Amira label fields with materials listed as pore, then solid
//           (0 is "Exterior" there, so a two-material field holds 1 and 2)
// The rule for all of them: of the two values, the higher one is solid (1) and
// the lower one pore (0). A volume with one value is all pore when that value is
// 0 and all solid otherwise. More than two values are refused: that is a grey
// image or a multi-phase segmentation, not a binary mask. A mask with the
// opposite meaning (solid stored as the lower value) must be inverted first
// (e.g. Fiji: Edit > Invert).
import { type SliceArray } from '../../src-shared/dtype';
import { AppError } from '../../src-shared/errors';
import type { Volume } from '../../src-shared/volume';
import type { RepositionedVolume } from './reposition-volume';

export const LABEL_RULE = 'of the two values the higher is solid (1), the lower pore (0)';

export interface LabelMapping {
  /** The distinct values found (ascending), at most two. */
  values: number[];
  /** The value read as solid (1), or null when there is none. */
  solid: number | null;
  /** False when the planes already held only 0 and 1 (uint8): nothing was changed. */
  changed: boolean;
  /** For the run log and the report: what was found and how it was read. */
  note: string;
}

/** The distinct values of the planes (ascending), or the first three found when there are more. */
export function distinctValues(planes: readonly ArrayLike<number>[], limit = 2): { values: number[]; more: boolean } {
  const seen: number[] = [];
  for (const p of planes) {
    for (let i = 0; i < p.length; i++) {
      const v = p[i];
      if (v === seen[0] || v === seen[1] || seen.includes(v)) continue;
      seen.push(v);
      if (seen.length > limit) return { values: seen.sort((a, b) => a - b), more: true };
    }
  }
  return { values: seen.sort((a, b) => a - b), more: false };
}

const RECONSTRUCT_REMEDY = 'segment it into pore and solid first, or reconstruct it as a grey volume (without --binary).';

/** How the planes' values map to 0/1; throws when they hold more than two values (the message ends in `remedy`). */
export function binaryMapping(planes: readonly SliceArray[], dtype: Volume['dtype'], what: string, remedy = RECONSTRUCT_REMEDY): LabelMapping {
  const { values, more } = distinctValues(planes);
  if (more) throw new AppError('invalid_input', `${what} holds more than two values (${values.join(', ')}, ...), so it is not binary: ${remedy}`);
  const solid = values.length === 2 ? values[1] : values.length === 1 && values[0] !== 0 ? values[0] : null;
  const changed = dtype !== 'uint8' || values.some((v) => v !== 0 && v !== 1);
  const found = values.length === 0 ? 'no voxels' : `the values ${values.join(' and ')}`;
  const reading =
    values.length === 2
      ? `${values[0]} read as pore (0), ${values[1]} as solid (1): ${LABEL_RULE}`
      : solid !== null
        ? `${solid} read as solid (1): all solid`
        : values.length === 1
          ? 'all pore (0)'
          : 'nothing to map';
  return { values, solid, changed, note: `${what} holds ${found}; ${reading}.` };
}

/** One plane mapped to uint8 0/1 (a new array). */
export function mapPlane(plane: SliceArray, solid: number | null): Uint8Array {
  const out = new Uint8Array(plane.length);
  if (solid === null) return out;
  for (let i = 0; i < plane.length; i++) out[i] = plane[i] === solid ? 1 : 0;
  return out;
}

/**
 * The volume as uint8 0/1 labels by the rule above; the same volume (not a
 * copy) when it already is one. Throws when it holds more than two values.
 */
export function toBinaryLabels(volume: Volume, what: string, remedy?: string): { volume: Volume; mapping: LabelMapping } {
  const mapping = binaryMapping(volume.slices, volume.dtype, what, remedy);
  if (!mapping.changed) return { volume, mapping };
  return { volume: { ...volume, dtype: 'uint8', slices: volume.slices.map((s) => mapPlane(s, mapping.solid)) }, mapping };
}

/**
 * A repositioned volume as uint8 0/1 labels: the measured planes mapped by the
 * rule (new arrays; the input's own planes are never written), the gap planes
 * fresh zeros. The same object when the measured planes already hold 0 and 1.
 */
export function binaryRepositioned(rep: RepositionedVolume, what = 'the volume', remedy?: string): { rep: RepositionedVolume; mapping: LabelMapping } {
  const measured = rep.volume.slices.filter((_, k) => rep.known[k]);
  const mapping = binaryMapping(measured, rep.volume.dtype, what, remedy);
  if (!mapping.changed) return { rep, mapping };
  const n = rep.volume.shape[1] * rep.volume.shape[2];
  const slices = rep.volume.slices.map((s, k) => (rep.known[k] ? mapPlane(s, mapping.solid) : new Uint8Array(n)));
  return { rep: { ...rep, volume: { ...rep.volume, dtype: 'uint8', slices } }, mapping };
}
