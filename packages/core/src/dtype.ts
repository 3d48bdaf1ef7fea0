/** Floating-point element types a {@link Tensor} can hold. */
export type DType = 'float64' | 'float32';

/** The typed arrays behind a tensor. */
export type FloatArray = Float64Array | Float32Array;

/** Machine epsilon of each dtype (distance from 1 to the next representable number). */
export const EPS: Readonly<Record<DType, number>> = {
  float64: 2 ** -52,
  float32: 2 ** -23,
};

/** Allocates a zeroed typed array of `dtype`. */
export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** The dtype of a typed array. */
export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}
