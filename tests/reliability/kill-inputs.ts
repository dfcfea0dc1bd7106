// The inputs of the kill -9 suite: a small grey stack of a bicontinuous
// structure (two phases, noise), a sparse label TIFF of it for the pixel
// classifier (pore 1, solid 2 on two slices), and a thickness table; written by
// the tests' own TIFF writer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { random } from '../helpers/random';
import { basicEntries, writeTiff } from '../tiff/tiff-writer';

/** Solid where this smooth 3D field is positive. */
function phaseField(z: number, y: number, x: number): number {
  return Math.sin(x / 4.1 + z / 6.3) * Math.cos(y / 5.2 - z / 9.1) + 0.6 * Math.sin((x + y) / 7.7 + z / 3.9);
}

export interface KillInputs {
  /** 16-bit grey stack, nz pages of ny x nx. */
  stack: string;
  /** 8-bit label TIFF of the same size: 0 not annotated, 1 pore, 2 solid. */
  labels: string;
  /** slice,thickness_nm for nz - 1 thicknesses. */
  table: string;
}

export function writeKillInputs(dir: string, [nz, ny, nx]: [number, number, number], seed: number): KillInputs {
  const r = random(seed);
  const grey: Uint8Array[] = [];
  const labels: Uint8Array[] = [];
  for (let z = 0; z < nz; z++) {
    const g = new Uint16Array(ny * nx);
    const l = new Uint8Array(ny * nx);
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const solid = phaseField(z, y, x) > 0;
        g[y * nx + x] = Math.round((solid ? 3000 : 1200) + 400 * (r() - 0.5));
        // Painted pixels on slices 0 and 12: a 24 x 24 square each, its true phase.
        if (z % 12 === 0 && y >= 20 && y < 44 && x >= 30 && x < 54) l[y * nx + x] = solid ? 2 : 1;
      }
    grey.push(new Uint8Array(g.buffer));
    labels.push(l);
  }
  const page = (data: Uint8Array, bits: number) => ({ entries: basicEntries({ width: nx, height: ny, bits }), chunks: [data] });
  const stack = join(dir, 'stack.tif');
  writeFileSync(stack, writeTiff(grey.map((g) => page(g, 16))));
  const labelFile = join(dir, 'labels.tif');
  writeFileSync(labelFile, writeTiff(labels.map((l) => page(l, 8))));
  const table = join(dir, 'thickness.csv');
  writeFileSync(table, `slice,thickness_nm\n${Array.from({ length: nz - 1 }, (_, i) => `${i + 1},${(9 + 2 * r()).toFixed(2)}`).join('\n')}\n`);
  return { stack, labels: labelFile, table };
}
