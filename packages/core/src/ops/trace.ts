import type { Matrix } from '../matrix.js';
import { asMatrix } from '../matrix.js';

/**
 * Sum of the main diagonal, Σ_i a_ii for i < min(rows, cols) (rectangular matrices are
 * allowed, as in numpy's `trace`).
 *
 * @param A matrix (any strides)
 * @returns the trace (0 for an empty matrix)
 * @throws {InvalidArgumentError} if A is not a matrix
 * @throws {ShapeError} if A is a tensor that is not 2-d
 * @example trace(eye(3)) // 3
 */
export function trace(A: Matrix): number {
  const a = asMatrix('A', A);
  const k = Math.min(a.rows, a.cols);
  const step = a.rowStride + a.colStride;
  let s = 0;
  for (let i = 0, p = a.offset; i < k; i++, p += step) s += a.data[p]!;
  return s;
}
