// Pure geometry of the 2D views (no DOM): physical aspect ratio, canvas size,
// scale-bar length, and the mapping between a click on a plane and the voxel
// indices of the linked cursor. Axes (z, y, x) as in docs/conventions.md; a plane's
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
  return { nm: best, px: best / nmPerPx, label: formatLengthNm(best) };
}

/** A length in the unit that reads best: nm below 1 µm, µm below 1 mm, else mm (500 nm, 2 µm, 1.5 mm). */
export function formatLengthNm(nm: number): string {
  const [value, unit] = Math.abs(nm) >= 1e6 ? [nm / 1e6, 'mm'] : Math.abs(nm) >= 1e3 ? [nm / 1e3, 'µm'] : [nm, 'nm'];
  return `${Number(value.toPrecision(6))} ${unit}`;
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

/**
 * Zoom and pan of a 2D view, independent of the canvas size: zoom is screen
 * pixels per canvas pixel at rest (1 = the whole plane fits), and (cx, cy) is
 * the point of the plane, as fractions of its width and height, that lies at
 * the middle of the view. Screen positions are fractions of the view too
 * (0..1 across and down), so sx = (fx − cx) · zoom + ½.
 */
export interface ViewTransform {
  zoom: number;
  cx: number;
  cy: number;
}

export const ZOOM_MIN = 1;
export const ZOOM_MAX = 16;
/** Zoom factor per wheel notch: four notches double it. */
export const ZOOM_STEP = 2 ** 0.25;
export const IDENTITY_VIEW: ViewTransform = { zoom: 1, cx: 0.5, cy: 0.5 };

/** The view with its zoom in ZOOM_MIN..ZOOM_MAX and its centre where the plane still fills the view (no empty border). */
export function clampView(t: ViewTransform): ViewTransform {
  const zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, Number.isFinite(t.zoom) ? t.zoom : 1));
  const half = 0.5 / zoom;
  const c = (v: number) => Math.min(1 - half, Math.max(half, Number.isFinite(v) ? v : 0.5));
  return { zoom, cx: c(t.cx), cy: c(t.cy) };
}

/** Screen fractions (sx, sy) → plane fractions (fx, fy). */
export function screenToPlane(t: ViewTransform, sx: number, sy: number): { fx: number; fy: number } {
  return { fx: (sx - 0.5) / t.zoom + t.cx, fy: (sy - 0.5) / t.zoom + t.cy };
}

/** Plane fractions (fx, fy) → screen fractions (sx, sy); the inverse of screenToPlane. */
export function planeToScreen(t: ViewTransform, fx: number, fy: number): { sx: number; sy: number } {
  return { sx: (fx - t.cx) * t.zoom + 0.5, sy: (fy - t.cy) * t.zoom + 0.5 };
}

/**
 * The view zoomed to `zoom` (clamped) about the screen point (sx, sy): the
 * plane point under it stays under it (as far as the clamping of the centre
 * allows at the plane's edges).
 */
export function zoomViewAbout(t: ViewTransform, zoom: number, sx: number, sy: number): ViewTransform {
  const z = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom));
  const f = screenToPlane(t, sx, sy);
  return clampView({ zoom: z, cx: f.fx - (sx - 0.5) / z, cy: f.fy - (sy - 0.5) / z });
}

/** The view panned by a drag of (dsx, dsy) screen fractions: the plane moves with the pointer. */
export function panView(t: ViewTransform, dsx: number, dsy: number): ViewTransform {
  return clampView({ zoom: t.zoom, cx: t.cx - dsx / t.zoom, cy: t.cy - dsy / t.zoom });
}

/** Zoom factor of a wheel event: ZOOM_STEP per notch (100 px, 3 lines or 1 page), up = in. */
export function wheelZoomFactor(deltaY: number, deltaMode = 0): number {
  const notches = deltaY / (deltaMode === 1 ? 3 : deltaMode === 2 ? 1 : 100);
  return ZOOM_STEP ** -notches;
}

/** The 2D canvas transform (a, d = scale; e, f = offset in canvas pixels) that draws the plane under a view. */
export function canvasTransform(t: ViewTransform, canvasWidth: number, canvasHeight: number): { scale: number; e: number; f: number } {
  return { scale: t.zoom, e: canvasWidth * (0.5 - t.cx * t.zoom), f: canvasHeight * (0.5 - t.cy * t.zoom) };
}

/**
 * The screen → voxel mapping of a zoomed and panned view: a click at screen
 * fractions (sx, sy) gives the cursor with the view's two in-plane indices
 * set (the plane's own index kept), clamped to the volume.
 */
export function cursorFromScreen(axis: PlaneAxis, sx: number, sy: number, t: ViewTransform, shape: Shape3, cursor: Cursor): Cursor {
  const f = screenToPlane(t, sx, sy);
  return cursorFromClick(axis, f.fx, f.fy, 1, 1, shape, cursor);
}

/** Where the cursor's voxel centre lies on a zoomed and panned view, as screen fractions (outside 0..1 when off the view). */
export function cursorOnScreen(axis: PlaneAxis, cursor: Cursor, t: ViewTransform, shape: Shape3): { sx: number; sy: number } {
  const c = cursorOnCanvas(axis, cursor, 1, 1, shape);
  return planeToScreen(t, c.cx, c.cy);
}
