// Internal argument checks shared by the sparse products.
import type { FloatArray } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { describe } from '../validate.js';
import { CsrMatrix } from './csr.js';

/** Throws unless `value` is a CsrMatrix. */
export function asCsr(name: string, value: unknown): CsrMatrix {
  if (value instanceof CsrMatrix) return value;
  throw new InvalidArgumentError(`${name}: expected a CsrMatrix, got ${describe(value)}`);
}

/** `value` as a float vector of length `n` (typed arrays are not copied, number arrays are). */
export function asVector(name: string, value: unknown, n: number): FloatArray {
  let v: FloatArray;
  if (value instanceof Float64Array || value instanceof Float32Array) v = value;
  else if (Array.isArray(value)) {
    v = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const e = value[i];
      if (typeof e !== 'number')
        throw new InvalidArgumentError(
          `${name}: expected numbers, found ${describe(e)} at position ${i}`,
        );
      v[i] = e;
    }
  } else {
    throw new InvalidArgumentError(
      `${name}: expected a Float64Array, Float32Array or number array, got ${describe(value)}`,
    );
  }
  if (v.length !== n) throw new ShapeError(`${name}: expected length ${n}, got ${v.length}`);
  return v;
}
