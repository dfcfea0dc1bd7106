// How well a label volume's solid/pore boundary follows the grey edges of the image:
// the mean grey-value gradient magnitude (central differences in x and y, in units of
// the stack's grey range) over the boundary pixels of each slice. Of two thresholds,
// the one whose boundary runs along the stronger edges is the one that cuts at the
// real material boundary; a threshold that cuts through a shine-through halo or a
// solid interior lays its boundary over shallow grey slopes. Pure.
import type { SliceArray } from '../../src-shared/dtype';
import type { Shape3 } from '../../src-shared/volume';

/** Mean gradient magnitude (per unit of the grey range) over boundary pixels (4-neighbour: a neighbour of the other phase). */
export function boundaryContrast(grey: readonly SliceArray[], labels: readonly Uint8Array[], shape: Shape3, greyRange: number): number {
  const [, ny, nx] = shape;
  let sum = 0;
  let n = 0;
  for (let z = 0; z < labels.length; z++) {
    const g = grey[z];
    const l = labels[z];
    for (let y = 1; y < ny - 1; y++) {
      for (let x = 1; x < nx - 1; x++) {
        const i = y * nx + x;
        const v = l[i];
        if (l[i - 1] === v && l[i + 1] === v && l[i - nx] === v && l[i + nx] === v) continue;
        const gx = (g[i + 1] - g[i - 1]) / 2;
        const gy = (g[i + nx] - g[i - nx]) / 2;
        sum += Math.sqrt(gx * gx + gy * gy);
        n++;
      }
    }
  }
  return n > 0 && greyRange > 0 ? sum / n / greyRange : 0;
}
