// Eigenvalues of the symmetric 2 x 2 matrix [[a, b], [b, c]] per pixel, in
// decreasing order (largest first), as skimage's hessian_matrix_eigvals and
// structure_tensor_eigenvalues return them:
//   lambda = (a + c) / 2 +- sqrt(((a - c) / 2)^2 + b^2).

/** The larger eigenvalue. */
export function eigenHigh(a: number, b: number, c: number): number {
  const d = 0.5 * (a - c);
  return 0.5 * (a + c) + Math.sqrt(d * d + b * b);
}

/** The smaller eigenvalue. */
export function eigenLow(a: number, b: number, c: number): number {
  const d = 0.5 * (a - c);
  return 0.5 * (a + c) - Math.sqrt(d * d + b * b);
}

/**
 * Writes both eigenvalues of n pixels into a pixel-major block:
 * out[offset + p * stride + slotHigh] = larger, ... + slotLow = smaller.
 * A slot of -1 is skipped.
 */
export function writeEigenvalues2(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  n: number,
  out: Float32Array,
  offset: number,
  stride: number,
  slotHigh: number,
  slotLow: number,
): void {
  for (let p = 0; p < n; p++) {
    const ap = a[p];
    const cp = c[p];
    const bp = b[p];
    const d = 0.5 * (ap - cp);
    const m = 0.5 * (ap + cp);
    const root = Math.sqrt(d * d + bp * bp);
    const o = offset + p * stride;
    if (slotHigh >= 0) out[o + slotHigh] = m + root;
    if (slotLow >= 0) out[o + slotLow] = m - root;
  }
}
