// Pure helpers of the 3D view: physical box, camera fitting, clip maths, step count, state merging.
import { describe, expect, it } from 'vitest';
import { boundingRadius, clipCorners, clipIsEmpty, fitDistance, MAX_STEPS, physicalBox, rayBox, stepCount } from '../../src-renderer/viewer/geometry';
import { DEFAULT_VIEWER_STATE, mergeViewerState } from '../../src-renderer/viewer/viewer-state';

describe('physicalBox', () => {
  it('sizes the box by nx*x, ny*y, nz*z and scales the largest side to 1', () => {
    const { extentNm, box } = physicalBox([64, 64, 64], { x: 5, y: 5, z: 20 });
    expect(extentNm).toEqual([320, 320, 1280]);
    expect(box).toEqual([0.25, 0.25, 1]);
  });
  it('refuses a voxel size that is not positive', () => {
    expect(() => physicalBox([2, 2, 2], { x: 1, y: 0, z: 1 })).toThrow(/voxel size y/);
  });
});

describe('fitDistance', () => {
  it('puts the sphere exactly inside the narrower field of view (margin 1)', () => {
    const d = fitDistance(1, 60, 1, 1);
    expect(d).toBeCloseTo(2, 10); // sin(30 deg) = 0.5
    // A tall window: the horizontal half angle is the narrower one.
    const dTall = fitDistance(1, 60, 0.5, 1);
    const halfX = Math.atan(Math.tan(Math.PI / 6) * 0.5);
    expect(dTall).toBeCloseTo(1 / Math.sin(halfX), 10);
    expect(dTall).toBeGreaterThan(d);
  });
  it('bounding radius of the unit cube', () => {
    expect(boundingRadius([1, 1, 1])).toBeCloseTo(Math.sqrt(3) / 2, 12);
  });
});

describe('clip and rays', () => {
  it('corners and emptiness of the clip box', () => {
    const clip = { x: [0.5, 1] as [number, number], y: [0, 1] as [number, number], z: [0.2, 0.2] as [number, number] };
    expect(clipCorners(clip)).toEqual({ min: [0.5, 0, 0.2], max: [1, 1, 0.2] });
    expect(clipIsEmpty(clip)).toBe(true);
    expect(clipIsEmpty(DEFAULT_VIEWER_STATE.clip)).toBe(false);
  });
  it('slab test: a ray along x through the half box x >= 0.5 enters at 0.5', () => {
    expect(rayBox([-1, 0.5, 0.5], [1, 0, 0], [0.5, 0, 0], [1, 1, 1])).toEqual([1.5, 2]);
    expect(rayBox([-1, 2, 0.5], [1, 0, 0], [0, 0, 0], [1, 1, 1])).toBeNull();
    // From inside: entry clamps to 0.
    expect(rayBox([0.5, 0.5, 0.5], [0, 0, -1], [0, 0, 0], [1, 1, 1])).toEqual([0, 0.5]);
  });
  it('step count: 1.5 samples per voxel crossed, capped', () => {
    expect(stepCount([1, 0, 0], [64, 64, 64])).toBe(96);
    expect(stepCount([0, 0, 1], [64, 32, 16])).toBe(96); // z has 64 voxels
    expect(stepCount([1, 1, 1], [512, 512, 512])).toBe(Math.ceil(Math.sqrt(3) * 512 * 1.5));
    expect(stepCount([1, 1, 1], [2048, 2048, 2048])).toBe(MAX_STEPS);
    expect(stepCount([0, 0, 0], [8, 8, 8])).toBe(1);
  });
});

describe('mergeViewerState', () => {
  it('merges per axis and clamps to 0..1', () => {
    const s = mergeViewerState(DEFAULT_VIEWER_STATE, { clip: { x: [0.5, 1.5] }, isoLevel: -1, window: { high: 0.8 } });
    expect(s.clip).toEqual({ x: [0.5, 1], y: [0, 1], z: [0, 1] });
    expect(s.isoLevel).toBe(0);
    expect(s.window).toEqual({ low: 0, high: 0.8 });
    expect(DEFAULT_VIEWER_STATE.clip.x).toEqual([0, 1]); // not mutated
  });
  it('refuses nonsense with a message', () => {
    expect(() => mergeViewerState(DEFAULT_VIEWER_STATE, { clip: { y: [0.8, 0.2] } })).toThrow(/clip.y must have min <= max/);
    expect(() => mergeViewerState(DEFAULT_VIEWER_STATE, { window: { low: 0.9, high: 0.1 } })).toThrow(/low <= high/);
    expect(() => mergeViewerState(DEFAULT_VIEWER_STATE, { colour: 'red' })).toThrow(/#rrggbb/);
    expect(() => mergeViewerState(DEFAULT_VIEWER_STATE, { opacity: Number.NaN })).toThrow(/finite/);
    expect(() => mergeViewerState(DEFAULT_VIEWER_STATE, { mode: 'mip' as never })).toThrow(/mode/);
  });
});
