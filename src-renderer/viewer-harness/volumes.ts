// Synthetic volumes for the viewer harness (x fastest, then y, then z).
import type { Shape3 } from '../viewer/downsample';

/** Labels: 1 inside a sphere of the given radius (fraction of the half side) at the centre, 0 outside. */
export function sphereLabels(n: number, radiusFraction = 0.7): Uint8Array {
  const out = new Uint8Array(n * n * n);
  const c = (n - 1) / 2;
  const r2 = (radiusFraction * n * 0.5) ** 2;
  for (let z = 0; z < n; z += 1) {
    for (let y = 0; y < n; y += 1) {
      for (let x = 0; x < n; x += 1) {
        if ((x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2 <= r2) out[(z * n + y) * n + x] = 1;
      }
    }
  }
  return out;
}

/** Grey: a ramp along x (0 at x = 0, 255 at the far side) times a soft ball, so the window matters. */
export function gradientGrey(n: number): Uint8Array {
  const out = new Uint8Array(n * n * n);
  const c = (n - 1) / 2;
  for (let z = 0; z < n; z += 1) {
    for (let y = 0; y < n; y += 1) {
      for (let x = 0; x < n; x += 1) {
        const r = Math.hypot(x - c, y - c, z - c) / (n / 2);
        const ball = Math.max(0, 1 - r * r);
        out[(z * n + y) * n + x] = Math.round(255 * (x / (n - 1)) * ball);
      }
    }
  }
  return out;
}

/** Labels: a gyroid-like porous structure (sum of cosines thresholded at 0), about half solid. */
export function cosineLabels(shape: Shape3, periods = 6): Uint8Array {
  const [nz, ny, nx] = shape;
  const table = (n: number, phase: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * periods * i) / n + phase));
  const cx = table(nx, 0);
  const sx = table(nx, -Math.PI / 2);
  const cy = table(ny, 0.3);
  const sy = table(ny, 0.3 - Math.PI / 2);
  const cz = table(nz, 0.7);
  const sz = table(nz, 0.7 - Math.PI / 2);
  const out = new Uint8Array(nz * ny * nx);
  let i = 0;
  for (let z = 0; z < nz; z += 1) {
    for (let y = 0; y < ny; y += 1) {
      const a = sy[y] * cz[z];
      for (let x = 0; x < nx; x += 1, i += 1) {
        // Gyroid: sin x cos y + sin y cos z + sin z cos x
        out[i] = sx[x] * cy[y] + a + sz[z] * cx[x] > 0 ? 1 : 0;
      }
    }
  }
  return out;
}
