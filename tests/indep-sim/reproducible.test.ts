// The independent simulator is seeded: one seed gives the same bytes every time,
// another seed another stack, and the imaging settings do not change the structure.
import { afterAll, describe, expect, it } from 'vitest';
import { makeIndepStack, type IndepStack } from '../helpers/indep-sim';

const made: IndepStack[] = [];
function make(...args: Parameters<typeof makeIndepStack>): IndepStack {
  const s = makeIndepStack(...args);
  made.push(s);
  return s;
}
afterAll(() => made.forEach((s) => s.cleanup()));

function differingShare(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  let diff = 0;
  let n = 0;
  a.forEach((s, z) => {
    for (let i = 0; i < s.length; i++) if (s[i] !== b[z][i]) diff++;
    n += s.length;
  });
  return diff / n;
}

describe('independent simulator: seeding', () => {
  it.each(['spinodal', 'grains', 'pores'] as const)('%s: the same seed gives identical bytes, another seed a different stack', (family) => {
    const opts = { family, seed: 3, shape: [8, 48, 48] as const, featurePx: 8 };
    const a = make(opts);
    const b = make(opts);
    expect(differingShare(a.grey.slices, b.grey.slices)).toBe(0);
    expect(differingShare(a.truth, b.truth)).toBe(0);
    const c = make({ ...opts, seed: 4 });
    expect(differingShare(a.truth, c.truth)).toBeGreaterThan(0.1);
    expect(differingShare(a.grey.slices, c.grey.slices)).toBeGreaterThan(0.5);
  });

  it('a kV series images one structure: truth identical, grey different', () => {
    const low = make({ family: 'waves', seed: 9, shape: [8, 48, 48], kv: 1 });
    const high = make({ family: 'waves', seed: 9, shape: [8, 48, 48], kv: 4, detector: 'icd', fill: 'vacuum' });
    expect(differingShare(low.truth, high.truth)).toBe(0);
    expect(differingShare(low.grey.slices, high.grey.slices)).toBeGreaterThan(0.5);
  });
});
