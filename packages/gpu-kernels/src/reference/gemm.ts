import { asMatrix, Matrix, ShapeError } from '@lr/core';

/** Options of {@link gemmReference} and the GPU GEMM. */
export interface GemmRefOptions {
  /** Use Aᵀ; default false. */
  transA?: boolean;
  /** Use Bᵀ; default false. */
  transB?: boolean;
  /** Scale of the product; default 1. */
  alpha?: number;
}

/**
 * CPU reference of the GPU GEMM: α·op(A)·op(B) accumulated in float64, returned as a
 * float64 Matrix. Plain triple loop — for testing, not speed.
 *
 * @throws {ShapeError} when the inner dimensions differ
 * @example
 * gemmReference(Matrix.from([[1, 2]]), Matrix.from([[3], [4]])).get(0, 0); // 11
 */
export function gemmReference(A: Matrix, B: Matrix, options: GemmRefOptions = {}): Matrix {
  const a = options.transA ? asMatrix('A', A).T : asMatrix('A', A);
  const b = options.transB ? asMatrix('B', B).T : asMatrix('B', B);
  if (a.cols !== b.rows) {
    throw new ShapeError(`gemm: op(A) is ${a.rows}×${a.cols} but op(B) is ${b.rows}×${b.cols}`);
  }
  const alpha = options.alpha ?? 1;
  const M = a.rows;
  const N = b.cols;
  const K = a.cols;
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      const aik = a.get(i, k);
      if (aik === 0) continue;
      for (let j = 0; j < N; j++) out[i * N + j]! += aik * b.get(k, j);
    }
  }
  if (alpha !== 1) for (let i = 0; i < out.length; i++) out[i]! *= alpha;
  return Matrix.fromData(out, M, N);
}

/** Elementwise |A| as a new float64 matrix (for error bounds |A|·|B|). */
export function absMatrix(A: Matrix): Matrix {
  const a = asMatrix('A', A);
  const out = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) out[i * a.cols + j] = Math.abs(a.get(i, j));
  return Matrix.fromData(out, a.rows, a.cols);
}
