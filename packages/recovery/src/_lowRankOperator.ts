import {
  type CsrMatrix,
  gemm,
  gemvStrided,
  type LinearOperator,
  Matrix,
  spmm,
  spmmT,
  spmv,
  spmvT,
  zeros,
} from '@lr/core';

/**
 * The operator X = S + U·Vᵀ (S sparse m×n, U m×k, V n×k, row-major data) without forming
 * X: products cost O(nnz(S) + (m + n)·k) per vector. SoftImpute's "sparse plus low rank".
 */
export function sparsePlusLowRank(
  S: CsrMatrix,
  U: Float64Array,
  V: Float64Array,
  k: number,
): LinearOperator {
  const m = S.rows;
  const n = S.cols;
  const Um = Matrix.fromData(U, m, k);
  const Vm = Matrix.fromData(V, n, k);
  const lowMat = (A: Matrix, B: Matrix, X: Matrix, out: Matrix): void => {
    // out += A·(Bᵀ·X)
    const t = zeros(k, X.cols);
    gemm(B, X, t, { transA: true });
    gemm(A, t, out, { beta: 1 });
  };
  return {
    rows: m,
    cols: n,
    matvec(x) {
      // y = S·x + U·(Vᵀ·x)
      const y = spmv(S, x);
      const t = new Float64Array(k);
      gemvStrided(k, n, 1, V, 0, 1, k, x, 0, 1, 0, t, 0, 1);
      gemvStrided(m, k, 1, U, 0, k, 1, t, 0, 1, 1, y, 0, 1);
      return y;
    },
    rmatvec(x) {
      // y = Sᵀ·x + V·(Uᵀ·x)
      const y = spmvT(S, x);
      const t = new Float64Array(k);
      gemvStrided(k, m, 1, U, 0, 1, k, x, 0, 1, 0, t, 0, 1);
      gemvStrided(n, k, 1, V, 0, k, 1, t, 0, 1, 1, y, 0, 1);
      return y;
    },
    matmat(X) {
      const out = spmm(S, X);
      lowMat(Um, Vm, X, out);
      return out;
    },
    rmatmat(X) {
      const out = spmmT(S, X);
      lowMat(Vm, Um, X, out);
      return out;
    },
  };
}
