// Painting sparse annotation on one slice: a uint8 label plane (0 = not
// annotated, other values = a class) changed by brush strokes, rectangles,
// pixel lists and flood fills. Pure functions on typed arrays, shared by the
// main process (which stores the result) and the renderer (which may draw the
// same stroke at once): both get the same pixels for the same stroke.
//
// Geometry: pixel (x, y) is the one at column x, row y, index y * width + x;
// its centre is the point (x, y). A brush paints every pixel whose centre lies
// within radiusPx of the polyline through the points (so a fast drag leaves no
// gaps between pointer samples); radius 0 paints the pixels the line passes
// through at their centres only (a single point: that one pixel).

/** The smallest rectangle of pixels that changed; null when none did. */
export interface ChangedBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PaintResult {
  /** Pixels whose value changed. */
  changed: number;
  box: ChangedBox | null;
}

export interface PlaneSize {
  width: number;
  height: number;
}

class ChangeTracker {
  changed = 0;
  private x0 = Infinity;
  private y0 = Infinity;
  private x1 = -Infinity;
  private y1 = -Infinity;
  constructor(private readonly width: number) {}
  /** Sets plane[i] = value and records it when that changes the pixel. */
  set(plane: Uint8Array, i: number, value: number): void {
    if (plane[i] === value) return;
    plane[i] = value;
    this.changed++;
    const y = (i / this.width) | 0;
    const x = i - y * this.width;
    if (x < this.x0) this.x0 = x;
    if (x > this.x1) this.x1 = x;
    if (y < this.y0) this.y0 = y;
    if (y > this.y1) this.y1 = y;
  }
  /** Sets plane[l..r] (one row, y) = value; records the pixels that change. */
  setSpan(plane: Uint8Array, l: number, r: number, y: number, value: number): void {
    let first = -1;
    let last = -1;
    for (let i = l; i <= r; i++) {
      if (plane[i] === value) continue;
      plane[i] = value;
      this.changed++;
      if (first < 0) first = i;
      last = i;
    }
    if (first < 0) return;
    const row = y * this.width;
    if (first - row < this.x0) this.x0 = first - row;
    if (last - row > this.x1) this.x1 = last - row;
    if (y < this.y0) this.y0 = y;
    if (y > this.y1) this.y1 = y;
  }
  result(): PaintResult {
    return { changed: this.changed, box: this.changed === 0 ? null : { x: this.x0, y: this.y0, width: this.x1 - this.x0 + 1, height: this.y1 - this.y0 + 1 } };
  }
}

function checkPlane(plane: Uint8Array, size: PlaneSize): void {
  if (plane.length !== size.width * size.height) throw new RangeError(`annotation plane has ${plane.length} pixels, expected ${size.width} x ${size.height}`);
}

function checkValue(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 255) throw new RangeError(`annotation value must be an integer 0..255, got ${value}`);
}

/** Paints (value > 0) or erases (value 0) along the polyline `points` ([x, y] in pixels) with a round brush. */
export function paintBrush(plane: Uint8Array, size: PlaneSize, points: readonly (readonly [number, number])[], radiusPx: number, value: number): PaintResult {
  checkPlane(plane, size);
  checkValue(value);
  if (!(radiusPx >= 0) || !Number.isFinite(radiusPx)) throw new RangeError(`brush radius must be >= 0 px, got ${radiusPx}`);
  const { width, height } = size;
  const t = new ChangeTracker(width);
  const r2 = radiusPx * radiusPx;
  // One segment per pair of consecutive points (a single point: a segment of length 0).
  const segments = Math.max(1, points.length - 1);
  for (let s = 0; s < segments && points.length > 0; s++) {
    const [ax, ay] = points[s];
    const [bx, by] = points[Math.min(s + 1, points.length - 1)];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const xmin = Math.max(0, Math.ceil(Math.min(ax, bx) - radiusPx));
    const xmax = Math.min(width - 1, Math.floor(Math.max(ax, bx) + radiusPx));
    const ymin = Math.max(0, Math.ceil(Math.min(ay, by) - radiusPx));
    const ymax = Math.min(height - 1, Math.floor(Math.max(ay, by) + radiusPx));
    for (let y = ymin; y <= ymax; y++) {
      const row = y * width;
      for (let x = xmin; x <= xmax; x++) {
        // Squared distance from the pixel centre to the segment a-b.
        let u = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
        u = u < 0 ? 0 : u > 1 ? 1 : u;
        const ex = ax + u * dx - x;
        const ey = ay + u * dy - y;
        if (ex * ex + ey * ey <= r2) t.set(plane, row + x, value);
      }
    }
  }
  return t.result();
}

