// Shared helpers of the TIFF tests: run the python fixture script, load the
// expected planes it dumps, compare planes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runPython } from '../helpers/python';
import type { GreyPlane } from '../../src-main/tiff/types';

export interface Fixture {
  name: string;
  tif: string;
  raw: string;
  pages: number;
  height: number;
  width: number;
  dtype: 'uint8' | 'uint16';
  info: { compression: number; predictor: number; tiled: boolean; byteorder: string; bigtiff: boolean };
}

export interface FixtureSet {
  fixtures: Fixture[];
  unsupported: Record<string, string>;
}

const SCRIPT = readFileSync(join(import.meta.dirname, 'make_fixtures.py'), 'utf8');

export function makeFixtures(dir: string): FixtureSet {
  return JSON.parse(runPython(SCRIPT, [dir])) as FixtureSet;
}

/** Expected planes of a fixture, (pages, height, width), as typed arrays. */
export function expectedPlanes(f: Fixture): (Uint8Array | Uint16Array)[] {
  const buf = readFileSync(f.raw);
  const n = f.width * f.height;
  const all = f.dtype === 'uint8' ? new Uint8Array(buf) : new Uint16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  return Array.from({ length: f.pages }, (_, i) => all.subarray(i * n, (i + 1) * n));
}

/** Pixel-exact comparison with a readable failure (first differing pixel). */
export function expectPlane(plane: GreyPlane, expected: Uint8Array | Uint16Array, width: number, height: number, dtype: string): void {
  expect({ width: plane.width, height: plane.height, dtype: plane.dtype }).toEqual({ width, height, dtype });
  expect(plane.data.length).toBe(expected.length);
  let first = -1;
  for (let i = 0; i < expected.length; i++) {
    if (plane.data[i] !== expected[i]) {
      first = i;
      break;
    }
  }
  const at = first < 0 ? 'none' : `x=${first % width} y=${Math.floor(first / width)}: got ${plane.data[first]}, want ${expected[first]}`;
  expect(at).toBe('none');
}

/** A crop of a row-major plane. */
export function cropOf(a: Uint8Array | Uint16Array, width: number, x: number, y: number, w: number, h: number): Uint8Array | Uint16Array {
  const out = a instanceof Uint8Array ? new Uint8Array(w * h) : new Uint16Array(w * h);
  for (let r = 0; r < h; r++) out.set(a.subarray((y + r) * width + x, (y + r) * width + x + w), r * w);
  return out;
}
