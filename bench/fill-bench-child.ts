// One measured job of the fill benchmark in its own process; prints one JSON line.
// Usage: fill-bench-child.ts <columns> <rows> <slices> <dir>
// Generates the grey stack (not timed), writes it as raw uint8 (slice-major) and
// its measured z and grid indices as JSON for the python reference, then times
// our repositioning + cubic-spline fill onto the 2.5 nm grid and writes the result.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { buildRepositionedVolume, fillGaps, repositionSlices } from '../src-main/geometry/reposition';
import { DEFAULT_MILLING, planMilling } from '../src-main/synth/milling';
import type { Volume } from '../src-shared/volume';

const [nx, ny, nz] = process.argv.slice(2, 5).map(Number);
const dir = process.argv[5];
const FINE_NM = 2.5;

// Measured z: cumulative gamma draws (mean 10.16 nm, sd 3.12 nm, continuous, so
// repositioning rounds and resolves collisions), first slice at 0.
const plan = planMilling({ ...DEFAULT_MILLING, voxelZNm: FINE_NM, slices: nz, seed: 7 });
const zNm = [0];
for (const t of plan.drawnNm) zNm.push(zNm[zNm.length - 1] + t);

// A FIB-SEM-like grey field, deterministic: three waves that change with the
// measured z (separable, so tabulated per slice) plus 4 bits of hashed noise.
function greySlice(z: number, i: number): Uint8Array {
  const out = new Uint8Array(nx * ny);
  const ax = new Float64Array(nx);
  const cx = new Float64Array(nx);
  const sx = new Float64Array(nx);
  for (let x = 0; x < nx; x++) {
    ax[x] = Math.sin(x / 23 + z / 37);
    cx[x] = Math.cos(x / 41);
    sx[x] = Math.sin(x / 41);
  }
  let s = ((i + 1) * 2654435761) >>> 0;
  for (let y = 0; y < ny; y++) {
    const by = 55 * Math.cos(y / 17 - z / 29);
    const cy = 35 * Math.cos(y / 41 + z / 19);
    const sy = 35 * Math.sin(y / 41 + z / 19);
    const o = y * nx;
    for (let x = 0; x < nx; x++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const v = 120 + ax[x] * by + sx[x] * cy + cx[x] * sy + (s >>> 28);
      out[o + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

const g0 = performance.now();
const slices = zNm.map((z, i) => greySlice(z, i));
const measured: Volume = {
  shape: [nz, ny, nx],
  dtype: 'uint8',
  voxelSizeNm: { x: FINE_NM, y: FINE_NM, z: 10 },
  zPositionsNm: zNm,
  slices,
};
const generateS = (performance.now() - g0) / 1000;
function writeRaw(path: string, planes: Uint8Array[]): void {
  const fd = openSync(path, 'w');
  for (const p of planes) writeSync(fd, p);
  closeSync(fd);
}
writeRaw(join(dir, 'input.raw'), slices);

const t0 = performance.now();
const placement = repositionSlices(zNm, FINE_NM);
const rep = buildRepositionedVolume(measured, placement, { shareMeasured: true });
const filled = fillGaps(rep, { method: 'cubic', binary: false, inPlace: true });
const fillS = (performance.now() - t0) / 1000;
const maxRssMB = process.resourceUsage().maxRSS / 1024;

writeFileSync(join(dir, 'grid.json'), JSON.stringify({ gridIndex: placement.gridIndex, gridLength: placement.gridLength }));
writeRaw(join(dir, 'ours.raw'), filled.volume.slices as Uint8Array[]);
console.log(
  JSON.stringify({ generateS, fillS, maxRssMB, gridLength: placement.gridLength, moved: placement.moved, maxShiftNm: placement.maxShiftNm, outputMB: (placement.gridLength * nx * ny) / 1e6 }),
);
