import type { CsrMatrix, LinearOperator, Matrix } from '@lr/core';

/** The sketch families this package builds. */
export type SketchKind = 'gaussian' | 'srht' | 'countsketch' | 'osnap';

/**
 * A random m×n sketching matrix S as a {@link LinearOperator} (`rows` = m, the sketch size;
 * `cols` = n, the length of the vectors it compresses), plus `apply(A)` = S·A for a dense or
 * CSR A with n rows, computed by the fastest route the sketch allows (GEMM for Gaussian,
 * FWHT for SRHT, O(nnz) scatter for CountSketch/OSNAP). Every sketch is fixed at
 * construction from its `seed`: applying it twice gives the same result.
 *
 * @example
 * import { randn } from '@lr/core';
 * import { srht } from '@lr/sketch';
 * const S = srht(64, 1000, { seed: 1 });
 * const SA = S.apply(randn(1000, 10, { seed: 2 })); // 64×10
 */
export interface SketchOperator extends LinearOperator {
  /** Which family the sketch belongs to. */
  readonly kind: SketchKind;
  /** S·X for X of shape n×k; returns a fresh m×k matrix. */
  matmat(X: Matrix): Matrix;
  /** Sᵀ·Y for Y of shape m×k; returns a fresh n×k matrix. */
  rmatmat(Y: Matrix): Matrix;
  /**
   * S·A for a dense or CSR A with n rows; returns a fresh m×A.cols matrix. Throws
   * `SHAPE_MISMATCH` if A.rows ≠ n and `NON_FINITE` if A holds NaN or ±∞.
   */
  apply(A: Matrix | CsrMatrix): Matrix;
  /** S as a fresh dense m×n matrix (for inspection and tests; O(m·n) memory). */
  toDense(): Matrix;
}
