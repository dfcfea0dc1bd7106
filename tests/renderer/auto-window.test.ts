// Auto-contrast (src-renderer/components/auto-window.ts) against numpy's
// percentile with method 'inverted_cdf' on the same pixels.
import { describe, expect, it } from 'vitest';
import { autoWindow } from '../../src-renderer/components/auto-window';
import { runPython } from '../helpers/python';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('autoWindow', () => {
  it('equals numpy percentiles 0.5 / 99.5 (inverted_cdf) on skewed, narrow and two-level planes', () => {
    const r = lcg(7);
    const planes = [
      Uint8Array.from({ length: 4096 }, () => Math.min(255, Math.floor(60 + 40 * -Math.log(1 - r())))),
      Uint8Array.from({ length: 1000 }, () => 100 + Math.floor(20 * r())),
      Uint8Array.from({ length: 997 }, (_, i) => (i % 3 === 0 ? 30 : 200)),
    ];
    const ref = JSON.parse(
      runPython(
        `import sys, json, numpy as np
planes = json.loads(sys.stdin.read())
print(json.dumps([[int(np.percentile(np.array(p), q, method='inverted_cdf')) for q in (0.5, 99.5)] for p in planes]))`,
        [],
        JSON.stringify(planes.map((p) => [...p])),
      ),
    ) as [number, number][];
    planes.forEach((p, k) => expect(autoWindow(p)).toEqual({ low: ref[k][0], high: ref[k][1] }));
  });

  it('gives a flat plane a one-level window, an empty one the full range', () => {
    expect(autoWindow(new Uint8Array(50).fill(77))).toEqual({ low: 77, high: 78 });
    expect(autoWindow(new Uint8Array(50).fill(255))).toEqual({ low: 254, high: 255 });
    expect(autoWindow(new Uint8Array(0))).toEqual({ low: 0, high: 255 });
  });
});
