import { assertOneOf, optionsObject } from '../validate.js';
import { assertSignal } from './_fftCommon.js';
import { irfft } from './irfft.js';
import { nextFastLength } from './nextFastLength.js';
import { rfft } from './rfft.js';

/** Which part of the full linear convolution {@link fftConvolve} returns (scipy's `mode`). */
export type ConvolveMode = 'full' | 'same' | 'valid';

/** Options of {@link fftConvolve}. */
export interface FftConvolveOptions {
  /**
   * `'full'` (default): all na + nb − 1 outputs. `'same'`: na outputs centred on the full
   * result (start ⌊(nb − 1)/2⌋). `'valid'`: the max(na, nb) − min(na, nb) + 1 outputs that do
   * not depend on zero padding. As `scipy.signal.fftconvolve`.
   */
  mode?: ConvolveMode;
}

/**
 * Linear convolution of two real signals through the FFT, `scipy.signal.fftconvolve`:
 * (a ∗ b)_k = Σ_j a_j·b_{k−j}. Both are zero-padded to a 5-smooth even length
 * N ≥ na + nb − 1 ({@link nextFastLength}), transformed with {@link rfft}, multiplied and
 * transformed back with {@link irfft}: O(N log N) instead of O(na·nb). Rounding error is
 * about ε·log N·‖a‖₂‖b‖₂ in every output, so outputs much smaller than that are not
 * accurate to full relative precision (as with scipy).
 *
 * @param a first signal (not modified); empty gives an empty result, as scipy
 * @param b second signal (not modified)
 * @param options see {@link FftConvolveOptions}
 * @returns a fresh Float64Array: length na + nb − 1 (`full`), na (`same`) or |na − nb| + 1 (`valid`)
 * @throws {InvalidArgumentError} if an input is not a Float64Array/Float32Array or `mode` is unknown
 * @throws {NonFiniteError} if an input holds NaN or ±Infinity
 * @example
 * fftConvolve(new Float64Array([1, 2, 3]), new Float64Array([0, 1, 0.5]));
 * // ≈ [0, 1, 2.5, 4, 1.5]
 */
export function fftConvolve(
  a: Float64Array | Float32Array,
  b: Float64Array | Float32Array,
  options?: FftConvolveOptions,
): Float64Array {
  const x = assertSignal('a', a, false);
  const y = assertSignal('b', b, false);
  const opts = optionsObject('options', options);
  const mode =
    opts.mode === undefined
      ? 'full'
      : assertOneOf('options.mode', opts.mode, ['full', 'same', 'valid'] as const);
  const na = x.length;
  const nb = y.length;
  if (na === 0 || nb === 0) return new Float64Array(0);
  const full = na + nb - 1;
  const size = nextFastLength(full, { even: true });
  const pa = new Float64Array(size);
  pa.set(x);
  const pb = new Float64Array(size);
  pb.set(y);
  const A = rfft(pa);
  const B = rfft(pb);
  const nf = A.re.length;
  for (let f = 0; f < nf; f++) {
    const ar = A.re[f]!;
    const ai = A.im[f]!;
    const br = B.re[f]!;
    const bi = B.im[f]!;
    A.re[f] = ar * br - ai * bi;
    A.im[f] = ar * bi + ai * br;
  }
  const c = irfft(A.re, A.im, size);
  let start = 0;
  let len = full;
  if (mode === 'same') {
    len = na;
    start = Math.floor((full - na) / 2);
  } else if (mode === 'valid') {
    len = Math.max(na, nb) - Math.min(na, nb) + 1;
    start = Math.min(na, nb) - 1;
  }
  return c.slice(start, start + len);
}
