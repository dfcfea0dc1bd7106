// Grey normalisation against numpy.percentile (method 'linear', numpy's
// default) on uint8, uint16 and float32 stacks: exact for the integer types,
// within one histogram bin ((max - min) / 65536) for float32.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { channelFromVolume, computeGreyNormalisation, normaliseSlice } from '../../src-main/segment/pixel-features';
import type { DType, SliceArray } from '../../src-shared/dtype';
import type { Volume } from '../../src-shared/volume';
import { runPython, tempDir } from '../helpers/python';
import { random } from '../helpers/random';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A skewed grey distribution (dark pores, bright solid, a few hot pixels), like a FIB-SEM slice. */
function stack(dtype: DType, nz: number, ny: number, nx: number, seed: number, scale: number, offset: number): Volume {
  const rnd = random(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const slices: SliceArray[] = [];
  for (let z = 0; z < nz; z++) {
    const s = dtype === 'uint8' ? new Uint8Array(ny * nx) : dtype === 'uint16' ? new Uint16Array(ny * nx) : new Float32Array(ny * nx);
    for (let i = 0; i < s.length; i++) {
      const solid = rnd() < 0.35;
      let v = offset + scale * ((solid ? 0.7 : 0.25) + 0.08 * gauss());
      if (rnd() < 0.003) v = offset + scale;
      s[i] = dtype === 'float32' ? v : Math.max(0, Math.min(dtype === 'uint8' ? 255 : 65535, Math.round(v)));
    }
    slices.push(s);
  }
  return { shape: [nz, ny, nx], dtype, voxelSizeNm: { x: 3, y: 3, z: 6 }, zPositionsNm: slices.map((_, i) => 6 * i), slices };
}

function numpyPercentiles(v: Volume, tag: string, q: number[], step = 1): number[] {
  const raw = join(tmp.dir, `${tag}.raw`);
  writeFileSync(raw, Buffer.concat(v.slices.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength))));
  const py = `
import sys, json, numpy as np
a = json.loads(sys.argv[1])
v = np.fromfile(a['raw'], dtype=a['dtype']).reshape(a['shape'])[::a['step']]
print(json.dumps([float(x) for x in np.nanpercentile(v.astype(np.float64), a['q'])]))
`;
  return JSON.parse(runPython(py, [JSON.stringify({ raw, dtype: v.dtype, shape: v.shape, q, step })]));
}

describe('grey normalisation equals numpy.percentile', () => {
  const cases = [
    { dtype: 'uint8' as const, scale: 255, offset: 0, seed: 1 },
    { dtype: 'uint16' as const, scale: 40000, offset: 9000, seed: 2 },
    { dtype: 'float32' as const, scale: 3.5, offset: -1.2, seed: 3 },
  ];
  for (const c of cases) {
    it(`${c.dtype}: 0.5 / 99.5 and 2 / 98 percentiles over the whole stack`, () => {
      const v = stack(c.dtype, 4, 30, 37, c.seed, c.scale, c.offset);
      const [lo, hi, lo2, hi2] = numpyPercentiles(v, c.dtype, [0.5, 99.5, 2, 98]);
      const n = computeGreyNormalisation([channelFromVolume(v)]);
      const n2 = computeGreyNormalisation([channelFromVolume(v)], { lowPercentile: 2, highPercentile: 98 });
      // float32: ranks are located in 65536 bins over [min, max]
      const tol = c.dtype === 'float32' ? (1.4 * c.scale) / 65536 : 1e-9;
      expect(Math.abs(n.channels[0].low - lo)).toBeLessThanOrEqual(tol);
      expect(Math.abs(n.channels[0].high - hi)).toBeLessThanOrEqual(tol);
      expect(Math.abs(n2.channels[0].low - lo2)).toBeLessThanOrEqual(tol);
      expect(Math.abs(n2.channels[0].high - hi2)).toBeLessThanOrEqual(tol);
      expect(n).toMatchObject({ version: 1, lowPercentile: 0.5, highPercentile: 99.5 });
    });
  }

  it('two channels get their own ranges; sliceStep 2 reads slices 0, 2, 4 only', () => {
    const a = stack('uint16', 5, 20, 21, 4, 30000, 2000);
    const b = stack('uint8', 5, 20, 21, 5, 200, 20);
    const n = computeGreyNormalisation([channelFromVolume(a), channelFromVolume(b)], { sliceStep: 2 });
    const [alo, ahi] = numpyPercentiles(a, 'a', [0.5, 99.5], 2);
    const [blo, bhi] = numpyPercentiles(b, 'b', [0.5, 99.5], 2);
    expect(n.channels[0].low).toBeCloseTo(alo, 9);
    expect(n.channels[0].high).toBeCloseTo(ahi, 9);
    expect(n.channels[1].low).toBeCloseTo(blo, 9);
    expect(n.channels[1].high).toBeCloseTo(bhi, 9);
  });

  it('float32 NaN voxels are ignored (numpy.nanpercentile)', () => {
    const v = stack('float32', 2, 16, 16, 6, 1, 0);
    for (let i = 0; i < 40; i++) (v.slices[0] as Float32Array)[i * 5] = NaN;
    const [lo, hi] = numpyPercentiles(v, 'nan', [0.5, 99.5]);
    const n = computeGreyNormalisation([channelFromVolume(v)]);
    expect(Math.abs(n.channels[0].low - lo)).toBeLessThanOrEqual(1.4 / 65536);
    expect(Math.abs(n.channels[0].high - hi)).toBeLessThanOrEqual(1.4 / 65536);
  });

  it('normaliseSlice maps low to 0 and high to 1 without clipping', () => {
    const out = normaliseSlice(new Uint16Array([100, 300, 500, 0]), { low: 100, high: 500 });
    expect(Array.from(out)).toEqual([0, 0.5, 1, -0.25]);
  });

  it('rejects percentiles out of order and a stack without finite values, saying what to use', () => {
    const v = stack('uint8', 1, 4, 4, 7, 255, 0);
    expect(() => computeGreyNormalisation([channelFromVolume(v)], { lowPercentile: 99, highPercentile: 1 })).toThrow(/use e.g. 0.5 and 99.5/);
    const nan = stack('float32', 1, 4, 4, 8, 1, 0);
    (nan.slices[0] as Float32Array).fill(NaN);
    expect(() => computeGreyNormalisation([channelFromVolume(nan)])).toThrow(/no finite grey values/);
  });
});
