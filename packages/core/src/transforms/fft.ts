import { optionsObject } from '../validate.js';
import {
  assertImag,
  assertSignal,
  boolOption,
  type FftNorm,
  fftScale,
  normOption,
} from './_fftCommon.js';
import { fftPlan } from './fftPlan.js';

/** Options of {@link fft}. */
export interface FftOptions {
  /** Compute the inverse transform (exp(+2πi·kf/n)); default false. */
  inverse?: boolean;
  /** Scaling convention, numpy's `norm`; default `'backward'` (forward unscaled, inverse 1/n). */
  normalize?: FftNorm;
}

/** A complex vector as two Float64Arrays of equal length. */
export interface ComplexArray {
  /** Real parts. */
  re: Float64Array;
  /** Imaginary parts. */
  im: Float64Array;
}

/**
 * Discrete Fourier transform of a complex vector of any length n ≥ 1:
 * X_f = scale · Σ_k x_k·exp(∓2πi·kf/n), as `numpy.fft.fft` (and `numpy.fft.ifft` with
 * `inverse: true`). Every length is O(n log n): Stockham radix-4/2/3 and direct prime
 * butterflies when all prime factors are ≤ 61, Bluestein's chirp-z otherwise (see
 * {@link FftPlan}). Plans are cached per length.
 *
 * @param re real parts, length n ≥ 1 (not modified)
 * @param im imaginary parts, length n; default zeros (real input)
 * @param options see {@link FftOptions}
 * @returns `{ re, im }`, fresh Float64Arrays of length n
 * @throws {InvalidArgumentError} if `re` is empty or not a Float64Array/Float32Array, or an option is invalid
 * @throws {ShapeError} if `im` has a different length than `re`
 * @throws {NonFiniteError} if an input holds NaN or ±Infinity
 * @example
 * const { re, im } = fft(new Float64Array([1, 2, 3]));
 * // re ≈ [6, −1.5, −1.5], im ≈ [0, 0.866, −0.866]
 */
export function fft(
  re: Float64Array | Float32Array,
  im?: Float64Array | Float32Array,
  options?: FftOptions,
): ComplexArray {
  const x = assertSignal('re', re, true);
  const n = x.length;
  const y = assertImag('im', im, n);
  const opts = optionsObject('options', options);
  const inverse = boolOption('options.inverse', opts.inverse, false);
  const norm = normOption(opts.normalize);
  const outRe = Float64Array.from(x);
  const outIm = y === undefined ? new Float64Array(n) : Float64Array.from(y);
  fftPlan(n).execute(outRe, outIm, inverse);
  const s = fftScale(n, norm, inverse);
  if (s !== 1) {
    for (let j = 0; j < n; j++) {
      outRe[j]! *= s;
      outIm[j]! *= s;
    }
  }
  return { re: outRe, im: outIm };
}
