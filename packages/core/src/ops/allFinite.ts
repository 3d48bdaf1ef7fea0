import { InvalidArgumentError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { forEachLine } from './_lines.js';

/**
 * True if every element is finite (no NaN, no ±Infinity), like numpy's
 * `isfinite(A).all()`. Any strides; stops scanning at the first line holding a non-finite value.
 *
 * @param A tensor (any strides)
 * @returns whether all elements are finite (true for an empty tensor)
 * @throws {InvalidArgumentError} if A is not a tensor
 * @example allFinite(Matrix.from([[1, NaN]])) // false
 */
export function allFinite(A: Tensor): boolean {
  if (!(A instanceof Tensor))
    throw new InvalidArgumentError(`A: expected a Tensor or Matrix, got ${describe(A)}`);
  const d = A.data;
  let ok = true;
  forEachLine(A, (off, stride, len) => {
    if (!ok) return;
    // x − x is 0 for finite x and NaN for NaN and ±Infinity
    let acc = 0;
    for (let k = 0, p = off; k < len; k++, p += stride) {
      const v = d[p]!;
      acc += v - v;
    }
    if (acc !== 0) ok = false;
  });
  return ok;
}
