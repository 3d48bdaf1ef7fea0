// LU with partial pivoting on a row-major Float64 work array (private, assumes validated
// input). Blocked right-looking (LAPACK dgetrf): an unblocked panel (GvL 4th ed.,
// Alg. 3.4.1, row interchanges applied to whole rows), a unit-lower triangular solve for
// the block row of U and a GEMM for the trailing update.
import { axpyStrided } from '../kernels/blas1.js';
import { gemmStrided } from '../kernels/gemm.js';

/** Panel width. */
const NB = 48;

/** What {@link getrf} found besides the factors. */
export interface GetrfInfo {
  /** Parity of the row permutation. */
  sign: 1 | -1;
  /** Index of the first exactly-zero pivot, or −1. */
  zeroPivot: number;
}

/**
 * Overwrites the m×n row-major `w` with L (strictly below the diagonal, unit diagonal
 * implicit) and U (on and above). `perm` (length m) receives the row order: row i of L·U
 * is row perm[i] of the input. A zero pivot column is skipped (as LAPACK does), so the
 * factorization completes for singular and rank-deficient matrices.
 */
export function getrf(w: Float64Array, m: number, n: number, perm: Int32Array): GetrfInfo {
  const k = Math.min(m, n);
  for (let i = 0; i < m; i++) perm[i] = i;
  let sign: 1 | -1 = 1;
  let zeroPivot = -1;
  for (let j0 = 0; j0 < k; j0 += NB) {
    const j1 = Math.min(j0 + NB, k);
    // unblocked panel on columns j0 … j1−1
    for (let j = j0; j < j1; j++) {
      let p = j;
      let best = Math.abs(w[j * n + j]!);
      for (let i = j + 1; i < m; i++) {
        const v = Math.abs(w[i * n + j]!);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (p !== j) {
        const a = p * n;
        const b = j * n;
        for (let c = 0; c < n; c++) {
          const t = w[a + c]!;
          w[a + c] = w[b + c]!;
          w[b + c] = t;
        }
        const t = perm[p]!;
        perm[p] = perm[j]!;
        perm[j] = t;
        sign = -sign as 1 | -1;
      }
      const piv = w[j * n + j]!;
      if (piv === 0) {
        if (zeroPivot < 0) zeroPivot = j;
        continue;
      }
      const len = j1 - j - 1;
      for (let i = j + 1; i < m; i++) {
        const l = w[i * n + j]! / piv;
        w[i * n + j] = l;
        if (len > 0 && l !== 0) axpyStrided(len, -l, w, j * n + j + 1, 1, w, i * n + j + 1, 1);
      }
    }
    if (j1 < n) {
      const nc = n - j1;
      // U12 ← L11⁻¹·A12 (unit lower, forward substitution by rows)
      for (let i = j0 + 1; i < j1; i++) {
        for (let p = j0; p < i; p++) {
          const l = w[i * n + p]!;
          if (l !== 0) axpyStrided(nc, -l, w, p * n + j1, 1, w, i * n + j1, 1);
        }
      }
      // A22 ← A22 − L21·U12
      if (j1 < m) {
        gemmStrided(
          m - j1,
          nc,
          j1 - j0,
          -1,
          w,
          j1 * n + j0,
          n,
          1,
          w,
          j0 * n + j1,
          n,
          1,
          1,
          w,
          j1 * n + j1,
          n,
          1,
        );
      }
    }
  }
  return { sign, zeroPivot };
}
