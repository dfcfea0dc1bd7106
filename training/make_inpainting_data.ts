// Training / validation / held-out data for the ML inpainting model (RML), made
// by the app's own code: a synthetic milled run (src-main/synth/milled-stack.ts: the
// HNPG-like preset at 2.5 nm, gamma depths mean 10.16 sd 3.12 nm), repositioned on the
// 2.5 nm grid as the app does (repositionSlices), and the signed distance of the
// measured planes splined along z (distance-field.ts: the RCS interpolant).
// Per stack S writes OUT/seed-S/{distance.npy (float32 [nz, ny, nx], nm), known.npy
// (uint8 [nz]), truth.npy (uint8 [nz, ny, nx], 1 = solid)}.
// Structure seed S, milling seed S + 5000 (the [Sardhara2023] benchmark's held-out stacks
// are structure 1000.., milling 6000..).
// Usage: node --import tsx training/make_inpainting_data.ts --out training/data/inpaint --seeds 1-40 [--size 96] [--slices 60]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { npyBytes, stackPlanes } from '../src-main/export/npy-bytes';
import { distanceRows, measuredDistancePlanes } from '../src-main/geometry/distance-field';
import { repositionSlices } from '../src-main/geometry/reposition-slices';
import { buildRepositionedVolume } from '../src-main/geometry/reposition-volume';
import { cropPlanes, milledStack, type MilledStructure } from '../src-main/synth/milled-stack';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'training/data/inpaint' },
    seeds: { type: 'string', default: '1-40' },
    size: { type: 'string', default: '96' },
    slices: { type: 'string', default: '60' },
    structure: { type: 'string', default: 'hnpg' },
  },
});

function parseSeeds(s: string): number[] {
  return s.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

const size = Number(values.size);
const slices = Number(values.slices);
for (const seed of parseSeeds(values.seeds!)) {
  const t0 = performance.now();
  const { truth, measured } = milledStack({ size, slices, structureSeed: seed, millingSeed: seed + 5000, structure: values.structure as MilledStructure });
  const placement = repositionSlices(measured.zPositionsNm, truth.voxelSizeNm.x);
  const rep = buildRepositionedVolume(measured, placement, { shareMeasured: true });
  const nz = Math.min(rep.volume.shape[0], truth.shape[0]);
  const dist = measuredDistancePlanes(rep.volume, rep.known);
  const d = distanceRows(dist.slice(0, nz), rep.known.subarray(0, nz), size, 0, size);
  const dir = join(values.out!, `seed-${seed}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'distance.npy'), npyBytes('<f4', [nz, size, size], stackPlanes(d, (n) => new Float32Array(n))));
  writeFileSync(join(dir, 'known.npy'), npyBytes('|u1', [nz], rep.known.slice(0, nz)));
  writeFileSync(join(dir, 'truth.npy'), npyBytes('|u1', [nz, size, size], stackPlanes(cropPlanes(truth, nz).slices as Uint8Array[], (n) => new Uint8Array(n))));
  console.log(`seed ${seed}: ${nz} planes (${rep.known.reduce((a, b) => a + b, 0)} measured), ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
