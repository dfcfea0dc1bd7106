// Makes the bundled demo stack resources/sample/npg-demo-fei.tif: a small
// synthetic nanoporous-gold-like FIB-SEM stack written as a Thermo Fisher/FEI
// style multipage TIFF (tag 34682 INI metadata, data bar below the image), so
// that `npm run demo` exercises the same import path as a real instrument file.
// Deterministic: the same file every run. Run: node --import tsx scripts/make-sample.ts
//
// Structure: leveled wave (sum of cosines of one wavelength, random directions
// and phases, cut at the level that gives 35 % solid). Image: the surface
// material shows bright; through pores, deeper solid shines through with an
// exponential fall-off (the shine-through that makes thresholding fail), then
// Gaussian noise. A crude stand-in for the forward model of src-main/synth/image (docs/forward-model.md).
import { feiIni } from '../src-main/synth/write-synthetic-sample';
import { writeTiffStack } from '../src-main/tiff-write';

const NX = 256;
const NY = 192; // image rows; the data bar comes below
const BAR = 32;
const NZ = 40;
const VOXEL_NM = 5; // structure voxel = in-plane pixel
const SLICE_NM = 10; // target slice thickness: every second structure plane
const WAVELENGTH_NM = 60;
const WAVES = 48;
const DEPTH_VOXELS = 12; // how deep shine-through reaches
const ATTENUATION_VOXELS = 3;

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = mulberry32(20261121);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const k = (2 * Math.PI * VOXEL_NM) / WAVELENGTH_NM;
const waves = Array.from({ length: WAVES }, () => {
  const u = 2 * rnd() - 1;
  const phi = 2 * Math.PI * rnd();
  const s = Math.sqrt(1 - u * u);
  return { kx: k * s * Math.cos(phi), ky: k * s * Math.sin(phi), kz: k * u, p: 2 * Math.PI * rnd() };
});

const depth = NZ * (SLICE_NM / VOXEL_NM) + DEPTH_VOXELS;
const field = new Float32Array(depth * NY * NX);
for (let z = 0; z < depth; z++)
  for (let y = 0; y < NY; y++)
    for (let x = 0; x < NX; x++) {
      let v = 0;
      for (const w of waves) v += Math.cos(w.kx * x + w.ky * y + w.kz * z + w.p);
      field[(z * NY + y) * NX + x] = v;
    }
const sorted = Float32Array.from(field).sort();
const level = sorted[Math.floor(0.65 * sorted.length)]; // 35 % solid above the level
const solid = (z: number, y: number, x: number) => field[(z * NY + y) * NX + x] > level;

const slices: Uint16Array[] = [];
for (let s = 0; s < NZ; s++) {
  const z0 = (s * SLICE_NM) / VOXEL_NM;
  const img = new Uint16Array((NY + BAR) * NX);
  for (let y = 0; y < NY; y++)
    for (let x = 0; x < NX; x++) {
      let signal: number;
      if (solid(z0, y, x)) signal = 0.8;
      else {
        signal = 0.12; // epoxy
        for (let d = 1; d < DEPTH_VOXELS; d++) if (solid(z0 + d, y, x)) { signal += 0.5 * Math.exp(-d / ATTENUATION_VOXELS); break; }
      }
      const v = (signal + 0.04 * gauss()) * 50000;
      img[y * NX + x] = Math.max(0, Math.min(65535, Math.round(v)));
    }
  // Data bar: mid grey with a white scale-bar-like stripe.
  for (let y = NY; y < NY + BAR; y++) for (let x = 0; x < NX; x++) img[y * NX + x] = y > NY + 10 && y < NY + 16 && x > 20 && x < 120 ? 65535 : 8000;
  slices.push(img);
}

const ini = feiIni({ energyKeV: 2, detector: 'TLD' }, VOXEL_NM, NX, NY);

const out = new URL('../resources/sample/npg-demo-fei.tif', import.meta.url).pathname;
const r = await writeTiffStack(
  out,
  { shape: [NZ, NY + BAR, NX], dtype: 'uint16', voxelSizeNm: { x: VOXEL_NM, y: VOXEL_NM, z: SLICE_NM } },
  slices,
  { extraTags: [{ tag: 34682, text: ini }] },
);
console.log(`wrote ${out}: ${r.images} slices, ${(r.bytes / 1e6).toFixed(1)} MB`);
