// Shared validation helpers for @lr/sketch (not part of the public API).
import {
  assertFiniteArray,
  CsrMatrix,
  describe,
  InvalidArgumentError,
  Matrix,
  NonFiniteError,
  ShapeError,
  Tensor,
} from '@lr/core';

/** A dense matrix or a CSR matrix, as the sketches accept. */
export type SketchInput = Matrix | CsrMatrix;

/** Checks that `value` is a finite Matrix (any strides) or a finite CsrMatrix. */
export function asSketchInput(name: string, value: unknown): SketchInput {
  if (value instanceof CsrMatrix) {
    assertFiniteArray(`${name}.values`, value.values);
    return value;
  }
  if (value instanceof Tensor && value.ndim === 2) {
    const M = Matrix.fromTensor(value);
    assertFiniteMatrix(name, M);
    return M;
  }
  throw new InvalidArgumentError(
    `${name}: expected a Matrix or a CsrMatrix, got ${describe(value)}`,
  );
}

/** Checks that `value` is a finite dense Matrix. */
export function asDenseMatrix(name: string, value: unknown): Matrix {
  if (value instanceof Tensor && value.ndim === 2) {
    const M = Matrix.fromTensor(value);
    assertFiniteMatrix(name, M);
    return M;
  }
  throw new InvalidArgumentError(`${name}: expected a Matrix, got ${describe(value)}`);
}

function assertFiniteMatrix(name: string, M: Matrix): void {
  const { data, offset } = M;
  const rs = M.rowStride;
  const cs = M.colStride;
  for (let i = 0; i < M.rows; i++) {
    const base = offset + i * rs;
    for (let j = 0; j < M.cols; j++) {
      const v = data[base + j * cs]!;
      if (v - v !== 0) {
        throw new NonFiniteError(`${name}: expected finite values, found ${v} at (${i}, ${j})`);
      }
    }
  }
}

/** Checks a vector's type, length and finiteness; returns it as a Float64Array (copy if needed). */
export function asVector(name: string, value: unknown, length: number): Float64Array {
  if (!(value instanceof Float64Array || value instanceof Float32Array || Array.isArray(value))) {
    throw new InvalidArgumentError(
      `${name}: expected a Float64Array of length ${length}, got ${describe(value)}`,
    );
  }
  if (value.length !== length) {
    throw new ShapeError(`${name}: expected length ${length}, got ${value.length}`);
  }
  const v = value instanceof Float64Array ? value : Float64Array.from(value as ArrayLike<number>);
  assertFiniteArray(name, v);
  return v;
}

/** Dense view of either input (a copy for CSR, by core's `CsrMatrix.toDense`). */
export function toDense(A: SketchInput): Matrix {
  return A instanceof CsrMatrix ? A.toDense() : A;
}

/** Squared Euclidean norm of each row of a dense matrix. */
export function rowNormsSquared(M: Matrix): Float64Array {
  const out = new Float64Array(M.rows);
  for (let i = 0; i < M.rows; i++) {
    let s = 0;
    for (let j = 0; j < M.cols; j++) {
      const v = M.get(i, j);
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
