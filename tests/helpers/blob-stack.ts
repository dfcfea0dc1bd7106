// A textured uint16 image with sharp edges (blobs thresholded), its content
// moved by (sy, sx) px: crops of one larger texture, for registration tests
// with a known drift between slices and a known offset between channels.
import { random } from './random';

export function blobImage(width: number, height: number, sy: number, sx: number, contrast: number, seed = 42): Uint16Array {
  const r = random(seed);
  const blobs = Array.from({ length: 60 }, () => ({ y: r() * height * 1.4 - 0.2 * height, x: r() * width * 1.4 - 0.2 * width, s: 3 + 6 * r(), a: r() }));
  const out = new Uint16Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (const b of blobs) v += b.a * Math.exp(-(((y - sy - b.y) ** 2 + (x - sx - b.x) ** 2) / (2 * b.s * b.s)));
      out[y * width + x] = Math.round(1000 + contrast * (v > 0.45 ? 1 : 0.2));
    }
  return out;
}
