// Shared private helpers of the dense factorizations: validated copies of a (possibly
// strided) Matrix into fresh contiguous Float64 work arrays, and the way back. Not part of
// the public API; every function here assumes its caller names the argument.
import type { FloatArray } from '../dtype.js';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors.js';
import { copy2d } from '../kernels/_copy2d.js';
import { asMatrix, Matrix } from '../matrix.js';
import { describe } from '../validate.js';

/** `asMatrix` plus a `NON_FINITE` check over every element of the view, naming (i, j). */
export function finiteMatrix(name: string, value: unknown): Matrix {
  const A = asMatrix(name, value);
  const [m, n] = [A.rows, A.cols];
  const d = A.data;
  const rs = A.rowStride;
  const cs = A.colStride;
  for (let i = 0; i < m; i++) {
    let p = A.offset + i * rs;
    for (let j = 0; j < n; j++, p += cs) {
      const v = d[p]!;
      if (v - v !== 0)
        throw new NonFiniteError(`${name}: expected finite values, found ${v} at (${i}, ${j})`);
    }
  }
  return A;
}

/** Throws `SHAPE_MISMATCH` unless `A` is square. */
export function assertSquare(name: string, A: Matrix): number {
  if (A.rows !== A.cols) {
    throw new ShapeError(`${name}: expected a square matrix, got shape [${A.rows}, ${A.cols}]`);
  }
  return A.rows;
}

/** Validates an optional boolean option, returning `fallback` when undefined. */
export function optionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`${name}: expected a boolean, got ${describe(value)}`);
  }
  return value;
}

/** Row-major copy of `A` (m×n, leading dimension n). Assumes validated input. */
export function rowMajorCopy(A: Matrix): Float64Array {
  const out = new Float64Array(A.rows * A.cols);
  A.copyInto(out);
  return out;
}

/** Column-major copy of `A` (m×n, leading dimension m). Assumes validated input. */
export function colMajorCopy(A: Matrix): Float64Array {
  const out = new Float64Array(A.rows * A.cols);
  A.T.copyInto(out);
  return out;
}

/**
 * A fresh row-major rows×cols Matrix from the top-left block of a column-major array with
 * leading dimension `ld`.
 */
export function fromColMajor(w: Float64Array, ld: number, rows: number, cols: number): Matrix {
  const out = new Float64Array(rows * cols);
  copy2d(rows, cols, w, 0, 1, ld, out, 0, cols, 1);
  return new Matrix(out, rows, cols);
}

/** 0, 1, …, n − 1. */
export function identityPerm(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}

/** A right-hand side copied to a row-major n×k work array, and how to give it back. */
export interface Rhs {
  /** Row-major n×k copy. */
  x: Float64Array;
  /** Number of columns (1 for a vector). */
  k: number;
  /** True when the caller passed a typed array (returned as Float64Array). */
  vector: boolean;
}

/**
 * Validates a right-hand side `B` (Matrix n×k or Float64Array/Float32Array of length n),
 * checks its values are finite, and copies it into a row-major work array.
 */
export function readRhs(name: string, B: unknown, n: number): Rhs {
  if (B instanceof Float64Array || B instanceof Float32Array) {
    if (B.length !== n)
      throw new ShapeError(`${name}: expected a vector of length ${n}, got length ${B.length}`);
    const x = Float64Array.from(B as FloatArray);
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (v - v !== 0)
        throw new NonFiniteError(`${name}: expected finite values, found ${v} at index ${i}`);
    }
    return { x, k: 1, vector: true };
  }
  if (!(B instanceof Matrix) && !(B != null && typeof B === 'object' && 'shape' in B)) {
    throw new InvalidArgumentError(
      `${name}: expected a Matrix or Float64Array, got ${describe(B)}`,
    );
  }
  const M = finiteMatrix(name, B);
  if (M.rows !== n) {
    throw new ShapeError(
      `${name}: expected ${n} rows to match the system, got shape [${M.rows}, ${M.cols}]`,
    );
  }
  return { x: rowMajorCopy(M), k: M.cols, vector: false };
}

/** Wraps a solved row-major work array in the kind the caller passed. */
export function writeRhs(rhs: Rhs, n: number): Matrix | Float64Array {
  return rhs.vector ? rhs.x : new Matrix(rhs.x, n, rhs.k);
}

/**
 * `NON_FINITE` check over the triangle of the square `T` that a triangular solve reads
 * (the diagonal only when `withDiagonal`), naming (i, j).
 */
export function assertFiniteTriangle(
  name: string,
  T: Matrix,
  lower: boolean,
  withDiagonal: boolean,
): void {
  const n = T.rows;
  for (let i = 0; i < n; i++) {
    const from = lower ? 0 : withDiagonal ? i : i + 1;
    const to = lower ? (withDiagonal ? i + 1 : i) : n;
    for (let j = from; j < to; j++) {
      const v = T.get(i, j);
      if (v - v !== 0)
        throw new NonFiniteError(`${name}: expected finite values, found ${v} at (${i}, ${j})`);
    }
  }
}

/** Throws `INVALID_ARGUMENT` naming the first exactly-zero diagonal entry of `T`. */
export function assertNonzeroDiagonal(name: string, T: Matrix): void {
  const n = Math.min(T.rows, T.cols);
  for (let i = 0; i < n; i++) {
    if (T.get(i, i) === 0) {
      throw new InvalidArgumentError(
        `${name}: the triangular matrix is singular: expected a nonzero diagonal, found 0 at (${i}, ${i})`,
      );
    }
  }
}
