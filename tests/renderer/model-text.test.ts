// The Segmentation step's model sentences and field checks (pure).
import { describe, expect, it } from 'vitest';
import type { ModelInfo, VolumeSummary } from '../../src-shared/contract';
import { TILE_RANGE, defaultStackVolumes, heldOutText, intField, modelWindowText, stackVolumesProblem } from '../../src-renderer/components/model-text';

const grey = (name: string, shape: [number, number, number] = [8, 48, 64]): VolumeSummary => ({
  name,
  role: 'channel',
  kind: 'grey',
  shape,
  dtype: 'uint8',
  voxelSizeNm: { x: 5, y: 5, z: 10 },
  zRangeNm: [0, 70],
  metadata: {},
});
const model = (m: Partial<ModelInfo>): ModelInfo => ({ name: 'm', kind: 'segmentation-2.5d', inputSlices: 7, tile: 128, ...m });

describe('model-text', () => {
  it('picks the volume named for each stack kV, whatever the order and spelling; else by position', () => {
    const greys = [grey('4 kV-reg'), grey('14kV'), grey('1kV'), grey('2_kV')];
    expect(defaultStackVolumes(['1 kV TLD', '2 kV TLD', '4 kV TLD'], greys)).toEqual(['1kV', '2_kV', '4 kV-reg']);
    expect(defaultStackVolumes(['stack A', 'stack B'], [grey('a'), grey('b')])).toEqual(['a', 'b']);
    expect(defaultStackVolumes(['1 kV', '3 kV'], [grey('x')])).toEqual(['x', 'x']);
  });

  it('refuses the same volume twice and volumes of different sizes, naming them', () => {
    const greys = [grey('1kV'), grey('2kV'), grey('big', [8, 96, 64])];
    expect(stackVolumesProblem(['1kV', '2kV'], greys)).toBeNull();
    expect(stackVolumesProblem(['1kV', '1kV'], greys)).toMatch(/own volume/);
    expect(stackVolumesProblem(['1kV', 'big'], greys)).toBe('"1kV" (8 × 48 × 64) and "big" (8 × 96 × 64) differ in size: register or crop them to one size first.');
  });

  it('reads integer fields: empty is the default, out of range or fractional is an error', () => {
    expect(intField('', 'Tile', TILE_RANGE)).toEqual({});
    expect(intField(' 64 ', 'Tile', TILE_RANGE)).toEqual({ value: 64 });
    expect(intField('15', 'Tile', TILE_RANGE).error).toBe('Tile must be a whole number from 16 to 4096, or empty for the default.');
    expect(intField('64.5', 'Tile', TILE_RANGE).error).toBeDefined();
    expect(intField('4097', 'Tile', TILE_RANGE).error).toBeDefined();
  });

  it('says the window and the held-out score', () => {
    expect(modelWindowText(model({ kind: 'segmentation-2d', inputSlices: 1 }))).toBe('1 slice (2D)');
    expect(modelWindowText(model({ kind: 'segmentation-3d', inputSlices: 16 }))).toBe('3D patches of 16 slices');
    expect(heldOutText(model({}))).toBeNull();
    expect(heldOutText(model({ heldOut: { mpPercent: 0.68919, on: '2 kV', otsuMpPercent: 6.98988 } }))).toBe('MP 0.69 % on 2 kV (Otsu 6.99 %)');
  });
});
