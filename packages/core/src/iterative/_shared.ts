// Private helpers shared by the iterative solvers (not exported from the package).
// They validate operands the same way everywhere so every public function fails fast
// with the same codes and messages.
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors.js';
import { copy2d } from '../kernels/_copy2d.js';
import { Matrix } from '../matrix.js';
import { isLinearOperator, type LinearOperator, matrixOperator } from '../operator.js';
import { Tensor } from '../tensor.js';
import { assertInt, describe } from '../validate.js';

/** Throws `NON_FINITE` if any element of the (possibly strided) matrix is NaN or ±∞. */
export function assertFiniteMatrix(name: string, A: Matrix): void {
  const { data, offset, rows, cols } = A;
  const rs = A.rowStride;
  const cs = A.colStride;
  if (cs === 1 && (rows === 1 || rs === cols)) {
    // contiguous: branch-free first (x·0 is NaN exactly for NaN and ±∞), four partial
    // sums; the element-wise loop below only runs to name the culprit
    const end = offset + rows * cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let p = offset;
    for (; p + 4 <= end; p += 4) {
      s0 += data[p]! * 0;
      s1 += data[p + 1]! * 0;
      s2 += data[p + 2]! * 0;
      s3 += data[p + 3]! * 0;
    }
    for (; p < end; p++) s0 += data[p]! * 0;
    if (s0 + s1 + s2 + s3 === 0) return;
  }
  for (let i = 0; i < rows; i++) {
    let p = offset + i * rs;
    for (let j = 0; j < cols; j++, p += cs) {
      const v = data[p]!;
      if (v - v !== 0)
        throw new NonFiniteError(`${name}: expected finite values, found ${v} at (${i}, ${j})`);
    }
  }
}

/**
 * Copies A row-major into `dest` and checks it finite in the same pass over memory (for a
 * large A read from RAM, the pass is what costs); throws like {@link assertFiniteMatrix}.
 */
function copyFinite(name: string, A: Matrix, dest: Float64Array): void {
  const { data, offset, rows, cols } = A;
  const rs = A.rowStride;
  const cs = A.colStride;
  if (!(cs === 1 && (rows === 1 || rs === cols))) {
    copy2d(rows, cols, data, offset, rs, cs, dest, 0, cols, 1);
    assertFiniteMatrix(name, A);
    return;
  }
  const len = rows * cols;
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const a = data[offset + i]!;
    const b = data[offset + i + 1]!;
    dest[i] = a;
    dest[i + 1] = b;
    s0 += a * 0;
    s1 += b * 0;
  }
  for (; i < len; i++) {
    const a = data[offset + i]!;
    dest[i] = a;
    s0 += a * 0;
  }
  // x·0 is NaN exactly for NaN and ±∞: name the culprit the usual way
  if (s0 + s1 !== 0) assertFiniteMatrix(name, A);
}

/**
 * Validates `A` as a Matrix (checked finite) or a {@link LinearOperator} (checked shape),
 * and returns an operator whose products are checked for length and finiteness, so a
 * misbehaving user operator fails with `SHAPE_MISMATCH` / `NON_FINITE` instead of
 * poisoning the iteration.
 */
export function resolveOperator(
  name: string,
  A: unknown,
  copyTo?: (length: number) => Float64Array | null,
): { op: LinearOperator; matrix: Matrix | null; copy: Matrix | null } {
  if (A instanceof Tensor) {
    if (A.ndim !== 2)
      throw new ShapeError(`${name}: expected a 2-d matrix, got shape [${A.shape.join(', ')}]`);
    const M = Matrix.fromTensor(A);
    const dest = copyTo?.(M.rows * M.cols) ?? null;
    if (dest) {
      copyFinite(name, M, dest);
      return { op: matrixOperator(M), matrix: M, copy: new Matrix(dest, M.rows, M.cols) };
    }
    assertFiniteMatrix(name, M);
    return { op: matrixOperator(M), matrix: M, copy: null };
  }
  if (!isLinearOperator(A)) {
    throw new InvalidArgumentError(
      `${name}: expected a Matrix or a LinearOperator, got ${describe(A)}`,
    );
  }
  assertInt(`${name}.rows`, A.rows);
  assertInt(`${name}.cols`, A.cols);
  return { op: checkedOperator(name, A), matrix: null, copy: null };
}

function checkProduct(name: string, y: unknown, n: number): Float64Array {
  if (!(y instanceof Float64Array || y instanceof Float32Array)) {
    throw new InvalidArgumentError(`${name}: expected a Float64Array result, got ${describe(y)}`);
  }
  if (y.length !== n)
    throw new ShapeError(`${name}: expected a result of length ${n}, got ${y.length}`);
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v - v !== 0) throw new NonFiniteError(`${name}: returned ${v} at index ${i}`);
  }
  return y instanceof Float64Array ? y : Float64Array.from(y);
}

