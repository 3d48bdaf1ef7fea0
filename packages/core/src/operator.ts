import { zeros } from './creation.js';
import type { FloatArray } from './dtype.js';
import { ShapeError } from './errors.js';
import { gemvStrided } from './kernels/blas1.js';
import { gemmStrided } from './kernels/gemm.js';
import { asMatrix, Matrix } from './matrix.js';

/**
 * A matrix known only through its products, for matrix-free algorithms (Lanczos, CG,
 * LSQR, randomized SVD, sketches, Kronecker products). `matvec` computes A·x and
 * `rmatvec` Aᵀ·x; `matmat`/`rmatmat` are optional faster block versions.
 */
export interface LinearOperator {
  readonly rows: number;
  readonly cols: number;
  /** A·x for x of length `cols`; returns a new array of length `rows`. */
  matvec(x: FloatArray): Float64Array;
  /** Aᵀ·x for x of length `rows`; returns a new array of length `cols`. */
  rmatvec(x: FloatArray): Float64Array;
  /** A·X for X of shape cols×k; returns rows×k. */
  matmat?(X: Matrix): Matrix;
  /** Aᵀ·X for X of shape rows×k; returns cols×k. */
  rmatmat?(X: Matrix): Matrix;
}

/** True if `value` looks like a {@link LinearOperator}. */
export function isLinearOperator(value: unknown): value is LinearOperator {
  const v = value as LinearOperator | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.rows === 'number' &&
    typeof v.cols === 'number' &&
    typeof v.matvec === 'function' &&
    typeof v.rmatvec === 'function'
  );
}

/** A dense matrix as a {@link LinearOperator} (products by the GEMV/GEMM kernels). */
export function matrixOperator(A: Matrix): LinearOperator {
  const a = asMatrix('A', A);
  return {
    rows: a.rows,
    cols: a.cols,
    matvec(x) {
      if (x.length !== a.cols)
        throw new ShapeError(`matvec: expected length ${a.cols}, got ${x.length}`);
      const y = new Float64Array(a.rows);
      gemvStrided(
        a.rows,
        a.cols,
        1,
        a.data,
        a.offset,
        a.rowStride,
        a.colStride,
        x,
        0,
        1,
        0,
        y,
        0,
        1,
      );
      return y;
    },
    rmatvec(x) {
      if (x.length !== a.rows)
        throw new ShapeError(`rmatvec: expected length ${a.rows}, got ${x.length}`);
      const y = new Float64Array(a.cols);
      gemvStrided(
        a.cols,
        a.rows,
        1,
        a.data,
        a.offset,
        a.colStride,
        a.rowStride,
        x,
        0,
        1,
        0,
        y,
        0,
        1,
      );
      return y;
    },
    matmat(X) {
      if (X.rows !== a.cols) throw new ShapeError(`matmat: expected ${a.cols} rows, got ${X.rows}`);
      const C = zeros(a.rows, X.cols);
      gemmStrided(
        a.rows,
        X.cols,
        a.cols,
        1,
        a.data,
        a.offset,
        a.rowStride,
        a.colStride,
        X.data,
        X.offset,
        X.rowStride,
        X.colStride,
        0,
        C.data,
        0,
        C.cols,
        1,
      );
      return C;
    },
    rmatmat(X) {
      if (X.rows !== a.rows)
        throw new ShapeError(`rmatmat: expected ${a.rows} rows, got ${X.rows}`);
      const C = zeros(a.cols, X.cols);
      gemmStrided(
        a.cols,
        X.cols,
        a.rows,
        1,
        a.data,
        a.offset,
        a.colStride,
        a.rowStride,
        X.data,
        X.offset,
        X.rowStride,
        X.colStride,
        0,
        C.data,
        0,
        C.cols,
        1,
      );
      return C;
    },
  };
}

/** Either a Matrix (wrapped) or an operator, as a {@link LinearOperator}. */
export function toLinearOperator(A: Matrix | LinearOperator): LinearOperator {
  return A instanceof Matrix ? matrixOperator(A) : A;
}

/** A·X through an operator, column by column when it has no `matmat`. */
export function applyOperator(op: LinearOperator, X: Matrix, transpose = false): Matrix {
  const fast = transpose ? op.rmatmat : op.matmat;
  if (fast) return fast.call(op, X);
  const outRows = transpose ? op.cols : op.rows;
  const out = zeros(outRows, X.cols);
  for (let j = 0; j < X.cols; j++) {
    const y = transpose ? op.rmatvec(X.colArray(j)) : op.matvec(X.colArray(j));
    for (let i = 0; i < outRows; i++) out.data[i * X.cols + j] = y[i]!;
  }
  return out;
}
