// Our isotropy errors on synthetic originals, printed beside the papers'
// ([Sardhara2023] suppl. Table S3: e_TPCF 0.10 +- 0.03, e_LPF 0.019 +- 0.013, e_D 0.014 +- 0.010
// for their synthetic originals). Structures: the HNPG-like preset of
// `fibrecon synth` (hierarchical leveled wave, 2.5 nm voxels), N seeds.
// Usage: node --import tsx bench/metrics-vs-papers.ts [--n 10] [--size 128]
import { parseArgs } from 'node:util';
import { anisotropyMetrics, meanAndSd } from '../src-main/metrics';
import { leveledWaveStructure } from '../src-main/synth';
import { hnpgPreset } from '../src-main/synth/write-synthetic-sample';

const { values } = parseArgs({ options: { n: { type: 'string', default: '10' }, size: { type: 'string', default: '128' } } });
const n = Number(values.n);
const size = Number(values.size);
const preset = hnpgPreset();
const rows: { eTpcf: number; eLpf: number; eD: number }[] = [];
for (let seed = 1; seed <= n; seed++) {
  const v = leveledWaveStructure({
    shape: [size, size, size],
    voxelSizeNm: preset.voxelNm,
    wavelengthNm: preset.coarse.wavelengthNm,
    waves: preset.coarse.waves,
    seed,
    solidFraction: preset.solidFraction,
    fine: preset.fine,
  });
  rows.push(anisotropyMetrics(v));
}
const f = (xs: number[]) => {
  const m = meanAndSd(xs);
  return `${m.mean.toFixed(3)} +- ${m.sd.toFixed(3)}`;
};
console.log(`${n} HNPG-like truths of ${size}^3 voxels (2.5 nm), rMax = a quarter of the side (${Math.floor(size / 4)} voxels):`);
console.log('metric  | ours            | paper ([Sardhara2023] suppl. Table S3)');
console.log(`e_TPCF  | ${f(rows.map((r) => r.eTpcf))} | 0.10 +- 0.03`);
console.log(`e_LPF   | ${f(rows.map((r) => r.eLpf))} | 0.019 +- 0.013`);
console.log(`e_D     | ${f(rows.map((r) => r.eD))} | 0.014 +- 0.010`);
console.log('Definitions and why they may differ from the papers: docs/metrics.md.');
