// Solves with an LU factorization (private, assumes validated input and a nonzero
// diagonal of U): A[perm, :] = L·U, L unit lower, U upper (LAPACK dgetrs).
import type { Matrix } from '../matrix.js';
import { trsmStrided } from './_trsm.js';

/**
 * Returns X (row-major n×k) with A·X = B, or Aᵀ·X = B when `transpose`, for B the
 * row-major n×k `b` (not modified). Only the strict lower triangle of L and the upper
 * triangle of U are read, so L and U may be the same combined matrix.
 */
export function luApply(
  L: Matrix,
  U: Matrix,
  perm: Int32Array,
  n: number,
  b: Float64Array,
  k: number,
  transpose: boolean,
): Float64Array {
  const x = new Float64Array(n * k);
  if (!transpose) {
    // P·A = L·U ⇒ L·U·X = P·B
    for (let i = 0; i < n; i++) x.set(b.subarray(perm[i]! * k, perm[i]! * k + k), i * k);
    trsmStrided(true, true, n, k, L.data, L.offset, L.rowStride, L.colStride, x, 0, k, 1);
    trsmStrided(false, false, n, k, U.data, U.offset, U.rowStride, U.colStride, x, 0, k, 1);
    return x;
  }
  // Aᵀ = Uᵀ·Lᵀ·P ⇒ Uᵀ·Lᵀ·(P·X) = B
  const y = Float64Array.from(b);
  trsmStrided(true, false, n, k, U.data, U.offset, U.colStride, U.rowStride, y, 0, k, 1);
  trsmStrided(false, true, n, k, L.data, L.offset, L.colStride, L.rowStride, y, 0, k, 1);
  for (let i = 0; i < n; i++) x.set(y.subarray(i * k, i * k + k), perm[i]! * k);
  return x;
}
