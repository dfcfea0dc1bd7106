// [Sardhara2022] eq. 1 (inside [Sardhara2023] eq. 4): the relative L2 difference of two sampled curves.

/**
 * e_L2(f, g) = 2 ||f - g|| / (||f|| + ||g||) over the common points i = 0 .. min(len) - 1,
 * ||.|| the Euclidean norm. In [0, 2] (2 when one curve is all zero); 0 when f = g, and
 * when both are all zero.
 */
export function relativeL2Difference(f: ArrayLike<number>, g: ArrayLike<number>): number {
  const n = Math.min(f.length, g.length);
  let diff = 0;
  let ff = 0;
  let gg = 0;
  for (let i = 0; i < n; i++) {
    diff += (f[i] - g[i]) ** 2;
    ff += f[i] ** 2;
    gg += g[i] ** 2;
  }
  const denominator = Math.sqrt(ff) + Math.sqrt(gg);
  return denominator === 0 ? 0 : (2 * Math.sqrt(diff)) / denominator;
}

/** [Sardhara2023] eq. 4: mean of e_L2(f_x, f_z) and e_L2(f_y, f_z), the z axis being the milling direction. */
export function directionalAnisotropy(fx: ArrayLike<number>, fy: ArrayLike<number>, fz: ArrayLike<number>): number {
  return 0.5 * (relativeL2Difference(fx, fz) + relativeL2Difference(fy, fz));
}
