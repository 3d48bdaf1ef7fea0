// Internal helpers shared by the sparse formats: argument coercion with named errors.
import { InvalidArgumentError } from '../errors.js';
import { describe } from '../validate.js';

/**
 * `value` as an Int32Array of integer indices: an Int32Array is used as is (not copied),
 * a plain array or another typed array of integers is copied. Assumes nothing.
 */
export function int32Indices(name: string, value: unknown): Int32Array {
  if (value instanceof Int32Array) return value;
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    const src = value as ArrayLike<unknown>;
    const out = new Int32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
        throw new InvalidArgumentError(
          `${name}: expected 32-bit integer indices, found ${describe(v)} at position ${i}`,
        );
      }
      out[i] = v;
    }
    return out;
  }
  throw new InvalidArgumentError(
    `${name}: expected an Int32Array or an array of integers, got ${describe(value)}`,
  );
}

/**
 * `value` as a Float64Array: a Float64Array is used as is (not copied), a plain number
 * array or another numeric typed array is copied.
 */
export function float64Values(name: string, value: unknown): Float64Array {
  if (value instanceof Float64Array) return value;
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    const src = value as ArrayLike<unknown>;
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (typeof v !== 'number') {
        throw new InvalidArgumentError(
          `${name}: expected numbers, found ${describe(v)} at position ${i}`,
        );
      }
      out[i] = v;
    }
    return out;
  }
  throw new InvalidArgumentError(
    `${name}: expected a Float64Array or an array of numbers, got ${describe(value)}`,
  );
}

/** Upper bound on rows·cols-independent dimensions of a sparse matrix (indices are Int32). */
export const MAX_DIM = 2147483647;
