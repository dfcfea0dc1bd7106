// The level cut must give the exact count even when many voxels share the level value.
import { describe, expect, it } from 'vitest';
import { applyLevelCut, findLevelCut } from '../../src-main/synth/level-cut';
import { seededRandom } from '../../src-main/synth/seeded-random';

function labelsLike(field: Float32Array[]): Uint8Array[] {
  return field.map((s) => new Uint8Array(s.length));
}
const sum = (ls: Uint8Array[]) => ls.reduce((a, s) => a + s.reduce((b, x) => b + x, 0), 0);

describe('level cut', () => {
  it('counts ties: integer-valued field with huge ties, every count from 0 to n', () => {
    const rng = seededRandom(5);
    const field = [0, 1, 2].map(() => Float32Array.from({ length: 40 }, () => Math.floor(rng.uniform() * 4) - 2));
    field[1][3] = -0; // -0 and +0 are one value
    field[2][7] = 0;
    for (let count = 0; count <= 120; count++) {
      const labels = labelsLike(field);
      const cut = findLevelCut(field, count);
      applyLevelCut(field, cut, labels);
      expect(sum(labels)).toBe(count);
      // Everything strictly above the level is solid, everything strictly below is pore.
      field.forEach((s, z) => s.forEach((v, i) => {
        if (v > cut.level) expect(labels[z][i]).toBe(1);
        if (v < cut.level) expect(labels[z][i]).toBe(0);
      }));
    }
  });

  it('finds the exact order statistic of a continuous field, negative values included', () => {
    const rng = seededRandom(6);
    const field = [Float32Array.from({ length: 5000 }, () => rng.gaussian() * 1e-3 - 0.5)];
    const sorted = [...field[0]].sort((a, b) => b - a);
    for (const count of [1, 17, 2500, 4999, 5000]) {
      expect(findLevelCut(field, count).level).toBe(sorted[count - 1]);
    }
  });

  it('restricts the cut to a mask and writes pore outside it', () => {
    const field = [Float32Array.from([5, 4, 3, 2, 1, 0])];
    const mask = [Uint8Array.from([0, 1, 0, 1, 1, 1])];
    const labels = labelsLike(field);
    applyLevelCut(field, findLevelCut(field, 2, mask), labels, mask);
    expect([...labels[0]]).toEqual([0, 1, 0, 1, 0, 0]);
    expect(() => findLevelCut(field, 5, mask)).toThrow(/only 4 available/);
  });
});
