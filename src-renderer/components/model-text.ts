// What the Segmentation step says about a model (no DOM): its card in a few
// lines, the default volume for each of its input stacks, and the checks of
// the tile and batch fields. Pure, so that Node tests check them.
import type { ModelInfo, VolumeSummary } from '../../src-shared/contract';

export const TILE_RANGE = { min: 16, max: 4096 } as const;
export const BATCH_RANGE = { min: 1, max: 256 } as const;
/** What the engine uses when no batch size is given. */
export const DEFAULT_BATCH = 4;

export function modelWindowText(m: ModelInfo): string {
  if (m.kind === 'segmentation-3d') return `3D patches of ${m.inputSlices} slices`;
  return m.inputSlices === 1 ? '1 slice (2D)' : `${m.inputSlices} slices (2.5D)`;
}

/** "MP 0.58 % on 2 kV (Otsu 6.99 %)", or null without a training record. */
export function heldOutText(m: ModelInfo): string | null {
  const h = m.heldOut;
  if (!h) return null;
  return `MP ${h.mpPercent.toFixed(2)} % on ${h.on}${h.otsuMpPercent !== undefined ? ` (Otsu ${h.otsuMpPercent.toFixed(2)} %)` : ''}`;
}

/** The beam energy an input stack is labelled with ("1 kV TLD" -> 1), if any. */
function stackKv(label: string): number | null {
  const m = /(\d+(?:\.\d+)?)\s*kV/i.exec(label);
  return m ? Number(m[1]) : null;
}

const squash = (s: string) => s.replace(/[\s_-]/g, '').toLowerCase();

/**
 * A grey volume per input stack: the one whose name says the stack's kV
 * ("1kV", "1 kV-reg"), else the one at the same position, else the first.
 */
export function defaultStackVolumes(stacks: readonly string[], greys: readonly VolumeSummary[]): string[] {
  return stacks.map((label, c) => {
    const kv = stackKv(label);
    const byName = kv === null ? undefined : greys.find((v) => new RegExp(`(^|[^0-9.])${kv}kv`).test(squash(v.name)));
    return (byName ?? greys[c] ?? greys[0])?.name ?? '';
  });
}

/** Why the chosen stack volumes cannot run together, or null. */
export function stackVolumesProblem(names: readonly string[], greys: readonly VolumeSummary[]): string | null {
  if (new Set(names).size !== names.length) return 'Each input stack needs its own volume: choose a different volume for each.';
  const vols = names.map((n) => greys.find((v) => v.name === n));
  const first = vols[0];
  for (const v of vols.slice(1)) {
    if (first && v && v.shape.join('x') !== first.shape.join('x')) {
      return `"${first.name}" (${first.shape.join(' × ')}) and "${v.name}" (${v.shape.join(' × ')}) differ in size: register or crop them to one size first.`;
    }
  }
  return null;
}

/** An integer field: undefined when empty (the default is used), else the number, or an error sentence. */
export function intField(text: string, what: string, range: { min: number; max: number }): { value?: number; error?: string } {
  if (text.trim() === '') return {};
  const v = Number(text);
  if (!Number.isInteger(v) || v < range.min || v > range.max) return { error: `${what} must be a whole number from ${range.min} to ${range.max}, or empty for the default.` };
  return { value: v };
}
