// One measured job of the metrics benchmark in its own process; prints one JSON line.
import { anisotropyMetrics } from '../src-main/metrics';
import { leveledWaveStructure } from '../src-main/synth';

const [job, nText] = process.argv.slice(2);
const n = Number(nText);
const t0 = performance.now();
let extra: Record<string, unknown> = {};
if (job === 'preset') {
  // The papers' setting ([Sardhara2023]): hierarchical leveled wave, ~110 nm ligaments carrying ~15 nm porosity, 2.5 nm voxels.
  leveledWaveStructure({
    shape: [n, n, n],
    voxelSizeNm: 2.5,
    wavelengthNm: 110 / 0.6,
    waves: 100,
    seed: 1,
    solidFraction: 0.25,
    fine: { wavelengthNm: 15 / 0.6, waves: 100, solidFraction: 0.7 },
  });
} else {
  const volume = leveledWaveStructure({ shape: [n, n, n], voxelSizeNm: 2.5, wavelengthNm: 60, waves: 100, seed: 1, solidFraction: 0.3 });
  const t1 = performance.now();
  const m = anisotropyMetrics(volume);
  extra = { generateS: (t1 - t0) / 1000, metricsS: (performance.now() - t1) / 1000, rMaxVoxels: m.rMaxVoxels, eTpcf: m.eTpcf, eLpf: m.eLpf, eD: m.eD };
  if (process.argv[4]) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(process.argv[4], Buffer.concat(volume.slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength))));
  }
}
console.log(JSON.stringify({ job, n, seconds: (performance.now() - t0) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, ...extra }));
