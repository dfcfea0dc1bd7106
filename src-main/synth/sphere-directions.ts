// Evenly spread directions for the stratified wave set: a spherical Fibonacci
// lattice (equal-area, no poles crowded) turned by one uniformly random rotation,
// so every single direction is still uniform on the sphere.

export type Rotation = readonly number[]; // 3 x 3, row-major

/** Point i of n on the unit sphere: z evenly spaced in (-1, 1), azimuth by the golden angle. */
export function fibonacciPoint(i: number, n: number): [number, number, number] {
  const z = 1 - (2 * i + 1) / n;
  const rho = Math.sqrt(Math.max(0, 1 - z * z));
  const azimuth = i * Math.PI * (3 - Math.sqrt(5));
  return [rho * Math.cos(azimuth), rho * Math.sin(azimuth), z];
}

/** Uniformly random rotation from three uniforms in [0, 1) (Shoemake's random unit quaternion). */
export function randomRotation(u1: number, u2: number, u3: number): Rotation {
  const a = Math.sqrt(1 - u1);
  const b = Math.sqrt(u1);
  const x = a * Math.sin(2 * Math.PI * u2);
  const y = a * Math.cos(2 * Math.PI * u2);
  const z = b * Math.sin(2 * Math.PI * u3);
  const w = b * Math.cos(2 * Math.PI * u3);
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
}

export function rotate(r: Rotation, [x, y, z]: readonly number[]): [number, number, number] {
  return [r[0] * x + r[1] * y + r[2] * z, r[3] * x + r[4] * y + r[5] * z, r[6] * x + r[7] * y + r[8] * z];
}
