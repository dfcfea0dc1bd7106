// What the 3D view shows (ViewerState), its defaults, and how a partial update
// is merged and checked. Pure: no three.js, no DOM.

export type ViewerMode = 'volume' | 'isosurface';

/** Clip box per axis as fractions 0..1 of the volume: [min, max]. */
export interface ClipBox {
  x: [number, number];
  y: [number, number];
  z: [number, number];
}

export interface ViewerState {
  /** 'volume': front-to-back compositing; 'isosurface': first crossing of isoLevel, shaded. */
  mode: ViewerMode;
  /** Surface level in 0..1 of the texture value (labels are stored as 0 or 1: 0.5 is the solid/pore boundary). */
  isoLevel: number;
  /** Grey transfer function for 'volume': values below low are clear, above high fully weighted. */
  window: { low: number; high: number };
  /** 'volume': opacity per voxel at full value; 'isosurface': surface opacity. 0..1. */
  opacity: number;
  clip: ClipBox;
  /** CSS-like colour of the material: '#rrggbb'. */
  colour: string;
  /** The volume's bounding box and an axes triad at voxel (0, 0, 0): x red, y green, z (slices) blue. */
  showBox: boolean;
}

export const DEFAULT_VIEWER_STATE: ViewerState = {
  mode: 'isosurface',
  isoLevel: 0.5,
  window: { low: 0, high: 1 },
  opacity: 1,
  clip: { x: [0, 1], y: [0, 1], z: [0, 1] },
  colour: '#d9b38c',
  showBox: false,
};

/** A partial update, where the clip box may also be given per axis. */
export type ViewerStateUpdate = Partial<Omit<ViewerState, 'clip' | 'window'>> & {
  clip?: Partial<ClipBox>;
  window?: Partial<ViewerState['window']>;
};

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

function finite(name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name} must be a finite number, got ${String(v)}`);
  return v;
}

function clipRange(name: string, r: [number, number]): [number, number] {
  const lo = clamp01(finite(`clip.${name}[0]`, r[0]));
  const hi = clamp01(finite(`clip.${name}[1]`, r[1]));
  if (lo > hi) throw new Error(`clip.${name} must have min <= max, got [${r[0]}, ${r[1]}]`);
  return [lo, hi];
}

/** Merges an update into a state; numbers are clamped to 0..1, nonsense is refused with an Error. */
export function mergeViewerState(prev: ViewerState, update: ViewerStateUpdate): ViewerState {
  const next: ViewerState = {
    ...prev,
    window: { ...prev.window },
    clip: { x: [...prev.clip.x], y: [...prev.clip.y], z: [...prev.clip.z] },
  };
  if (update.mode !== undefined) {
    if (update.mode !== 'volume' && update.mode !== 'isosurface') throw new Error(`mode must be 'volume' or 'isosurface', got ${String(update.mode)}`);
    next.mode = update.mode;
  }
  if (update.isoLevel !== undefined) next.isoLevel = clamp01(finite('isoLevel', update.isoLevel));
  if (update.opacity !== undefined) next.opacity = clamp01(finite('opacity', update.opacity));
  if (update.window !== undefined) {
    if (update.window.low !== undefined) next.window.low = clamp01(finite('window.low', update.window.low));
    if (update.window.high !== undefined) next.window.high = clamp01(finite('window.high', update.window.high));
    if (next.window.low > next.window.high) throw new Error(`window must have low <= high, got ${next.window.low} > ${next.window.high}`);
  }
  if (update.clip !== undefined) {
    for (const axis of ['x', 'y', 'z'] as const) {
      const r = update.clip[axis];
      if (r !== undefined) next.clip[axis] = clipRange(axis, r);
    }
  }
  if (update.showBox !== undefined) {
    if (typeof update.showBox !== 'boolean') throw new Error(`showBox must be true or false, got ${String(update.showBox)}`);
    next.showBox = update.showBox;
  }
  if (update.colour !== undefined) {
    if (!/^#[0-9a-fA-F]{6}$/.test(update.colour)) throw new Error(`colour must be '#rrggbb', got ${String(update.colour)}`);
    next.colour = update.colour;
  }
  return next;
}
