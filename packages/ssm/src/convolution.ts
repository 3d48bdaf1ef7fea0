import {
  assertFiniteArray,
  assertOneOf,
  InvalidArgumentError,
  irfft,
  Matrix,
  nextFastLength,
  optionsObject,
  rfft,
  ShapeError,
  type Tensor,
} from '@lr/core';
import { _readSequences, type _Sequences, _writeSequences, type SequenceLayout } from './_io.js';
import { assertDiagonalSsm, type DiagonalSsm } from './diagonalSsm.js';
import { _discretize, type DiscretizeMethod } from './discretize.js';
import { _vandermondeKernel } from './kernel.js';

/** Options of {@link causalConvolve}. */
export interface CausalConvolveOptions {
  /** Skip term y += D_h·u_h, length H; default none (zeros). */
  D?: Float64Array;
  /** Input (and output) layout; default `'BLH'` ([batch, L, H]). */
  layout?: SequenceLayout;
}

/**
 * Causal convolution of each channel with its kernel, y_l = Σ_{j≤l} K_j·u_{l−j} + D·u_l
 * (S4/S4D's convolutional mode), by FFT: both zero-padded to n = the next fast length
 * ≥ 2L − 1 (so the circular convolution equals the linear one), one `rfft` of each
 * kernel, one per sequence and channel, a pointwise product and an `irfft` (core's FFTs):
 * O(L log L) per sequence and channel.
 *
 * @param u input, [batch, L, H] (`layout: 'BLH'`, default) or [batch, H, L] (`'BHL'`);
 *   2-d means batch 1 ([L, H] / [H, L]); float32 or float64, any strides (not modified)
 * @param K H×Lk kernel (Lk ≥ L; only K_0…K_{L−1} are used), e.g. {@link ssmKernel}'s
 * @param options `D` (length H), `layout`
 * @returns y, a fresh float64 tensor of u's shape
 * @throws {ShapeError} `SHAPE_MISMATCH` when u's channel axis is not H, K is shorter than L,
 *   or D is not length H
 * @throws {NonFiniteError} `NON_FINITE` for NaN/±Infinity in u, K or D
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a non-tensor input or unknown layout
 * @example
 * const ssm = s4dInit({ N: 16, channels: 2 });
 * const { K } = ssmKernel(ssm, { L: 100 });
 * const u = new Tensor(new Float64Array(100 * 2).fill(1), [100, 2]); // [L, H]
 * const y = causalConvolve(u, K, { D: ssm.D });                       // [100, 2]
 */
export function causalConvolve(u: Tensor, K: Matrix, options?: CausalConvolveOptions): Tensor {
  const o = optionsObject('options', options);
  if (!(K instanceof Matrix)) throw new InvalidArgumentError('K: expected an H×L Matrix');
  const H = K.rows;
  const seq = _readSequences('u', u, H, o.layout);
  if (K.cols < seq.L) {
    throw new ShapeError(`K: expected at least L = ${seq.L} columns, got ${H}×${K.cols}`);
  }
  const Kc = new Float64Array(H * seq.L);
  for (let h = 0; h < H; h++) for (let l = 0; l < seq.L; l++) Kc[h * seq.L + l] = K.get(h, l);
  assertFiniteArray('K', Kc);
  const D = o.D === undefined ? new Float64Array(H) : checkD(o.D, H);
  return _writeSequences(seq, _fftConvolve(seq, Kc, D));
}

function checkD(D: unknown, H: number): Float64Array {
  if (!(D instanceof Float64Array || D instanceof Float32Array))
    throw new InvalidArgumentError('options.D: expected a Float64Array of length H');
  if (D.length !== H) throw new ShapeError(`options.D: expected length H = ${H}, got ${D.length}`);
  assertFiniteArray('options.D', D);
  return Float64Array.from(D);
}

/** FFT causal convolution on validated (b, h, l) data with kernels K [H, L]. Internal. */
export function _fftConvolve(seq: _Sequences, K: Float64Array, D: Float64Array): Float64Array {
  const { batch, L, H, data } = seq;
  const n = nextFastLength(2 * L - 1, { even: true });
  const y = new Float64Array(batch * H * L);
  const pad = new Float64Array(n);
  for (let h = 0; h < H; h++) {
    pad.fill(0);
    pad.set(K.subarray(h * L, (h + 1) * L));
    const kf = rfft(pad);
    const dh = D[h]!;
    for (let b = 0; b < batch; b++) {
      const o = (b * H + h) * L;
      pad.fill(0);
      pad.set(data.subarray(o, o + L));
      const uf = rfft(pad);
      const nf = uf.re.length;
      for (let f = 0; f < nf; f++) {
        const ar = kf.re[f]!;
        const ai = kf.im[f]!;
        const br = uf.re[f]!;
        const bi = uf.im[f]!;
        uf.re[f] = ar * br - ai * bi;
        uf.im[f] = ar * bi + ai * br;
      }
      const conv = irfft(uf.re, uf.im, n);
      for (let l = 0; l < L; l++) y[o + l] = conv[l]! + dh * data[o + l]!;
    }
  }
  return y;
}

/** Options of {@link ssmConvolve}. */
export interface SsmConvolveOptions {
  /** Discretization; default `'zoh'`. */
  method?: DiscretizeMethod;
  /** Input (and output) layout; default `'BLH'`. */
  layout?: SequenceLayout;
}

/**
 * Runs a bank of diagonal SSMs over input sequences in convolutional mode: the kernel
 * K of length L ({@link ssmKernel}, Vandermonde) and y = K * u + D·u ({@link causalConvolve}).
 * Zero initial state. Equals {@link ssmRecurrence} and {@link ssmScan} to rounding.
 *
 * @param ssm H diagonal SSMs (not modified)
 * @param u input [batch, L, H] (`'BLH'`, default) or [batch, H, L] (`'BHL'`); 2-d = batch 1
 * @param options `method` (default `'zoh'`), `layout`
 * @returns y, a fresh float64 tensor of u's shape
 * @throws {ShapeError} / {@link NonFiniteError} / {@link InvalidArgumentError} as {@link causalConvolve}
 * @example
 * const ssm = s4dInit({ N: 64, channels: 4 });
 * const y = ssmConvolve(ssm, new Tensor(new Float64Array(2 * 100 * 4), [2, 100, 4]));
 */
export function ssmConvolve(ssm: DiagonalSsm, u: Tensor, options?: SsmConvolveOptions): Tensor {
  const s = assertDiagonalSsm(ssm);
  const o = optionsObject('options', options);
  const method = assertOneOf('options.method', o.method ?? 'zoh', ['zoh', 'bilinear'] as const);
  const seq = _readSequences('u', u, s.channels, o.layout);
  const K = _vandermondeKernel(_discretize(s, method), seq.L);
  return _writeSequences(seq, _fftConvolve(seq, K, s.D));
}
