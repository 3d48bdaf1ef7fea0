import { allocate } from '../dtype.js';
import { asMatrix, Matrix } from '../matrix.js';

// Tile edge of the blocked transpose: a 32×32 tile of float64 is 8 KiB, so the source
// and destination tiles stay in L1 while one is read by rows and the other written by columns.
const TILE = 32;

/**
 * Aᵀ in fresh row-major storage (whereas `A.T` is a view). Cache-blocked, any strides.
 *
 * @param A an m×n matrix (any strides)
 * @returns a new contiguous n×m Matrix of A's dtype
 * @throws {InvalidArgumentError} if A is not a matrix
 * @example transposeCopy(A).isContiguous() // true
 */
export function transposeCopy(A: Matrix): Matrix {
  const a = asMatrix('A', A);
  const { rows: m, cols: n, data, offset, rowStride: rs, colStride: cs } = a;
  const out = allocate(a.dtype, m * n);
  for (let i0 = 0; i0 < m; i0 += TILE) {
    const i1 = Math.min(m, i0 + TILE);
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const j1 = Math.min(n, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        let p = offset + i * rs + j0 * cs;
        for (let j = j0; j < j1; j++, p += cs) out[j * m + i] = data[p]!;
      }
    }
  }
  return new Matrix(out, n, m);
}
