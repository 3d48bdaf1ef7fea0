import { ShapeError } from '../errors.js';
import { axpyStrided } from '../kernels/blas1.js';
import { asMatrix, Matrix } from '../matrix.js';
import { asCsr } from './_check.js';
import type { CsrMatrix } from './csr.js';

/** C ← A·B into row-major `c` (rows×n), B any strided matrix. Assumes validated input. */
export function spmmKernel(A: CsrMatrix, B: Matrix, c: Float64Array): void {
  const n = B.cols;
  const { rows, indptr, indices, values } = A;
  const { data, offset, rowStride, colStride } = B;
  c.fill(0);
  for (let i = 0; i < rows; i++) {
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
      axpyStrided(n, values[k]!, data, offset + indices[k]! * rowStride, colStride, c, i * n, 1);
    }
  }
}

/** C ← Aᵀ·B into row-major `c` (cols×n), B any strided matrix. Assumes validated input. */
export function spmmTKernel(A: CsrMatrix, B: Matrix, c: Float64Array): void {
  const n = B.cols;
  const { rows, indptr, indices, values } = A;
  const { data, offset, rowStride, colStride } = B;
  c.fill(0);
  for (let i = 0; i < rows; i++) {
    const bi = offset + i * rowStride;
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
      axpyStrided(n, values[k]!, data, bi, colStride, c, indices[k]! * n, 1);
    }
  }
}

/**
 * Sparse × dense product A·B in O(nnz · n), one AXPY of a row of B per stored entry.
 *
 * @param A a rows×k CsrMatrix
 * @param B a k×n Matrix (any strides; float64 or float32)
 * @returns a new rows×n float64 Matrix
 * @throws {InvalidArgumentError} if A is not a CsrMatrix or B not a matrix
 * @throws {ShapeError} if B.rows ≠ A.cols
 * @example spmm(A, randn(A.cols, 4))
 */
export function spmm(A: CsrMatrix, B: Matrix): Matrix {
  const a = asCsr('A', A);
  const b = asMatrix('B', B);
  if (b.rows !== a.cols) {
    throw new ShapeError(
      `spmm: A is ${a.rows}×${a.cols} but B is ${b.rows}×${b.cols} (expected B.rows = ${a.cols})`,
    );
  }
  const c = new Float64Array(a.rows * b.cols);
  spmmKernel(a, b, c);
  return new Matrix(c, a.rows, b.cols);
}

/**
 * Transposed sparse × dense product Aᵀ·B in O(nnz · n), without forming Aᵀ.
 *
 * @param A a k×cols CsrMatrix
 * @param B a k×n Matrix (any strides)
 * @returns a new cols×n float64 Matrix
 * @throws {InvalidArgumentError} if A is not a CsrMatrix or B not a matrix
 * @throws {ShapeError} if B.rows ≠ A.rows
 * @example spmmT(A, randn(A.rows, 4))
 */
export function spmmT(A: CsrMatrix, B: Matrix): Matrix {
  const a = asCsr('A', A);
  const b = asMatrix('B', B);
  if (b.rows !== a.rows) {
    throw new ShapeError(
      `spmmT: A is ${a.rows}×${a.cols} but B is ${b.rows}×${b.cols} (expected B.rows = ${a.rows})`,
    );
  }
  const c = new Float64Array(a.cols * b.cols);
  spmmTKernel(a, b, c);
  return new Matrix(c, a.cols, b.cols);
}
