// Sub-volumes for patch-wise metrics: copies of a box of the label slices.
import type { Shape3 } from '../../src-shared/volume';

/** Copies the box origin + [0, size) (both (z, y, x)) out of `slices` of a volume with `shape`. */
export function cropSlices(slices: Uint8Array[], shape: Shape3, origin: Shape3, size: Shape3): Uint8Array[] {
  const nx = shape[2];
  const [z0, y0, x0] = origin;
  const [pz, py, px] = size;
  const out: Uint8Array[] = [];
  for (let k = 0; k < pz; k++) {
    const src = slices[z0 + k];
    const dst = new Uint8Array(py * px);
    for (let j = 0; j < py; j++) {
      const from = (y0 + j) * nx + x0;
      dst.set(src.subarray(from, from + px), j * px);
    }
    out.push(dst);
  }
  return out;
}
