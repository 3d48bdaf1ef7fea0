import { optionsObject } from '../validate.js';
import type { FftNorm } from './_fftCommon.js';
import { type ComplexArray, fft } from './fft.js';

/** Options of {@link ifft}. */
export interface IfftOptions {
  /** Scaling convention, numpy's `norm`; default `'backward'` (the inverse divides by n). */
  normalize?: FftNorm;
}

/**
 * Inverse discrete Fourier transform, `numpy.fft.ifft`:
 * x_k = scale · Σ_f X_f·exp(+2πi·kf/n), scale = 1/n by default. Same algorithms as {@link fft}.
 *
 * @param re real parts, length n ≥ 1 (not modified)
 * @param im imaginary parts, length n; default zeros
 * @param options see {@link IfftOptions}
 * @returns `{ re, im }`, fresh Float64Arrays of length n
 * @throws {InvalidArgumentError} if `re` is empty or not a float array, or an option is invalid
 * @throws {ShapeError} if `im` has a different length than `re`
 * @throws {NonFiniteError} if an input holds NaN or ±Infinity
 * @example
 * const X = fft(x);
 * const back = ifft(X.re, X.im); // back.re ≈ x, back.im ≈ 0
 */
export function ifft(
  re: Float64Array | Float32Array,
  im?: Float64Array | Float32Array,
  options?: IfftOptions,
): ComplexArray {
  const opts = optionsObject('options', options);
  return fft(re, im, { inverse: true, normalize: opts.normalize });
}
