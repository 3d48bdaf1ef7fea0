import { Matrix as MlMatrix } from 'ml-matrix';
import { allocate, type DType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { asMatrix, Matrix } from '../matrix.js';
import { assertInt, assertOneOf, describe, optionsObject } from '../validate.js';

/**
 * What {@link fromMlMatrix} accepts: an ml-matrix `Matrix` (or any of its views), any
 * object with `rows`, `columns` and `get(i, j)`, or any object with `to2DArray()`.
 */
export type MlMatrixLike =
  | { readonly rows: number; readonly columns: number; get(row: number, column: number): number }
  | { to2DArray(): ArrayLike<ArrayLike<number>> };

/** Options of {@link fromMlMatrix}. */
export interface FromMlMatrixOptions {
  /** Element type of the result; default `'float64'` (ml-matrix stores float64). */
  dtype?: DType;
}

function hasGet(
  m: object,
): m is { rows: number; columns: number; get(i: number, j: number): number } {
  const o = m as { rows?: unknown; columns?: unknown; get?: unknown };
  return typeof o.rows === 'number' && typeof o.columns === 'number' && typeof o.get === 'function';
}

/**
 * Copies an ml-matrix `Matrix` (array of rows, so a copy is unavoidable) into a new
 * row-major lr {@link Matrix}. Values are copied as they are (NaN included).
 *
 * @param m an ml-matrix Matrix or view, or any {@link MlMatrixLike}
 * @param options see {@link FromMlMatrixOptions}
 * @returns a new rows×columns Matrix
 * @throws {InvalidArgumentError} if m is not matrix-like, has bad dimensions, ragged rows or a non-number element
 * @example
 * import { Matrix as MlMatrix } from 'ml-matrix';
 * fromMlMatrix(new MlMatrix([[1, 2], [3, 4]])).get(1, 0); // 3
 */
export function fromMlMatrix(m: MlMatrixLike, options?: FromMlMatrixOptions): Matrix {
  const opts = optionsObject('options', options);
  const dtype = assertOneOf('dtype', opts.dtype ?? 'float64', ['float64', 'float32'] as const);
  if (m === null || typeof m !== 'object') {
    throw new InvalidArgumentError(
      `m: expected an ml-matrix Matrix or an object with rows, columns and get(i, j), got ${describe(m)}`,
    );
  }
  const bad = (i: number, j: number, v: unknown): never => {
    throw new InvalidArgumentError(`m: element (${i}, ${j}) is ${describe(v)}, expected a number`);
  };
  if (hasGet(m)) {
    const rows = assertInt('m.rows', m.rows);
    const cols = assertInt('m.columns', m.columns);
    const data = allocate(dtype, rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v: unknown = m.get(i, j);
        if (typeof v !== 'number') bad(i, j, v);
        data[i * cols + j] = v as number;
      }
    }
    return new Matrix(data, rows, cols);
  }
  if (typeof (m as { to2DArray?: unknown }).to2DArray === 'function') {
    const arr = (m as { to2DArray(): unknown }).to2DArray();
    if (!Array.isArray(arr))
      throw new InvalidArgumentError(
        `m.to2DArray(): expected an array of rows, got ${describe(arr)}`,
      );
    const rows = arr.length;
    const cols = rows === 0 ? 0 : ((arr[0] as ArrayLike<number> | undefined)?.length ?? 0);
    const data = allocate(dtype, rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = arr[i] as ArrayLike<unknown> | undefined;
      if (r == null || typeof r !== 'object' || r.length !== cols) {
        throw new InvalidArgumentError(
          `m.to2DArray(): row ${i} has length ${describe(r?.length)}, expected ${cols} (ragged rows)`,
        );
      }
      for (let j = 0; j < cols; j++) {
        const v = r[j];
        if (typeof v !== 'number') bad(i, j, v);
        data[i * cols + j] = v as number;
      }
    }
    return new Matrix(data, rows, cols);
  }
  throw new InvalidArgumentError(
    `m: expected an ml-matrix Matrix or an object with rows, columns and get(i, j), got ${describe(m)}`,
  );
}

/**
 * Copies an lr matrix (any strides, any dtype) into a new ml-matrix `Matrix` (float64).
 *
 * @param A a Matrix or 2-d tensor
 * @returns a new ml-matrix Matrix of the same shape
 * @throws {InvalidArgumentError} if A is not a matrix
 * @throws {ShapeError} if A is a tensor that is not 2-d
 * @example toMlMatrix(A).mmul(toMlMatrix(B))
 */
export function toMlMatrix(A: Matrix): MlMatrix {
  const a = asMatrix('A', A);
  const out = new MlMatrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) out.set(i, j, a.get(i, j));
  }
  return out;
}
