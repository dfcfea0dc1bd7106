// Seed Article II Tables 2-3 in miniature: a leveled-wave structure (2.5 nm voxels)
// imaged at gamma-distributed depths (planMilling: mean 10.16 nm, sd 3.12 nm), then
// reconstructed onto the 2.5 nm grid by DNN, SRCS, RNN and RCS (and RCS through the
// 0/1 labels, RCS-labels) and compared with the truth (MP, compareToTruth) over the
// planes all cover. The seeds' order DNN > SRCS > RNN > RCS must hold with margins.
import { describe, expect, it } from 'vitest';
import { directNearestNeighbour, repositionAndFill, standardRepositionCubic, type Reconstruction } from '../../src-main/geometry/gap-baselines';
import { compareToTruth } from '../../src-main/metrics';
import { leveledWaveStructure } from '../../src-main/synth';
import { DEFAULT_MILLING, planMilling } from '../../src-main/synth/milling';
import type { Volume } from '../../src-shared/volume';

const VOXEL = 2.5;

function crop(v: Volume, nz: number): Volume {
  return { ...v, shape: [nz, v.shape[1], v.shape[2]], slices: v.slices.slice(0, nz), zPositionsNm: v.zPositionsNm.slice(0, nz) };
}

describe('reconstructions of a synthetic milled stack (MP vs truth)', () => {
  it('MP: DNN > SRCS > RNN > RCS (the order of Article II Tables 2-3)', () => {
    const slices = 60;
    const plan = planMilling({ ...DEFAULT_MILLING, voxelZNm: VOXEL, slices, seed: 21 });
    const nzTruth = plan.planes[slices - 1] + 1;
    const truth = leveledWaveStructure({ shape: [nzTruth, 64, 64], voxelSizeNm: VOXEL, wavelengthNm: 60, waves: 100, seed: 9, solidFraction: 0.35 });
    const measured: Volume = {
      ...truth,
      shape: [slices, 64, 64],
      voxelSizeNm: { x: VOXEL, y: VOXEL, z: 10 },
      zPositionsNm: plan.zPositionsNm,
      slices: plan.planes.map((p) => truth.slices[p]),
    };
    const runs: [string, Reconstruction][] = [
      ['DNN', directNearestNeighbour(measured, 10)],
      ['SRCS', standardRepositionCubic(measured, 10)],
      ['RNN', repositionAndFill(measured, 'nearest')],
      ['RCS', repositionAndFill(measured, 'cubic')],
      ['RCS-labels', repositionAndFill(measured, 'cubic', { binaryInterpolant: 'labels' })],
    ];
    const nz = Math.min(nzTruth, ...runs.map(([, r]) => r.volume.shape[0]));
    const mp: Record<string, number> = {};
    const seeds: Record<string, number> = { DNN: 19.97, SRCS: 5.29, RNN: 4.89, RCS: 3.12, 'RCS-labels': 3.12 };
    const rows = runs.map(([name, r]) => {
      const c = compareToTruth(crop(r.volume, nz), crop(truth, nz));
      mp[name] = c.misplacedPercent;
      return `${name.padEnd(10)} MP ${c.misplacedPercent.toFixed(2).padStart(6)} %  MDS ${c.meanDice.toFixed(3)}  planes ${r.volume.shape[0]}  moved ${r.placement.moved}  lost ${r.lostSlices?.length ?? 0}  holes filled ${r.holeVoxelsFilled}  (seeds: MP ${seeds[name]} %)`;
    });
    console.log(`MP over ${nz} planes of 64 x 64 (truth ${nzTruth} planes, ${slices} slices):\n${rows.join('\n')}`);

    // RNN and RCS place every slice exactly (true z on the 2.5 nm grid): measured planes equal the truth.
    const rcs = runs[3][1];
    rcs.placement.gridIndex.forEach((g, i) => expect(Buffer.compare(Buffer.from(rcs.volume.slices[g]), Buffer.from(truth.slices[plan.planes[i]]))).toBe(0));
    expect(rcs.placement.moved).toBe(0);

    // SRCS: the standard grid loses the slices that share a 10 nm cell with a later one.
    const srcs = runs[1][1];
    expect(srcs.lostSlices?.length).toBeGreaterThan(0);
    expect(srcs.placement.gridIndex.length + (srcs.lostSlices?.length ?? 0)).toBe(slices);

    expect(mp.DNN).toBeGreaterThan(mp.SRCS + 5);
    expect(mp.SRCS).toBeGreaterThan(mp.RNN + 0.5);
    expect(mp.RNN).toBeGreaterThan(mp.RCS + 1);
    // A spline through the 0/1 labels crosses 0.5 near the midpoints: it is nearest neighbour in all but name.
    expect(Math.abs(mp['RCS-labels'] - mp.RNN)).toBeLessThan(0.5);
  });
});
