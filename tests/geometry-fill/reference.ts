// Runs fill_reference.py (scipy / numpy) on raw arrays written here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPython, tempDir } from '../helpers/python';

const SCRIPT = readFileSync(join(__dirname, 'fill_reference.py'), 'utf8');

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** scipy CubicSpline (not-a-knot), numpy interp, or nearest knot, per column: (eval x columns) float64. */
export function referenceColumns(mode: 'cubic' | 'linear' | 'nearest', knots: number[], values: Float64Array, columns: number, xEval: number[]): Float64Array {
  const { dir, cleanup } = tempDir('fibrecon-fill-');
  try {
    const spec = { mode, knots, columns, eval: xEval, values: join(dir, 'y.raw'), out: join(dir, 'out.raw') };
    writeFileSync(spec.values, bytes(values));
    runPython(SCRIPT, [JSON.stringify(spec)]);
    const b = readFileSync(spec.out);
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  } finally {
    cleanup();
  }
}

/** scipy.ndimage.binary_fill_holes + size filter in every xz and yz plane, unknown planes only. */
export function referenceHoles(slices: Uint8Array[], ny: number, nx: number, known: Uint8Array, maxArea: number): Uint8Array[] {
  const { dir, cleanup } = tempDir('fibrecon-holes-');
  try {
    const spec = { mode: 'holes', shape: [slices.length, ny, nx], known: Array.from(known), maxArea, volume: join(dir, 'v.raw'), out: join(dir, 'out.raw') };
    writeFileSync(spec.volume, Buffer.concat(slices.map(bytes)));
    runPython(SCRIPT, [JSON.stringify(spec)]);
    const b = readFileSync(spec.out);
    return slices.map((_, z) => new Uint8Array(b.subarray(z * ny * nx, (z + 1) * ny * nx)));
  } finally {
    cleanup();
  }
}

/** scipy.ndimage.distance_transform_edt(solid) - distance_transform_edt(~solid), sampling (y, x), per plane: float64. */
export function referenceSignedDistance(planes: Uint8Array[], ny: number, nx: number, pixelNm: { x: number; y: number }): Float64Array {
  const { dir, cleanup } = tempDir('fibrecon-sdf-');
  try {
    writeFileSync(join(dir, 'v.raw'), Buffer.concat(planes.map(bytes)));
    runPython(
      `import sys, numpy as np
from scipy import ndimage as ndi
d, n, ny, nx, py, px = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
v = np.fromfile(d + '/v.raw', np.uint8).reshape(n, ny, nx) > 0
out = np.stack([ndi.distance_transform_edt(p, sampling=(py, px)) - ndi.distance_transform_edt(~p, sampling=(py, px)) for p in v])
out.astype(np.float64).tofile(d + '/out.raw')`,
      [dir, String(planes.length), String(ny), String(nx), String(pixelNm.y), String(pixelNm.x)],
    );
    const b = readFileSync(join(dir, 'out.raw'));
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  } finally {
    cleanup();
  }
}