function checkBlock(name: string, Y: unknown, rows: number, cols: number): Matrix {
  if (!(Y instanceof Matrix))
    throw new InvalidArgumentError(`${name}: expected a Matrix result, got ${describe(Y)}`);
  if (Y.rows !== rows || Y.cols !== cols) {
    throw new ShapeError(`${name}: expected a ${rows}×${cols} result, got ${Y.rows}×${Y.cols}`);
  }
  assertFiniteMatrix(name, Y);
  return Y;
}

/** Wraps a user operator so that every product is checked (length, type, finiteness). */
export function checkedOperator(name: string, A: LinearOperator): LinearOperator {
  const op: LinearOperator = {
    rows: A.rows,
    cols: A.cols,
    matvec: (x) => checkProduct(`${name}.matvec`, A.matvec(x), A.rows),
    rmatvec: (x) => checkProduct(`${name}.rmatvec`, A.rmatvec(x), A.cols),
  };
  const mm = A.matmat;
  const rmm = A.rmatmat;
  return {
    ...op,
    ...(mm
      ? { matmat: (X: Matrix) => checkBlock(`${name}.matmat`, mm.call(A, X), A.rows, X.cols) }
      : {}),
    ...(rmm
      ? { rmatmat: (X: Matrix) => checkBlock(`${name}.rmatmat`, rmm.call(A, X), A.cols, X.cols) }
      : {}),
  };
}

/** The transpose of an operator (swaps the product directions; no work). */
export function transposeOperator(A: LinearOperator): LinearOperator {
  const mm = A.matmat;
  const rmm = A.rmatmat;
  return {
    rows: A.cols,
    cols: A.rows,
    matvec: (x) => A.rmatvec(x),
    rmatvec: (x) => A.matvec(x),
    ...(rmm ? { matmat: (X: Matrix) => rmm.call(A, X) } : {}),
    ...(mm ? { rmatmat: (X: Matrix) => mm.call(A, X) } : {}),
  };
}

/**
 * Validates a vector argument: a Float64Array/Float32Array (or plain number array) of
 * length `n` with finite entries. Returns a fresh Float64Array copy (inputs are never
 * mutated).
 */
export function vectorArg(name: string, v: unknown, n: number): Float64Array {
  if (!(v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v))) {
    throw new InvalidArgumentError(`${name}: expected a Float64Array, got ${describe(v)}`);
  }
  if (v.length !== n) throw new ShapeError(`${name}: expected length ${n}, got ${v.length}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = (v as ArrayLike<unknown>)[i];
    if (typeof x !== 'number')
      throw new InvalidArgumentError(`${name}[${i}]: expected a number, got ${describe(x)}`);
    if (x - x !== 0)
      throw new NonFiniteError(`${name}: expected finite values, found ${x} at index ${i}`);
    out[i] = x;
  }
  return out;
}

/** Validates an optional callback option. */
export function functionArg<T>(name: string, f: T | undefined): T | undefined {
  if (f !== undefined && typeof f !== 'function') {
    throw new InvalidArgumentError(`${name}: expected a function, got ${describe(f)}`);
  }
  return f;
}

/** Validates an optional AbortSignal option. */
export function signalArg(name: string, s: unknown): AbortSignal | undefined {
  if (s === undefined) return undefined;
  if (s === null || typeof s !== 'object' || typeof (s as AbortSignal).aborted !== 'boolean') {
    throw new InvalidArgumentError(`${name}: expected an AbortSignal, got ${describe(s)}`);
  }
  return s as AbortSignal;
}

/**
 * `value` unless it is `undefined`, else `fallback`. Unlike `??`, `null` is kept so that the
 * validators reject it (an explicit null is a caller bug, not a request for the default).
 */
export function orDefault<T>(value: T | null | undefined, fallback: T): T {
  return (value === undefined ? fallback : value) as T;
}

/** Validates an optional boolean option. */
export function boolArg(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean')
    throw new InvalidArgumentError(`${name}: expected a boolean, got ${describe(v)}`);
  return v;
}

// sklearn's svd_flip (u-based): make the largest-magnitude entry of each column of U
// positive (the first one on ties), flipping the matching row of Vt. In place on fresh
// matrices owned by the caller.
export function flipSigns(U: Matrix, Vt: Matrix): void {
  for (let j = 0; j < U.cols; j++) {
    let best = 0;
    let at = 0;
    for (let i = 0; i < U.rows; i++) {
      const a = Math.abs(U.get(i, j));
      if (a > best) {
        best = a;
        at = i;
      }
    }
    if (U.get(at, j) < 0) {
      for (let i = 0; i < U.rows; i++) U.set(i, j, -U.get(i, j));
      for (let c = 0; c < Vt.cols; c++) Vt.set(j, c, -Vt.get(j, c));
    }
  }
}
