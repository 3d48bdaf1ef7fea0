import {
  type CsrMatrix,
  gemm,
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
      const y = spmv(S, x);
      const t = new Float64Array(k);
      for (let j = 0; j < n; j++) for (let a = 0; a < k; a++) t[a] = t[a]! + V[j * k + a]! * x[j]!;
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += U[i * k + a]! * t[a]!;
        y[i] = y[i]! + s;
      }
      return y;
    },
    rmatvec(x) {
      const y = spmvT(S, x);
      const t = new Float64Array(k);
      for (let i = 0; i < m; i++) for (let a = 0; a < k; a++) t[a] = t[a]! + U[i * k + a]! * x[i]!;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += V[j * k + a]! * t[a]!;
        y[j] = y[j]! + s;
      }
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
