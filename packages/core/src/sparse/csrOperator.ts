import { ShapeError } from '../errors.js';
import { asMatrix, Matrix } from '../matrix.js';
import type { LinearOperator } from '../operator.js';
import { asCsr, asVector } from './_check.js';
import type { CsrMatrix } from './csr.js';
import { spmmKernel, spmmTKernel } from './spmm.js';
import { spmvKernel, spmvTKernel } from './spmv.js';

/**
 * A CSR matrix as a {@link LinearOperator} for matrix-free algorithms (Lanczos, LSQR,
 * randomized SVD). Products cost O(nnz) per vector; Aᵀ is never formed.
 *
 * @param A a rows×cols CsrMatrix (referenced, not copied; lr never writes to it)
 * @returns an operator with `matvec`, `rmatvec`, `matmat` and `rmatmat`
 * @throws {InvalidArgumentError} if A is not a CsrMatrix
 * @example
 * const op = csrOperator(coo.toCsr());
 * op.matvec(x);
 */
export function csrOperator(A: CsrMatrix): LinearOperator {
  const a = asCsr('A', A);
  return {
    rows: a.rows,
    cols: a.cols,
    matvec(x) {
      const v = asVector('x', x, a.cols);
      const y = new Float64Array(a.rows);
      spmvKernel(a, v, y);
      return y;
    },
    rmatvec(x) {
      const v = asVector('x', x, a.rows);
      const y = new Float64Array(a.cols);
      spmvTKernel(a, v, y);
      return y;
    },
    matmat(X) {
      const b = asMatrix('X', X);
      if (b.rows !== a.cols)
        throw new ShapeError(`matmat: expected X with ${a.cols} rows, got ${b.rows}`);
      const c = new Float64Array(a.rows * b.cols);
      spmmKernel(a, b, c);
      return new Matrix(c, a.rows, b.cols);
    },
    rmatmat(X) {
      const b = asMatrix('X', X);
      if (b.rows !== a.rows)
        throw new ShapeError(`rmatmat: expected X with ${a.rows} rows, got ${b.rows}`);
      const c = new Float64Array(a.cols * b.cols);
      spmmTKernel(a, b, c);
      return new Matrix(c, a.cols, b.cols);
    },
  };
}
