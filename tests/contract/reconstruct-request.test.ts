// The reconstruction request where it enters the main process: method 'ml' takes a
// model, EP, tile and batch; other methods refuse them instead of ignoring them.
import { describe, expect, it } from 'vitest';
import { ReconstructJobSchema } from '../../src-shared/contract';

describe('ReconstructJobSchema', () => {
  it('accepts ml with model, EP, tile and batch; fills nothing in', () => {
    const r = ReconstructJobSchema.parse({ volume: 'labels', method: 'ml', model: 'inpaint-small', ep: 'cpu', tile: 256, batchSize: 2, out: 'rml' });
    expect(r).toEqual({ volume: 'labels', method: 'ml', model: 'inpaint-small', ep: 'cpu', tile: 256, batchSize: 2, out: 'rml' });
    expect(ReconstructJobSchema.parse({ volume: 'labels', method: 'ml', out: 'rml' }).model).toBeUndefined();
  });

  it('refuses model / EP / tile / batch for the other methods, and unknown EPs', () => {
    const cubic = ReconstructJobSchema.safeParse({ volume: 'labels', method: 'cubic', model: 'inpaint-small', out: 'x' });
    expect(cubic.success).toBe(false);
    expect(cubic.error?.issues[0].message).toBe('model, ep, tile and batchSize are for method "ml" only');
    expect(ReconstructJobSchema.safeParse({ volume: 'labels', method: 'nearest', ep: 'cpu', out: 'x' }).success).toBe(false);
    expect(ReconstructJobSchema.safeParse({ volume: 'labels', method: 'ml', ep: 'gpu', out: 'x' }).success).toBe(false);
    expect(ReconstructJobSchema.safeParse({ volume: 'labels', method: 'ml', tile: 8, out: 'x' }).success).toBe(false);
  });
});
