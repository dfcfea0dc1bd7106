// The level cut: the threshold that makes exactly `solidCount` voxels solid.
// Solid = the HIGHEST field values (field above the level); voxels whose value
// equals the level ("ties") are solid in raster order (z, then y, then x) until
// the count is met, so the solid fraction is exact whatever the ties.
//
// The level is the exact float32 order statistic, found without sorting in two
// histogram passes over the stored field (radix select on the float bits:
// 65,536 bins of the upper 16 bits, then of the lower 16 bits inside the one bin
// that holds the rank), so the memory beyond the field is two small histograms.
// Comparisons use the same integer keys, so -0 and +0 never disagree.

export interface LevelCut {
  /** Sortable 32-bit key of the level value (see floatKey). */
  levelKey: number;
  /** The level as a number (Infinity when nothing is solid). */
  level: number;
  /** How many voxels with value == level are solid (taken in raster order). */
  tiesSolid: number;
  solidCount: number;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Maps float32 bits to an unsigned key with the same order as the float values. */
function keyOfBits(bits: number): number {
  return (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;
}

function valueOfKey(key: number): number {
  u32[0] = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  return f32[0];
}

function bitsView(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/** Walks a histogram from the top; returns the bin holding the `rank`-th largest (1-based) and the count above it. */
function binFromTop(hist: Float64Array, rank: number): { bin: number; above: number } {
  let above = 0;
  for (let b = hist.length - 1; b >= 0; b--) {
    if (above + hist[b] >= rank) return { bin: b, above };
    above += hist[b];
  }
  throw new Error('level cut: rank beyond the number of voxels');
}

/** Finds the level that makes exactly solidCount voxels (of those where mask != 0) solid. */
export function findLevelCut(field: readonly Float32Array[], solidCount: number, mask?: readonly Uint8Array[]): LevelCut {
  if (solidCount <= 0) return { levelKey: 0xffffffff, level: Infinity, tiesSolid: 0, solidCount: 0 };
  const high = new Float64Array(65536);
  let total = 0;
  field.forEach((slice, z) => {
    const bits = bitsView(slice);
    const m = mask?.[z];
    for (let i = 0; i < bits.length; i++) {
      if (m && m[i] === 0) continue;
      high[keyOfBits(bits[i]) >>> 16]++;
      total++;
    }
  });
  if (solidCount > total) throw new Error(`level cut: ${solidCount} solid voxels asked for but only ${total} available`);
  const top = binFromTop(high, solidCount);
  const low = new Float64Array(65536);
  field.forEach((slice, z) => {
    const bits = bitsView(slice);
    const m = mask?.[z];
    for (let i = 0; i < bits.length; i++) {
      if (m && m[i] === 0) continue;
      const key = keyOfBits(bits[i]);
      if (key >>> 16 === top.bin) low[key & 0xffff]++;
    }
  });
  const inBin = binFromTop(low, solidCount - top.above);
  const levelKey = ((top.bin << 16) | inBin.bin) >>> 0;
  return { levelKey, level: valueOfKey(levelKey), tiesSolid: solidCount - top.above - inBin.above, solidCount };
}

/**
 * Writes the cut into labels (1 = solid, 0 = pore). With a mask, voxels where the
 * mask is 0 become pore; labels may be the mask itself (updated in place).
 */
export function applyLevelCut(field: readonly Float32Array[], cut: LevelCut, labels: Uint8Array[], mask?: readonly Uint8Array[]): void {
  let tiesLeft = cut.tiesSolid;
  field.forEach((slice, z) => {
    const bits = bitsView(slice);
    const out = labels[z];
    const m = mask?.[z];
    for (let i = 0; i < bits.length; i++) {
      if (m && m[i] === 0) {
        out[i] = 0;
        continue;
      }
      const key = keyOfBits(bits[i]);
      let solid = key > cut.levelKey;
      if (key === cut.levelKey && tiesLeft > 0) {
        solid = true;
        tiesLeft--;
      }
      out[i] = solid ? 1 : 0;
    }
  });
}
