import {
  assertInt,
  assertOneOf,
  gemmStrided,
  InvalidArgumentError,
  Matrix,
  optionsObject,
} from '@lr/core';
import { assertDiagonalSsm, type DiagonalSsm } from './diagonalSsm.js';
import {
  _assertDiscreteSsm,
  _discretize,
  type DiscreteSsm,
  type DiscretizeMethod,
} from './discretize.js';

/** Largest kernel length accepted (2²⁶ samples per channel). */
export const SSM_MAX_LENGTH = 1 << 26;

/** Options of {@link ssmKernel}. */
export interface SsmKernelOptions {
  /** Kernel length L ≥ 1 (required). */
  L: number;
  /** Discretization, default `'zoh'` (S4D's default). */
  method?: DiscretizeMethod;
}

/** Result of {@link ssmKernel}. */
export interface SsmKernelResult {
  /** H×L kernel (row h is channel h's K_0…K_{L−1}), float64, row-major. */
  K: Matrix;
  /** The discretized system the kernel came from. */
  discrete: DiscreteSsm;
  /** Seconds spent. */
  seconds: number;
}

/**
 * The SSM convolution kernel of every channel, K_l = 2·Re Σ_n C_n·B̄_n·Ā_n^l for
 * l = 0…L−1 (S4D, Gu et al. 2022, §3.2: the Vandermonde product).
 *
 * Algorithm. With W_n = C_n·B̄_n and z_n = log Ā_n, split l = j·b + r (b ≈ √L) and write
 * K_{jb+r} = 2·Re Σ_n (W_n·e^{jb·z_n})·e^{r·z_n}: an (L/b)×M by M×b complex product whose
 * real part is one real GEMM [Re X, −Im X]·[Re Y; Im Y] (core's `gemmStrided`). Every
 * power is exp(l·z) evaluated directly from the logarithm (no accumulated products), so
 * the error of each term is a few ulps of |l·z| (relative phase error ≈ l·|z|·ε); powers
 * of a stable mode (Re z < 0) underflow gracefully to 0. Cost per channel: 2M(L/b + b)
 * complex exponentials and 4·M·L flops in GEMM.
 *
 * @param ssm the bank of H diagonal SSMs (not modified)
 * @param options `L` (required), `method` (default `'zoh'`)
 * @returns `{ K: H×L Matrix, discrete, seconds }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` when L is not an integer in [1, 2²⁶] or
 *   the method is unknown
 * @throws {ShapeError} `SHAPE_MISMATCH` / {@link NonFiniteError} `NON_FINITE` for a bad ssm
 * @example
 * const { K } = ssmKernel(s4dInit({ N: 64, channels: 4 }), { L: 1024 });
 * K.rows; // 4
 */
export function ssmKernel(ssm: DiagonalSsm, options: SsmKernelOptions): SsmKernelResult {
  const t0 = performance.now();
  const s = assertDiagonalSsm(ssm);
  const o = optionsObject('options', options);
  if (o.L === undefined) throw new InvalidArgumentError('options.L: the kernel length is required');
  const L = assertInt('options.L', o.L, 1, SSM_MAX_LENGTH);
  const method = assertOneOf('options.method', o.method ?? 'zoh', ['zoh', 'bilinear'] as const);
  const discrete = _discretize(s, method);
  const K = _vandermondeKernel(discrete, L);
  return { K: new Matrix(K, s.channels, L), discrete, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The kernel of an already discretized bank, H×L row-major (see {@link ssmKernel}).
 *
 * @param d a {@link DiscreteSsm} (from {@link discretize})
 * @param L kernel length ≥ 1
 * @returns H×L Matrix
 * @example const K = discreteKernel(discretize(s4dInit({ N: 16 })), 256);
 */
export function discreteKernel(d: DiscreteSsm, L: number): Matrix {
  const len = assertInt('L', L, 1, SSM_MAX_LENGTH);
  _assertDiscreteSsm(d);
  return new Matrix(_vandermondeKernel(d, len), d.channels, len);
}

/** Vandermonde kernel, assumes validated input. Returns H·L values, row-major. */
export function _vandermondeKernel(d: DiscreteSsm, L: number): Float64Array {
  const H = d.channels;
  const M = d.modes;
  const out = new Float64Array(H * L);
  const b = Math.max(1, Math.min(L, Math.round(Math.sqrt(L))));
  const nb = Math.ceil(L / b);
  const M2 = 2 * M;
  const X = new Float64Array(nb * M2); // [Re(W e^{jbz}) | −Im(W e^{jbz})], nb × 2M
  const Y = new Float64Array(M2 * b); // [Re e^{rz}; Im e^{rz}], 2M × b
  const full = nb * b === L;
  const tmp = full ? null : new Float64Array(nb * b);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < M; n++) {
      const k = h * M + n;
      const zr = d.logAbar.re[k]!;
      const zi = d.logAbar.im[k]!;
      const cr = d.C.re[k]!;
      const ci = d.C.im[k]!;
      const br = d.Bbar.re[k]!;
      const bi = d.Bbar.im[k]!;
      // W = 2·C·B̄ (the factor 2 of 2·Re folded in).
      const wr = 2 * (cr * br - ci * bi);
      const wi = 2 * (cr * bi + ci * br);
      for (let r = 0; r < b; r++) {
        const e = Math.exp(r * zr);
        Y[n * b + r] = e * Math.cos(r * zi);
        Y[(M + n) * b + r] = e * Math.sin(r * zi);
      }
      for (let j = 0; j < nb; j++) {
        const l = j * b;
        const e = Math.exp(l * zr);
        const pr = e * Math.cos(l * zi);
        const pi = e * Math.sin(l * zi);
        X[j * M2 + n] = wr * pr - wi * pi;
        X[j * M2 + M + n] = -(wr * pi + wi * pr);
      }
    }
    if (full) {
      gemmStrided(nb, b, M2, 1, X, 0, M2, 1, Y, 0, b, 1, 0, out, h * L, b, 1);
    } else {
      gemmStrided(nb, b, M2, 1, X, 0, M2, 1, Y, 0, b, 1, 0, tmp!, 0, b, 1);
      out.set(tmp!.subarray(0, L), h * L);
    }
  }
  return out;
}
