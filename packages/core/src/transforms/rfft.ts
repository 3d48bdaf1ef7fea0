import { optionsObject } from '../validate.js';
import { assertSignal, type FftNorm, fftScale, normOption } from './_fftCommon.js';
import { realTwiddles } from './_realTwiddles.js';
import type { ComplexArray } from './fft.js';
import { fftPlan } from './fftPlan.js';

/** Options of {@link rfft}. */
export interface RfftOptions {
  /** Scaling convention, numpy's `norm`; default `'backward'` (forward unscaled). */
  normalize?: FftNorm;
}

/**
 * The non-negative-frequency half of the DFT of a real signal, `numpy.fft.rfft`:
 * X_f = scale · Σ_k x_k·exp(−2πi·kf/n) for f = 0…⌊n/2⌋ (the rest is conj(X_{n−f})).
 * Even n packs x into a complex vector of length n/2 (z_j = x_{2j} + i·x_{2j+1}), does one
 * half-length FFT and splits it (Cooley, Lewis & Welch 1970), so it costs about half of a
 * complex FFT; odd n runs the full complex transform.
 *
 * @param x real signal, length n ≥ 1 (not modified)
 * @param options see {@link RfftOptions}
 * @returns `{ re, im }`, fresh Float64Arrays of length ⌊n/2⌋ + 1
 * @throws {InvalidArgumentError} if `x` is empty or not a Float64Array/Float32Array, or an option is invalid
 * @throws {NonFiniteError} if `x` holds NaN or ±Infinity
 * @example
 * rfft(new Float64Array([1, 2, 3, 4])); // re = [10, −2, −2], im = [0, 2, 0]
 */
export function rfft(x: Float64Array | Float32Array, options?: RfftOptions): ComplexArray {
  const sig = assertSignal('x', x, true);
  const opts = optionsObject('options', options);
  const norm = normOption(opts.normalize);
  const n = sig.length;
  const nf = Math.floor(n / 2) + 1;
  const outRe = new Float64Array(nf);
  const outIm = new Float64Array(nf);
  const s = fftScale(n, norm, false);
  if (n % 2 === 1) {
    const re = Float64Array.from(sig);
    const im = new Float64Array(n);
    fftPlan(n).execute(re, im);
    for (let f = 0; f < nf; f++) {
      outRe[f] = re[f]! * s;
      outIm[f] = im[f]! * s;
    }
    outIm[0] = 0; // the DC term of a real signal is real (the sum leaves rounding residue)
    return { re: outRe, im: outIm };
  }
  const h = n / 2;
  const zr = new Float64Array(h);
  const zi = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    zr[j] = sig[2 * j]!;
    zi[j] = sig[2 * j + 1]!;
  }
  fftPlan(h).execute(zr, zi);
  const { cos, sin } = realTwiddles(n);
  for (let k = 0; k <= h; k++) {
    const a = k === h ? 0 : k;
    const b = k === 0 ? 0 : h - k;
    const zkr = zr[a]!;
    const zki = zi[a]!;
    const zcr = zr[b]!;
    const zci = -zi[b]!;
    // E = (Z_k + conj Z_{h−k})/2, O = −i·(Z_k − conj Z_{h−k})/2, X_k = E + ω^k·O
    const er = 0.5 * (zkr + zcr);
    const ei = 0.5 * (zki + zci);
    const or = 0.5 * (zki - zci);
    const oi = -0.5 * (zkr - zcr);
    const wr = cos[k]!;
    const wi = -sin[k]!;
    outRe[k] = (er + or * wr - oi * wi) * s;
    outIm[k] = (ei + or * wi + oi * wr) * s;
  }
  return { re: outRe, im: outIm };
}
