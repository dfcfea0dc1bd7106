// Pure geometry of the 2D views (no DOM): physical aspect ratio, canvas size,
// scale-bar length, and the mapping between a click on a plane and the voxel
// indices of the linked cursor. Axes (z, y, x) as in DOMAIN.md; a plane's
// pixels are u across and v down: xy = (x, y), xz = (x, z), yz = (y, z).
import type { PlaneAxis } from '../../src-shared/pipeline-methods';

export type Shape3 = readonly [number, number, number];
export interface Cursor {
  z: number;
  y: number;
  x: number;
}
export interface PixelNm {
  u: number;
  v: number;
}

/** Height over width of a plane as it is in space (not in pixels). */
export function physicalAspect(width: number, height: number, pixelNm: PixelNm): number {
  return (height * pixelNm.v) / (width * pixelNm.u);
}

/**
 * Canvas size (device pixels) that shows a plane of width × height pixels with
 * its physical aspect ratio, as large as fits in maxWidth × maxHeight.
 * nmPerPx: nanometres per canvas pixel (the same across and down).
 */
export function physicalCanvasSize(width: number, height: number, pixelNm: PixelNm, maxWidth: number, maxHeight: number): { width: number; height: number; nmPerPx: number } {
  const wNm = width * pixelNm.u;
  const hNm = height * pixelNm.v;
  const pxPerNm = Math.min(maxWidth / wNm, maxHeight / hNm);
  return { width: Math.max(1, Math.round(wNm * pxPerNm)), height: Math.max(1, Math.round(hNm * pxPerNm)), nmPerPx: 1 / pxPerNm };
}

/** Round scale-bar lengths: 1, 2, 5 × 10^k nm. */
export function niceLengths(maxNm: number): number[] {
  const out: number[] = [];
  for (let k = -1; 10 ** k <= maxNm * 10 && k < 9; k++) for (const m of [1, 2, 5]) out.push(m * 10 ** k);
  return out;
}

/**
 * The longest round length (1, 2, 5 × 10^k nm) whose bar is at most maxFraction
 * of the canvas width; null when not even 0.1 nm fits.
 */
export interface ScaleBar {
  nm: number;
  px: number;
  label: string;
}

export function chooseScaleBar(nmPerPx: number, canvasWidth: number, maxFraction = 0.3): ScaleBar | null {
  const maxNm = canvasWidth * maxFraction * nmPerPx;
  let best: number | null = null;
  for (const nm of niceLengths(maxNm)) if (nm <= maxNm * (1 + 1e-9)) best = nm;
  if (best === null) return null;
  return { nm: best, px: best / nmPerPx, label: `${formatLength(best)} nm` };
}

function formatLength(nm: number): string {
  return String(Number(nm.toPrecision(6)));
}

/** Which volume axes a plane's u and v run along, and which index selects the plane. */
export function planeAxes(axis: PlaneAxis): { u: keyof Cursor; v: keyof Cursor; index: keyof Cursor } {
  if (axis === 'xy') return { u: 'x', v: 'y', index: 'z' };
  if (axis === 'xz') return { u: 'x', v: 'z', index: 'y' };
  return { u: 'y', v: 'z', index: 'x' };
}

export function axisLength(shape: Shape3, a: keyof Cursor): number {
  return a === 'z' ? shape[0] : a === 'y' ? shape[1] : shape[2];
}

/** The index of the plane a view shows for a cursor: xy → z, xz → y, yz → x. */
export function planeIndex(axis: PlaneAxis, cursor: Cursor): number {
  return cursor[planeAxes(axis).index];
}

/**
 * A click at canvas (cx, cy) on a view of canvasWidth × canvasHeight that
 * shows a whole plane: the cursor with the two in-plane indices set (the
 * plane's own index is kept). Handles downsampled planes: indices are voxels.
 */
export function cursorFromClick(axis: PlaneAxis, cx: number, cy: number, canvasWidth: number, canvasHeight: number, shape: Shape3, cursor: Cursor): Cursor {
  const { u, v } = planeAxes(axis);
  const nu = axisLength(shape, u);
  const nv = axisLength(shape, v);
  const iu = clampIndex(Math.floor((cx / canvasWidth) * nu), nu);
  const iv = clampIndex(Math.floor((cy / canvasHeight) * nv), nv);
  return { ...cursor, [u]: iu, [v]: iv };
}

/** Where the cursor's voxel centre lies on a view's canvas. */
export function cursorOnCanvas(axis: PlaneAxis, cursor: Cursor, canvasWidth: number, canvasHeight: number, shape: Shape3): { cx: number; cy: number } {
  const { u, v } = planeAxes(axis);
  return { cx: ((cursor[u] + 0.5) / axisLength(shape, u)) * canvasWidth, cy: ((cursor[v] + 0.5) / axisLength(shape, v)) * canvasHeight };
}

export function clampIndex(i: number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.round(i)));
}

/** The cursor moved by delta along one axis, kept inside the volume. */
export function stepCursor(cursor: Cursor, axis: keyof Cursor, delta: number, shape: Shape3): Cursor {
  return { ...cursor, [axis]: clampIndex(cursor[axis] + delta, axisLength(shape, axis)) };
}

/** The centre voxel: where the views start. */
export function centreCursor(shape: Shape3): Cursor {
  return { z: Math.floor(shape[0] / 2), y: Math.floor(shape[1] / 2), x: Math.floor(shape[2] / 2) };
}

/** Position of the cursor's voxel in nm (x, y from 0; z from the first slice). */
export function cursorNm(cursor: Cursor, voxelSizeNm: { x: number; y: number; z: number }, z0Nm = 0): { x: number; y: number; z: number } {
  return { x: cursor.x * voxelSizeNm.x, y: cursor.y * voxelSizeNm.y, z: z0Nm + cursor.z * voxelSizeNm.z };
}
