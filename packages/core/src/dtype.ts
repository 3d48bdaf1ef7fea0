import { InvalidArgumentError } from './errors.js';

/** Floating-point element types a {@link Tensor} can hold. */
export type DType = 'float64' | 'float32';

/** The typed arrays behind a tensor. */
export type FloatArray = Float64Array | Float32Array;

/** Machine epsilon of each dtype (distance from 1 to the next representable number). */
export const EPS: Readonly<Record<DType, number>> = {
  float64: 2 ** -52,
  float32: 2 ** -23,
};

/**
 * Allocates a zeroed typed array of `dtype`.
 * @throws {InvalidArgumentError} when `length` is not a valid size or the engine cannot
 *   allocate that many elements (instead of the engine's RangeError)
 */
export function allocate(dtype: DType, length: number): FloatArray {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidArgumentError(
      `allocate: expected a non-negative integer length, got ${length}`,
    );
  }
  try {
    return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new InvalidArgumentError(
        `cannot allocate ${length} ${dtype} elements (${((length * (dtype === 'float32' ? 4 : 8)) / 2 ** 30).toFixed(1)} GiB): ${e.message}`,
      );
    }
    throw e;
  }
}

/** The dtype of a typed array. */
export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}
