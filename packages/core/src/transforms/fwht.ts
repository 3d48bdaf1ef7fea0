import { InvalidArgumentError } from '../errors.js';
import { optionsObject } from '../validate.js';
import { assertSignal, boolOption } from './_fftCommon.js';
import { type FwhtOptions, fwhtInPlace } from './fwhtInPlace.js';

/**
 * Fast Walsh–Hadamard transform, y = H_n·x (÷ √n when `normalize`), with H_n the
 * Sylvester–Hadamard matrix in natural (Hadamard) order: H[i][j] = (−1)^{popcount(i & j)}
 * (as `scipy.linalg.hadamard(n) @ x`). O(n log n) additions (Fino & Algazi 1976); see
 * {@link fwhtInPlace} for the in-place kernel. fwht(fwht(x)) = n·x, and the normalized
 * transform is orthonormal and its own inverse.
 *
 * @param x input of length n = 2^k ≥ 1 (not modified)
 * @param options see {@link FwhtOptions}
 * @returns a fresh Float64Array of length n
 * @throws {InvalidArgumentError} if `x` is not a Float64Array/Float32Array or n is not a power of two
 * @throws {NonFiniteError} if `x` holds NaN or ±Infinity
 * @example
 * fwht(new Float64Array([1, 2, 3, 4])); // [10, −2, −4, 0]
 */
export function fwht(x: Float64Array | Float32Array, options?: FwhtOptions): Float64Array {
  const sig = assertSignal('x', x, false);
  const opts = optionsObject('options', options);
  const normalize = boolOption('options.normalize', opts.normalize, false);
  const n = sig.length;
  if (!(n >= 1 && 2 ** Math.round(Math.log2(n)) === n)) {
    throw new InvalidArgumentError(
      `x: expected a length that is a power of two (1, 2, 4, …), got ${n}`,
    );
  }
  return fwhtInPlace(Float64Array.from(sig), { normalize });
}
