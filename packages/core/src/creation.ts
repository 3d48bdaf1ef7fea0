import { allocate, type DType, type FloatArray } from './dtype.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import { Matrix } from './matrix.js';
import { Rng, type Seed } from './rng.js';
import { shapeSize, Tensor } from './tensor.js';
import { assertInt, describe } from './validate.js';

/** Options shared by the random constructors. */
export interface RandomOptions {
  /** Seed or generator; default 0. */
  seed?: Seed;
  /** Element type; default `'float64'`. */
  dtype?: DType;
}

function dims(rows: number, cols: number): void {
  assertInt('rows', rows);
  assertInt('cols', cols);
}

/** A rows×cols matrix of zeros. */
export function zeros(rows: number, cols: number, dtype: DType = 'float64'): Matrix {
  dims(rows, cols);
  return new Matrix(allocate(dtype, rows * cols), rows, cols);
}

/** A rows×cols matrix of ones. */
export function ones(rows: number, cols: number, dtype: DType = 'float64'): Matrix {
  return full(rows, cols, 1, dtype);
}

/** A rows×cols matrix filled with `value`. */
export function full(rows: number, cols: number, value: number, dtype: DType = 'float64'): Matrix {
  const m = zeros(rows, cols, dtype);
  m.data.fill(value);
  return m;
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, dtype: DType = 'float64'): Matrix {
  const out = zeros(n, m, dtype);
  for (let i = 0; i < Math.min(n, m); i++) out.data[i * m + i] = 1;
  return out;
}

/** A square matrix with `d` on the diagonal. */
export function diag(d: ArrayLike<number>, dtype: DType = 'float64'): Matrix {
  const n = d.length;
  const out = zeros(n, n, dtype);
  for (let i = 0; i < n; i++) out.data[i * n + i] = d[i]!;
  return out;
}

/** Copies nested arrays into a matrix: `matrix([[1, 2], [3, 4]])`. */
export function matrix(rows: readonly (readonly number[])[], dtype: DType = 'float64'): Matrix {
  return Matrix.from(rows, dtype);
}

/** Wraps a typed array (row-major, no copy) as a rows×cols matrix. */
export function fromTypedArray(data: FloatArray, rows: number, cols: number): Matrix {
  dims(rows, cols);
  return Matrix.fromData(data, rows, cols);
}

/** Matrix with i.i.d. N(0, 1) entries from a seeded generator. */
export function randn(rows: number, cols: number, options: RandomOptions = {}): Matrix {
  const out = zeros(rows, cols, options.dtype ?? 'float64');
  Rng.from(options.seed).fillNormal(out.data);
  return out;
}

/** Matrix with i.i.d. U[0, 1) entries from a seeded generator. */
export function rand(rows: number, cols: number, options: RandomOptions = {}): Matrix {
  const out = zeros(rows, cols, options.dtype ?? 'float64');
  Rng.from(options.seed).fillUniform(out.data);
  return out;
}

/** An N-d tensor of zeros. */
export function tensorZeros(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  return new Tensor(allocate(dtype, shapeSize(shape)), shape);
}

/** An N-d tensor with i.i.d. N(0, 1) entries. */
export function tensorRandn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const t = tensorZeros(shape, options.dtype ?? 'float64');
  Rng.from(options.seed).fillNormal(t.data);
  return t;
}

/**
 * A tensor from nested arrays (shape inferred, ragged input rejected), or from a flat
 * typed array / number array and an explicit shape (typed arrays are not copied).
 */
export function tensor(
  values: unknown,
  shape?: readonly number[],
  dtype: DType = 'float64',
): Tensor {
  if (shape !== undefined) {
    const n = shapeSize(shape);
    if (values instanceof Float64Array || values instanceof Float32Array) {
      if (values.length !== n)
        throw new ShapeError(
          `values: expected ${n} elements for shape [${shape.join(', ')}], got ${values.length}`,
        );
      return new Tensor(values, shape);
    }
    if (!Array.isArray(values) || values.length !== n) {
      throw new ShapeError(
        `values: expected ${n} numbers for shape [${shape.join(', ')}], got ${describe(values)}`,
      );
    }
    const data = allocate(dtype, n);
    for (let i = 0; i < n; i++) data[i] = values[i];
    return shape.length === 2 ? new Matrix(data, shape[0]!, shape[1]!) : new Tensor(data, shape);
  }
  const inferred: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    inferred.push(v.length);
    v = v[0];
  }
  const data = allocate(dtype, shapeSize(inferred));
  let q = 0;
  const walk = (x: unknown, k: number): void => {
    if (k === inferred.length) {
      if (typeof x !== 'number')
        throw new InvalidArgumentError(`values: expected numbers, found ${describe(x)}`);
      data[q++] = x;
      return;
    }
    if (!Array.isArray(x) || x.length !== inferred[k]) {
      throw new ShapeError(
        `values: ragged nested array at depth ${k} (expected length ${inferred[k]})`,
      );
    }
    for (const y of x) walk(y, k + 1);
  };
  walk(values, 0);
  return inferred.length === 2
    ? new Matrix(data, inferred[0]!, inferred[1]!)
    : new Tensor(data, inferred);
}
