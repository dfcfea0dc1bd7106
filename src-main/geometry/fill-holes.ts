// Small holes left by cubic splines in ligaments ([Sardhara2023] supplement, "holes"
// entirely covered by gold, area < 20 px): in every xz plane (one per row y) and
// every yz plane (one per column x) of a binary volume, a pore component that does
// not touch the plane's border and has fewer than maxAreaPx pixels becomes solid.
//
// Connectivity: pore components are 4-connected in the plane (edge neighbours), as
// with scipy.ndimage.binary_fill_holes' default structure; the solid enclosing a
// hole may then touch it only diagonally.
// Both plane families are searched on the same input and their holes are united,
// so the result does not depend on which family is searched first. Only voxels in
// planes with known[z] = 0 are changed: measured slices stay bit-exact.
import { throwIfAborted } from '../../src-shared/errors';
import { progressTracker, type ProgressCallback } from '../../src-shared/progress';

export const DEFAULT_MAX_HOLE_AREA_PX = 20;

export interface HoleFillOptions {
  maxAreaPx?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Marks the small enclosed pore components of one plane (rows x cols, 0 = pore) in `hole`. Reuses the buffers. */
function markPlaneHoles(plane: Uint8Array, rows: number, cols: number, maxArea: number, seen: Uint8Array, queue: Int32Array, hole: Uint8Array): void {
  seen.fill(0);
  const n = rows * cols;
  for (let start = 0; start < n; start++) {
    if (plane[start] !== 0 || seen[start]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    let border = false;
    while (head < tail) {
      const p = queue[head++];
      const r = (p / cols) | 0;
      const c = p - r * cols;
      if (r === 0 || c === 0 || r === rows - 1 || c === cols - 1) border = true;
      if (r > 0 && plane[p - cols] === 0 && !seen[p - cols]) (seen[p - cols] = 1), (queue[tail++] = p - cols);
      if (r < rows - 1 && plane[p + cols] === 0 && !seen[p + cols]) (seen[p + cols] = 1), (queue[tail++] = p + cols);
      if (c > 0 && plane[p - 1] === 0 && !seen[p - 1]) (seen[p - 1] = 1), (queue[tail++] = p - 1);
      if (c < cols - 1 && plane[p + 1] === 0 && !seen[p + 1]) (seen[p + 1] = 1), (queue[tail++] = p + 1);
    }
    if (!border && tail < maxArea) for (let i = 0; i < tail; i++) hole[queue[i]] = 1;
  }
}

/**
 * Fills small enclosed holes of a binary (0/1) volume in place, in the planes not
 * marked known. Returns the number of voxels set to solid.
 */
export function fillSmallHolesXzYz(slices: Uint8Array[], ny: number, nx: number, known: Uint8Array, opts: HoleFillOptions = {}): number {
  const nz = slices.length;
  const maxArea = opts.maxAreaPx ?? DEFAULT_MAX_HOLE_AREA_PX;
  const progress = progressTracker(opts.onProgress);
  const toFill = slices.map((_, z) => (known[z] ? null : new Uint8Array(ny * nx)));
  const longest = Math.max(nx, ny);
  const plane = new Uint8Array(nz * longest);
  const hole = new Uint8Array(nz * longest);
  const seen = new Uint8Array(nz * longest);
  const queue = new Int32Array(nz * longest);
  const families: [cols: number, count: number, index: (z: number, line: number, i: number) => number][] = [
    [nx, ny, (_z, y, x) => y * nx + x], // xz plane of row y: (z, x)
    [ny, nx, (_z, x, y) => y * nx + x], // yz plane of column x: (z, y)
  ];
  let done = 0;
  for (const [cols, count, index] of families) {
    for (let line = 0; line < count; line++) {
      if (line % 16 === 0) throwIfAborted(opts.signal);
      for (let z = 0; z < nz; z++) {
        const s = slices[z];
        for (let i = 0; i < cols; i++) plane[z * cols + i] = s[index(z, line, i)];
      }
      hole.fill(0, 0, nz * cols);
      markPlaneHoles(plane.subarray(0, nz * cols), nz, cols, maxArea, seen.subarray(0, nz * cols), queue, hole);
      for (let z = 0; z < nz; z++) {
        const t = toFill[z];
        if (!t) continue;
        for (let i = 0; i < cols; i++) if (hole[z * cols + i]) t[index(z, line, i)] = 1;
      }
      progress(++done / (nx + ny), `filling holes < ${maxArea} px in xz and yz planes`);
    }
  }
  let filled = 0;
  toFill.forEach((t, z) => {
    if (!t) return;
    const s = slices[z];
    for (let i = 0; i < t.length; i++) if (t[i] && s[i] === 0) (s[i] = 1), filled++;
  });
  return filled;
}
