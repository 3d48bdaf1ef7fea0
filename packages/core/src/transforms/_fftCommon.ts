// Shared pieces of the FFT front ends: normalization modes and input validation.
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { assertFiniteArray, assertOneOf, describe } from '../validate.js';

/**
 * Scaling convention of a transform pair, as numpy.fft's `norm`: `'backward'` (default)
 * leaves the forward transform unscaled and divides the inverse by n; `'ortho'` scales both
 * by 1/√n (unitary); `'forward'` divides the forward transform by n and leaves the inverse.
 */
export type FftNorm = 'backward' | 'ortho' | 'forward';

export const FFT_NORMS: readonly FftNorm[] = ['backward', 'ortho', 'forward'];

/** The factor applied to an unnormalized transform of length n. */
export function fftScale(n: number, norm: FftNorm, inverse: boolean): number {
  if (norm === 'ortho') return 1 / Math.sqrt(n);
  if (norm === 'backward') return inverse ? 1 / n : 1;
  return inverse ? 1 : 1 / n;
}

/** Validates `norm` (undefined → 'backward'). */
export function normOption(value: unknown): FftNorm {
  return value === undefined ? 'backward' : assertOneOf('options.normalize', value, FFT_NORMS);
}

/** Validates a real signal: a Float64Array or Float32Array of finite values (optionally non-empty). */
export function assertSignal(
  name: string,
  x: unknown,
  nonEmpty: boolean,
): Float64Array | Float32Array {
  if (!(x instanceof Float64Array || x instanceof Float32Array)) {
    throw new InvalidArgumentError(
      `${name}: expected a Float64Array or Float32Array, got ${describe(x)}`,
    );
  }
  if (nonEmpty && x.length === 0) {
    throw new InvalidArgumentError(`${name}: expected at least one element, got an empty array`);
  }
  assertFiniteArray(name, x);
  return x;
}

/** Validates an optional imaginary part against the real part's length. */
export function assertImag(
  name: string,
  im: unknown,
  n: number,
): Float64Array | Float32Array | undefined {
  if (im === undefined) return undefined;
  const x = assertSignal(name, im, false);
  if (x.length !== n) {
    throw new ShapeError(
      `${name}: expected length ${n} (the length of the real part), got ${x.length}`,
    );
  }
  return x;
}

/** Validates a boolean option (undefined → fallback). */
export function boolOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`${name}: expected a boolean, got ${describe(value)}`);
  }
  return value;
}