/** Sets a rectangle of pixels (clipped to the plane) to `value`. */
export function paintRect(plane: Uint8Array, size: PlaneSize, rect: ChangedBox, value: number): PaintResult {
  checkPlane(plane, size);
  checkValue(value);
  const t = new ChangeTracker(size.width);
  const x0 = Math.max(0, rect.x);
  const y0 = Math.max(0, rect.y);
  const x1 = Math.min(size.width, rect.x + rect.width);
  const y1 = Math.min(size.height, rect.y + rect.height);
  if (x1 > x0) for (let y = y0; y < y1; y++) t.setSpan(plane, y * size.width + x0, y * size.width + x1 - 1, y, value);
  return t.result();
}

/** Sets the listed pixels (indices y * width + x) to `value`. */
export function paintPixels(plane: Uint8Array, size: PlaneSize, indices: ArrayLike<number>, value: number): PaintResult {
  checkPlane(plane, size);
  checkValue(value);
  const t = new ChangeTracker(size.width);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= plane.length) throw new RangeError(`pixel index ${i} is outside the ${size.width} x ${size.height} plane`);
    t.set(plane, i, value);
  }
  return t.result();
}

/** What a flood fill spreads over: pixels of the seed's annotation value, or of a grey value within a tolerance of the seed's. */
export type FillRegion = { by: 'annotation' } | { by: 'grey'; grey: ArrayLike<number>; tolerance: number };

/**
 * Flood fill from (x, y), 4-connected (edge neighbours; diagonal contact does
 * not join regions, so a one-pixel diagonal line of paint closes a region).
 * 'annotation': the connected pixels with the seed's annotation value become
 * `value`. 'grey': the connected pixels whose grey value is within
 * `tolerance` of the seed's become `value`, whatever they held.
 */
export function floodFill(plane: Uint8Array, size: PlaneSize, x: number, y: number, value: number, region: FillRegion = { by: 'annotation' }): PaintResult {
  checkPlane(plane, size);
  checkValue(value);
  const { width, height } = size;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= width || y >= height) {
    throw new RangeError(`fill seed (${x}, ${y}) is outside the ${width} x ${height} plane`);
  }
  const t = new ChangeTracker(width);
  const seed = y * width + x;
  // open[i] = 1: pixel i belongs to the region and has not been filled yet.
  const open = new Uint8Array(plane.length);
  if (region.by === 'annotation') {
    const target = plane[seed];
    if (target === value) return t.result();
    for (let i = 0; i < plane.length; i++) open[i] = plane[i] === target ? 1 : 0;
  } else {
    if (region.grey.length !== plane.length) throw new RangeError(`grey plane has ${region.grey.length} pixels, expected ${plane.length}`);
    const g = region.grey;
    const lo = g[seed] - region.tolerance;
    const hi = g[seed] + region.tolerance;
    for (let i = 0; i < plane.length; i++) open[i] = g[i] >= lo && g[i] <= hi ? 1 : 0;
  }
  // Scanline fill: a span of a row at a time, then the first pixel of every open run above and below it.
  const stack: number[] = [seed];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (!open[i]) continue;
    const rowY = (i / width) | 0;
    const row = rowY * width;
    let l = i;
    while (l > row && open[l - 1]) l--;
    let r = i;
    while (r < row + width - 1 && open[r + 1]) r++;
    open.fill(0, l, r + 1);
    if (row > 0) pushRuns(open, stack, l - width, r - width);
    if (row + width < plane.length) pushRuns(open, stack, l + width, r + width);
    t.setSpan(plane, l, r, rowY, value);
  }
  return t.result();
}

function pushRuns(open: Uint8Array, stack: number[], from: number, to: number): void {
  let inRun = false;
  for (let j = from; j <= to; j++) {
    const ok = open[j] === 1;
    if (ok && !inRun) stack.push(j);
    inRun = ok;
  }
}

/** Pixels per non-zero value: { "1": 120, "2": 40 } (keys are the values as text, for JSON). */
export function classCounts(plane: Uint8Array): Record<string, number> {
  const hist = new Float64Array(256);
  for (let i = 0; i < plane.length; i++) hist[plane[i]]++;
  const out: Record<string, number> = {};
  for (let v = 1; v < 256; v++) if (hist[v] > 0) out[String(v)] = hist[v];
  return out;
}
