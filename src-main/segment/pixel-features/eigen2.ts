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
 * Writes both eigenvalues of n pixels into a feature-major row block:
 * out[slotHigh * n + p] = larger, out[slotLow * n + p] = smaller. A slot of -1 is skipped.
 */
export function writeEigenvalues2(a: Float32Array, b: Float32Array, c: Float32Array, n: number, out: Float32Array, slotHigh: number, slotLow: number): void {
  if (slotHigh < 0 && slotLow < 0) return;
  const hi = slotHigh * n;
  const lo = slotLow * n;
  for (let p = 0; p < n; p++) {
    const ap = a[p];
    const cp = c[p];
    const bp = b[p];
    const d = 0.5 * (ap - cp);
    const m = 0.5 * (ap + cp);
    const root = Math.sqrt(d * d + bp * bp);
    if (hi >= 0) out[hi + p] = m + root;
    if (lo >= 0) out[lo + p] = m - root;
  }
}
