import { InvalidArgumentError } from '../errors.js';
import { assertInt, optionsObject } from '../validate.js';
import { assertImag, assertSignal, type FftNorm, fftScale, normOption } from './_fftCommon.js';
import { realTwiddles } from './_realTwiddles.js';
import { fftPlan } from './fftPlan.js';

/** Options of {@link irfft}. */
export interface IrfftOptions {
  /** Scaling convention, numpy's `norm`; default `'backward'` (the inverse divides by n). */
  normalize?: FftNorm;
}

/**
 * Inverse of {@link rfft}, `numpy.fft.irfft`: the real signal of length `n` whose DFT has
 * non-negative-frequency half `re + i·im`. As numpy, it reads the first ⌊n/2⌋ + 1
 * frequencies (zero-padding a shorter input, ignoring the rest of a longer one) and
 * ignores the imaginary part of X_0 and, for even n, of X_{n/2} (a real signal has none).
 * Even n runs one complex FFT of length n/2 (the split of {@link rfft} reversed).
 *
 * @param re real parts of X_0…X_{L−1}, L ≥ 1 (not modified)
 * @param im imaginary parts, length L
 * @param n output length; default 2(L − 1) (must then be ≥ 1, so L ≥ 2)
 * @param options see {@link IrfftOptions}
 * @returns the real signal, a fresh Float64Array of length n
 * @throws {InvalidArgumentError} if `re`/`im` are not float arrays, `n` is not a positive integer, or an option is invalid
 * @throws {ShapeError} if `im` and `re` differ in length
 * @throws {NonFiniteError} if an input holds NaN or ±Infinity
 * @example
 * const X = rfft(x);                   // x of length 7
 * const y = irfft(X.re, X.im, 7);      // y ≈ x (odd lengths need n explicitly)
 */
export function irfft(
  re: Float64Array | Float32Array,
  im: Float64Array | Float32Array,
  n?: number,
  options?: IrfftOptions,
): Float64Array {
  const xr = assertSignal('re', re, true);
  if (im === undefined) {
    throw new InvalidArgumentError('im: expected a Float64Array or Float32Array, got undefined');
  }
  const xi = assertImag('im', im, xr.length)!;
  const len = xr.length;
  if (n === undefined && len < 2) {
    throw new InvalidArgumentError(
      `n: the default 2(L − 1) is ${2 * (len - 1)} for L = ${len} frequencies; pass n ≥ 1 explicitly`,
    );
  }
  const size = n === undefined ? 2 * (len - 1) : assertInt('n', n, 1, 2 ** 28);
  const opts = optionsObject('options', options);
  const norm = normOption(opts.normalize);
  const s = fftScale(size, norm, true);
  const nf = Math.floor(size / 2) + 1;
  // X_f for f < nf, zero-padded; imaginary parts of X_0 (and X_{n/2}) dropped.
  const fr = new Float64Array(nf);
  const fi = new Float64Array(nf);
  for (let f = 0; f < Math.min(nf, len); f++) {
    fr[f] = xr[f]!;
    fi[f] = xi[f]!;
  }
  fi[0] = 0;
  const out = new Float64Array(size);
  if (size % 2 === 1) {
    const ar = new Float64Array(size);
    const ai = new Float64Array(size);
    ar[0] = fr[0]!;
    for (let f = 1; f < nf; f++) {
      ar[f] = ar[size - f] = fr[f]!;
      ai[f] = fi[f]!;
      ai[size - f] = -fi[f]!;
    }
    fftPlan(size).execute(ar, ai, true);
    for (let j = 0; j < size; j++) out[j] = ar[j]! * s;
    return out;
  }
  const h = size / 2;
  fi[h] = 0;
  const { cos, sin } = realTwiddles(size);
  const zr = new Float64Array(h);
  const zi = new Float64Array(h);
  for (let k = 0; k < h; k++) {
    const xkr = fr[k]!;
    const xki = fi[k]!;
    const xcr = fr[h - k]!;
    const xci = -fi[h - k]!;
    // E = (X_k + conj X_{h−k})/2, O = ω^{−k}·(X_k − conj X_{h−k})/2, Z_k = E + i·O
    const er = 0.5 * (xkr + xcr);
    const ei = 0.5 * (xki + xci);
    const dr = 0.5 * (xkr - xcr);
    const di = 0.5 * (xki - xci);
    const wr = cos[k]!;
    const wi = sin[k]!;
    const or = dr * wr - di * wi;
    const oi = dr * wi + di * wr;
    zr[k] = er - oi;
    zi[k] = ei + or;
  }
  fftPlan(h).execute(zr, zi, true);
  const t = 2 * s;
  for (let j = 0; j < h; j++) {
    out[2 * j] = zr[j]! * t;
    out[2 * j + 1] = zi[j]! * t;
  }
  return out;
}
