// The cross-channel checkerboard takes blocks alternately from each plane.
import { describe, expect, it } from 'vitest';
import { checkerboard } from '../../src-renderer/components/checkerboard';

describe('checkerboard', () => {
  it('alternates square blocks of the two planes, starting with the first at the top left', () => {
    const [w, h] = [5, 3];
    const a = new Uint8Array(w * h).fill(1);
    const b = new Uint8Array(w * h).fill(2);
    expect(Array.from(checkerboard(a, b, w, h, 2))).toEqual([1, 1, 2, 2, 1, 1, 1, 2, 2, 1, 2, 2, 1, 1, 2]);
  });
});
