// S2, L and MP / MGP / MDS against an independent numpy implementation (numpy_reference.py).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Shape3, Volume } from '../../src-shared/volume';
import { compareToTruth } from '../../src-main/metrics/truth-comparison';
import { linealPath } from '../../src-main/metrics/lineal-path';
import { twoPointCorrelation } from '../../src-main/metrics/two-point-correlation';
import { runPython, tempDir } from '../helpers/python';
import { type Axis, expectClose, labelVolume, random } from './volumes';

const SCRIPT = join(__dirname, 'numpy_reference.py');

function rawBytes(v: Volume): Buffer {
  return Buffer.concat(v.slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength)));
}

/** Blobby random structure: solid where a sum of a few random waves is positive (long runs, like ligaments). */
function wavyVolume(shape: Shape3, seed: number): Volume {
  const rand = random(seed);
  const waves = Array.from({ length: 6 }, () => ({ k: [rand() - 0.5, rand() - 0.5, rand() - 0.5].map((c) => c * 1.6), phase: rand() * 6.28 }));
  return labelVolume(shape, (z, y, x) => {
    const s = waves.reduce((a, w) => a + Math.cos(w.k[0] * z + w.k[1] * y + w.k[2] * x + w.phase), 0);
    return s > 0.3 ? 1 : 0;
  });
}

describe('metrics against numpy', () => {
  const cases: { shape: Shape3; rMax: number }[] = [
    { shape: [24, 40, 32], rMax: 23 },
    { shape: [1, 30, 50], rMax: 49 },
    { shape: [33, 17, 1], rMax: 32 },
  ];
  cases.forEach(({ shape, rMax }, i) => {
    it(`S2, L along x, y, z and MP, MGP, MDS agree on ${shape.join('x')} (z,y,x)`, () => {
      const { dir, cleanup } = tempDir();
      try {
        const v = wavyVolume(shape, 600 + i);
        const rand = random(700 + i);
        const truth = labelVolume(shape, (z, y, x) => (rand() < 0.1 ? 1 - v.slices[z][y * shape[2] + x] : v.slices[z][y * shape[2] + x]));
        writeFileSync(join(dir, 'v.raw'), rawBytes(v));
        writeFileSync(join(dir, 't.raw'), rawBytes(truth));
        const ref = JSON.parse(
          runPython(`import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')`, [
            SCRIPT, join(dir, 'v.raw'), ...shape.map(String), String(rMax), join(dir, 't.raw'),
          ]),
        );
        for (const axis of ['x', 'y', 'z'] as Axis[]) {
          const n = axis === 'x' ? shape[2] : axis === 'y' ? shape[1] : shape[0];
          const r = Math.min(rMax, n - 1);
          expect(ref.s2[axis]).toHaveLength(r + 1);
          expectClose(twoPointCorrelation(v, axis, r, 'direct').values, ref.s2[axis]);
          expectClose(twoPointCorrelation(v, axis, r, 'fft').values, ref.s2[axis]);
          expectClose(linealPath(v, axis, r).values, ref.lp[axis]);
        }
        const c = compareToTruth(v, truth);
        expectClose([c.misplacedPercent, c.misplacedSolidPercent ?? NaN, c.meanDice], [ref.truth.mp, ref.truth.mgp, ref.truth.mds]);
        expect(ref.s2.x[0]).toBeGreaterThan(0.05); // the structure has solid to measure
      } finally {
        cleanup();
      }
    });
  });
});
