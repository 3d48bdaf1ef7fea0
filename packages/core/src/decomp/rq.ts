import { Matrix } from '../matrix.js';
import { geqrf, orgqr } from './_qr.js';
import { finiteMatrix } from './_work.js';

/** Result of {@link rq}. Fresh, row-major, float64. */
export interface RqResult {
  /**
   * m ≤ n: m×m upper triangular. m > n: m×n upper trapezoidal in LAPACK dgerqf's sense,
   * R_ij = 0 for i > j + (m − n) (the last n rows form an upper triangle).
   */
  R: Matrix;
  /** k×n with orthonormal rows, k = min(m, n) (n×n orthogonal when m ≥ n). */
  Q: Matrix;
}

/**
 * RQ factorization A = R·Q (upper triangular times orthonormal rows), as used to split a
 * camera matrix into calibration and rotation (Hartley & Zisserman 2nd ed., §6.2.4).
 *
 * Computed from the Householder QR (Golub & Van Loan 4th ed., Alg. 5.2.1/5.2.2) of the
 * row-reversed transpose: with P the reversal (exchange) matrix, (P_m·A)ᵀ = Q₁·R₁ gives
 * A = (P_m·R₁ᵀ·P_k)·(P_k·Q₁ᵀ), and P·(lower triangular)·P is upper triangular. Signs
 * follow LAPACK (R_ii may be negative); flip the sign of row i of Q and column i of R to
 * make R_ii ≥ 0. The input is not mutated.
 *
 * Shapes, k = min(m, n): m ≤ n (the usual case, scipy's `rq(mode='economic')`): R m×m,
 * Q m×n. m > n (full RQ): R m×n upper trapezoidal, Q n×n orthogonal.
 *
 * @param A m×n matrix (any strides)
 * @returns `{ R, Q }` with R m×k and Q k×n
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if A is not a Matrix
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN or ±Infinity
 * @example
 * const { R: K, Q: Rot } = rq(P.colRange(0, 3)); // P = K·[Rot | t]
 */
export function rq(A: Matrix): RqResult {
  const a = finiteMatrix('A', A);
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  // B = (P_m·A)ᵀ (n×m) in column-major: column c of B is row m−1−c of A
  const w = new Float64Array(m * n);
  for (let c = 0; c < m; c++) {
    const src = m - 1 - c;
    for (let r = 0; r < n; r++) w[c * n + r] = a.get(src, r);
  }
  const tau = new Float64Array(k);
  geqrf(w, n, m, tau);
  const q1 = orgqr(w, n, k, tau, k); // n×k column-major
  // R[i][j] = R₁[k−1−j][m−1−i] (R₁ is k×m, R₁[p][q] = w[q·n + p] for p ≤ q)
  const R = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) {
      const p = k - 1 - j;
      const q = m - 1 - i;
      if (p <= q) R[i * k + j] = w[q * n + p]!;
    }
  }
  // Q[i][:] = column k−1−i of Q₁
  const Q = new Float64Array(k * n);
  for (let i = 0; i < k; i++) Q.set(q1.subarray((k - 1 - i) * n, (k - i) * n), i * n);
  return { R: new Matrix(R, m, k), Q: new Matrix(Q, k, n) };
}
