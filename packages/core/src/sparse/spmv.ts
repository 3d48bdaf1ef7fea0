import type { FloatArray } from '../dtype.js';
import { asCsr, asVector } from './_check.js';
import type { CsrMatrix } from './csr.js';

/** y ← A·x for validated CSR storage (row-wise dot products). Assumes validated input. */
export function spmvKernel(A: CsrMatrix, x: FloatArray, y: Float64Array): void {
  const { rows, indptr, indices, values } = A;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) s += values[k]! * x[indices[k]!]!;
    y[i] = s;
  }
}

/** y ← Aᵀ·x for validated CSR storage (scatter by rows). Assumes validated input. */
export function spmvTKernel(A: CsrMatrix, x: FloatArray, y: Float64Array): void {
  const { rows, indptr, indices, values } = A;
  y.fill(0);
  for (let i = 0; i < rows; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) y[indices[k]!]! += values[k]! * xi;
  }
}

/**
 * Sparse matrix–vector product A·x in O(nnz + rows). NaN and ±Infinity in x propagate
 * as in a dense product over the stored entries.
 *
 * @param A a rows×cols CsrMatrix
 * @param x vector of length cols (Float64Array, Float32Array or number array)
 * @returns a new Float64Array of length rows
 * @throws {InvalidArgumentError} if A is not a CsrMatrix or x is not a numeric vector
 * @throws {ShapeError} if x.length ≠ cols
 * @example spmv(A, new Float64Array([1, 0, 2]))
 */
export function spmv(A: CsrMatrix, x: FloatArray | readonly number[]): Float64Array {
  const a = asCsr('A', A);
  const v = asVector('x', x, a.cols);
  const y = new Float64Array(a.rows);
  spmvKernel(a, v, y);
  return y;
}

/**
 * Transposed sparse matrix–vector product Aᵀ·x in O(nnz + rows + cols), without forming
 * Aᵀ. Rows with x[i] = 0 are skipped, so a NaN stored in such a row does not propagate.
 *
 * @param A a rows×cols CsrMatrix
 * @param x vector of length rows
 * @returns a new Float64Array of length cols
 * @throws {InvalidArgumentError} if A is not a CsrMatrix or x is not a numeric vector
 * @throws {ShapeError} if x.length ≠ rows
 * @example spmvT(A, new Float64Array([1, -1]))
 */
export function spmvT(A: CsrMatrix, x: FloatArray | readonly number[]): Float64Array {
  const a = asCsr('A', A);
  const v = asVector('x', x, a.rows);
  const y = new Float64Array(a.cols);
  spmvTKernel(a, v, y);
  return y;
}
