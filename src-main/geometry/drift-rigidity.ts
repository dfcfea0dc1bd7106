// Do the parts of the frame agree on the drift? A real drift moves the whole frame
// at once; so does noise not, and neither does the apparent motion of structures
// that are inclined to the milling direction (a tilted pore seems to travel across
// the frame as it is milled through). That apparent motion is smooth from slice to
// slice, so the matches of neighbouring pairs err alike: their errors are
// consistent along every route of the drift path, the path's residuals do not show
// them, and the standard errors of the least-squares path are too small.
//
// The check: the path is solved again in each quarter of the frame, from the same
// pairs (drift-path.ts). Quarters hold different structure and different noise, so
// the difference of two quarters' paths at a slice is their two errors, whose
// variance their standard errors predict. The factor
//   k^2 = mean over slices, axes and pairs of quarters of (d_a - d_b)^2 / (s_a^2 + s_b^2)
// is how much the model understates the errors (1 when it is right); the whole
// frame's errors are multiplied by max(1, k) before the significance test, on the
// assumption that the model errs alike there. Only slices that every quarter and
// the whole frame link to slice 0 count. An error all quarters share (a real drift,
// or a motion of the whole frame) leaves k unchanged, as it should.
import type { DriftPath } from './drift-path';
import type { PixelRegion } from './phase-correlation';

export interface RigidityCheck {
  /** max(1, k): what the whole frame's standard errors are multiplied by; 1 when not checked. */
  factor: number;
  /** k as measured (NaN when not checked). */
  measured: number;
  /** Quarters used and slices compared. */
  tiles: number;
  slicesCompared: number;
}

/** Smallest quarter side, px, for the check (a quarter must hold several structures). */
export const MIN_TILE_PX = 32;

/** The 2 x 2 quarters of a region, or none when a quarter would be smaller than MIN_TILE_PX. */
export function quarterTiles(r: PixelRegion): PixelRegion[] {
  const w = Math.floor(r.width / 2);
  const h = Math.floor(r.height / 2);
  if (w < MIN_TILE_PX || h < MIN_TILE_PX) return [];
  return [0, 1].flatMap((ty) => [0, 1].map((tx) => ({ x: r.x + tx * w, y: r.y + ty * h, width: w, height: h })));
}

/**
 * From the drift paths fitted in each quarter (and the whole frame's, for which
 * slices count): the differences between every two quarters' paths against their
 * model standard errors, pooled over slices and axes.
 */
export function rigidityCheck(quarters: readonly DriftPath[], frame: DriftPath): RigidityCheck {
  const n = frame.path.length;
  const none: RigidityCheck = { factor: 1, measured: NaN, tiles: quarters.length, slicesCompared: 0 };
  if (quarters.length < 2 || n < 2) return none;
  let sum = 0;
  let terms = 0;
  let compared = 0;
  for (let i = 1; i < n; i++) {
    if (!frame.connected[i] || !quarters.every((f) => f.connected[i])) continue;
    compared++;
    for (let a = 0; a < quarters.length; a++) {
      for (let b = a + 1; b < quarters.length; b++) {
        for (const axis of ['dy', 'dx'] as const) {
          const d = quarters[a].path[i][axis] - quarters[b].path[i][axis];
          sum += (d * d) / (quarters[a].sigma[i][axis] ** 2 + quarters[b].sigma[i][axis] ** 2);
          terms++;
        }
      }
    }
  }
  if (compared === 0) return none;
  const measured = Math.sqrt(sum / terms);
  return { factor: Math.max(1, measured), measured, tiles: quarters.length, slicesCompared: compared };
}
