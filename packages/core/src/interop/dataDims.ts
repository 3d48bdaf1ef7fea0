import type { FloatArray } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { Matrix } from '../matrix.js';
import { Tensor } from '../tensor.js';
import { describe, optionsObject } from '../validate.js';

/**
 * The `{ data, dims }` shape of onnxruntime-web tensors and of tfjs `dataSync()` plus
 * `shape`: C-order elements and their dimensions.
 */
export interface DataDims {
  /** Elements in C (row-major) order. */
  readonly data: ArrayLike<number> | ArrayLike<bigint>;
  /** Dimensions; the product must equal `data.length`. */
  readonly dims: ArrayLike<number>;
}

/** Options of {@link fromDataDims}. */
export interface FromDataDimsOptions {
  /** Copy Float32Array/Float64Array data instead of sharing it; default false. */
  copy?: boolean;
}

/**
 * Wraps `{ data, dims }` (onnxruntime, tfjs) as an lr tensor. Float64Array and
 * Float32Array data are shared, not copied (unless `copy`), so writes through either side
 * are seen by the other. Other typed arrays (Int32Array, Uint8Array, …) and plain number
 * arrays are converted to a new Float64Array; BigInt64Array/BigUint64Array too (integers
 * beyond 2⁵³ round to the nearest double).
 *
 * @param value `{ data, dims }`
 * @param options see {@link FromDataDimsOptions}
 * @returns a Matrix when dims has 2 entries, else a Tensor of shape dims
 * @throws {InvalidArgumentError} if value is not `{ data, dims }`, dims are not non-negative integers, or data holds a non-number
 * @throws {ShapeError} if data.length ≠ Π dims
 * @example
 * const t = fromDataDims({ data: new Float32Array(6), dims: [2, 3] }); // a 2×3 float32 Matrix, no copy
 */
export function fromDataDims(value: DataDims, options?: FromDataDimsOptions): Tensor {
  const opts = optionsObject('options', options);
  if (value === null || typeof value !== 'object') {
    throw new InvalidArgumentError(
      `value: expected an object { data, dims }, got ${describe(value)}`,
    );
  }
  const { data, dims } = value as { data?: unknown; dims?: unknown };
  const isArrayLike = (x: unknown): x is ArrayLike<unknown> =>
    Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
  if (!isArrayLike(dims))
    throw new InvalidArgumentError(`dims: expected an array of integers, got ${describe(dims)}`);
  const shape: number[] = [];
  let size = 1;
  for (let k = 0; k < dims.length; k++) {
    const d = dims[k];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new InvalidArgumentError(
        `dims: expected non-negative integers, found ${describe(d)} at position ${k}`,
      );
    }
    shape.push(d);
    size *= d;
  }
  if (!isArrayLike(data)) {
    throw new InvalidArgumentError(
      `data: expected a typed array or an array of numbers, got ${describe(data)}`,
    );
  }
  if (data.length !== size) {
    throw new ShapeError(
      `data: expected Π dims = ${size} elements for dims [${shape.join(', ')}], got ${data.length}`,
    );
  }
  let storage: FloatArray;
  if (data instanceof Float64Array || data instanceof Float32Array) {
    storage = opts.copy ? data.slice() : data;
  } else if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    storage = new Float64Array(size);
    for (let i = 0; i < size; i++) storage[i] = Number(data[i]!);
  } else if (Array.isArray(data)) {
    storage = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const v = data[i];
      if (typeof v !== 'number')
        throw new InvalidArgumentError(
          `data: expected numbers, found ${describe(v)} at position ${i}`,
        );
      storage[i] = v;
    }
  } else {
    // Int8/16/32, Uint8/8Clamped/16/32: every value is exact in float64
    storage = Float64Array.from(data as ArrayLike<number>);
  }
  return shape.length === 2
    ? new Matrix(storage, shape[0]!, shape[1]!)
    : new Tensor(storage, shape);
}

/**
 * `{ data, dims }` of a tensor, for onnxruntime / tfjs. No copy when the tensor is
 * contiguous (the data may then be a subarray of the tensor's storage); a C-order copy
 * otherwise (transposed or sliced views).
 *
 * @param t any tensor
 * @returns `{ data, dims }` with data of t's dtype and length Π dims
 * @throws {InvalidArgumentError} if t is not a tensor
 * @example toDataDims(A.T) // a row-major copy of Aᵀ
 */
export function toDataDims(t: Tensor): { data: FloatArray; dims: number[] } {
  if (!(t instanceof Tensor))
    throw new InvalidArgumentError(`t: expected a Tensor or Matrix, got ${describe(t)}`);
  return t.toDataDims();
}
