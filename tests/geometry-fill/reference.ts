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
