import {
  assertInt,
  assertNumber,
  assertOneOf,
  InvalidArgumentError,
  optionsObject,
  Rng,
  type Seed,
} from '@lr/core';
import type { ComplexArray } from './complex.js';
import type { DiagonalSsm } from './diagonalSsm.js';
import { nplrLegS } from './hippo.js';

/** The diagonal initializations of S4D (Gu et al. 2022, §4) and two baselines. */
export type S4dInitKind = 'lin' | 'inv' | 'legs' | 'real' | 'random';

/** All {@link S4dInitKind} values. */
export const S4D_INITS: readonly S4dInitKind[] = ['lin', 'inv', 'legs', 'real', 'random'];

/** The state matrix diagonal and input vector of one channel (length M = N/2 each). */
export interface S4dDiagonal {
  A: ComplexArray;
  B: ComplexArray;
}

/** Largest N accepted by the S4D initializers. */
export const S4D_MAX_N = 2048;

/**
 * The diagonal (A, B) of an S4D initialization, n = 0…N/2 − 1 (REFERENCES.md; S4D paper
 * §4.1 and the S4 reference code's `init` options):
 * - `lin`:  A_n = −½ + iπn, B_n = 1 (S4D-Lin: damped Fourier modes)
 * - `inv`:  A_n = −½ + i(N/π)(N/(2n+1) − 1), B_n = 1 (S4D-Inv: inverse-law frequencies)
 * - `legs`: A = Λ, B = V*·B_LegS from the NPLR form of HiPPO-LegS ({@link nplrLegS}), i.e.
 *   the diagonal part of the DPLR form (S4D-LegS / DSS)
 * - `real`: A_n = −(n + 1), B_n = 1 (S4D-Real)
 * - `random`: A_n = −exp(z_n) + iπ·M·v_n, z ~ N(0, 1), v ~ U[0, 1), B_n = 1 — not from
 *   the paper: a baseline with random decay rates and frequencies spread over S4D-Lin's range
 *
 * @param init which initialization
 * @param N even state size, 2 ≤ N ≤ 2048
 * @param seed randomness of `random` (ignored otherwise); default 0
 * @returns `{ A, B }`, fresh, length N/2
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for an unknown init or a bad (odd) N
 * @example
 * const { A } = s4dDiagonal('lin', 8); // A.im = [0, π, 2π, 3π], A.re = −½
 */
export function s4dDiagonal(init: S4dInitKind, N: number, seed: Seed = 0): S4dDiagonal {
  const kind = assertOneOf('init', init, S4D_INITS);
  const n = evenN(N);
  const M = n / 2;
  const A: ComplexArray = { re: new Float64Array(M), im: new Float64Array(M) };
  const B: ComplexArray = { re: new Float64Array(M).fill(1), im: new Float64Array(M) };
  if (kind === 'legs') {
    const r = nplrLegS(n);
    return { A: r.lambda, B: r.Btilde };
  }
  const rng = kind === 'random' ? Rng.from(seed) : null;
  for (let k = 0; k < M; k++) {
    switch (kind) {
      case 'lin':
        A.re[k] = -0.5;
        A.im[k] = Math.PI * k;
        break;
      case 'inv':
        A.re[k] = -0.5;
        A.im[k] = (n / Math.PI) * (n / (2 * k + 1) - 1);
        break;
      case 'real':
        A.re[k] = -(k + 1);
        break;
      default:
        A.re[k] = -Math.exp(rng!.normal());
        A.im[k] = Math.PI * M * rng!.uniform();
    }
  }
  return { A, B };
}

function evenN(N: unknown): number {
  const n = assertInt('N', N, 2, S4D_MAX_N);
  if (n % 2 !== 0) {
    throw new InvalidArgumentError(
      `N: expected an even state size (N/2 conjugate-pair modes), got ${n}`,
    );
  }
  return n;
}

/** Options of {@link s4dInit}. */
export interface S4dInitOptions {
  /** State size N (even; M = N/2 complex modes). Default 64 (S4D's `d_state`). */
  N?: number;
  /** Initialization of A (and B); default `'lin'`, the minimal S4D reference code's (s4d.py). */
  init?: S4dInitKind;
  /** H, the number of channels; default 1. */
  channels?: number;
  /** Smallest step size; default 0.001 (S4D's `dt_min`). */
  dtMin?: number;
  /** Largest step size; default 0.1 (S4D's `dt_max`). */
  dtMax?: number;
  /** Seed; default 0. */
  seed?: Seed;
}

/** Defaults of {@link s4dInit} (the S4D reference code's). */
export const S4D_INIT_DEFAULTS = {
  N: 64,
  init: 'lin',
  channels: 1,
  dtMin: 0.001,
  dtMax: 0.1,
  seed: 0,
} as const;

/**
 * Log-uniform step sizes: log dt_h = log dtMin + U_h·(log dtMax − log dtMin), U ~ U[0, 1)
 * (S4/S4D's `log_dt` initialization).
 *
 * @param H number of channels (≥ 1)
 * @param dtMin smallest step, > 0
 * @param dtMax largest step, ≥ dtMin
 * @param seed seed or Rng; default 0
 * @returns log dt, length H
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` unless 0 < dtMin ≤ dtMax < ∞
 * @example logUniformDt(4, 1e-3, 1e-1, 7); // 4 values in [log 1e-3, log 1e-1)
 */
export function logUniformDt(
  H: number,
  dtMin: number,
  dtMax: number,
  seed: Seed = 0,
): Float64Array {
  const h = assertInt('channels', H, 1);
  const [lo, hi] = dtRange(dtMin, dtMax);
  const rng = Rng.from(seed);
  const out = new Float64Array(h);
  const a = Math.log(lo);
  const b = Math.log(hi);
  for (let k = 0; k < h; k++) out[k] = a + rng.uniform() * (b - a);
  return out;
}

function dtRange(dtMin: unknown, dtMax: unknown): [number, number] {
  const lo = assertNumber('dtMin', dtMin, Number.MIN_VALUE);
  const hi = assertNumber('dtMax', dtMax, Number.MIN_VALUE);
  if (hi < lo) {
    throw new InvalidArgumentError(`dtMax: expected dtMax ≥ dtMin = ${lo}, got ${hi}`);
  }
  return [lo, hi];
}

/**
 * A randomly initialized bank of H diagonal SSMs (S4D, Gu et al. 2022): A and B from
 * {@link s4dDiagonal} (the same for every channel), C complex standard normal
 * (Re, Im ~ N(0, ½), torch's `randn(cfloat)`), D ~ N(0, 1), and log dt log-uniform in
 * [dtMin, dtMax] ({@link logUniformDt}). Draws, in order from one stream: the `random`
 * init's A, then log dt [H], then C [H, M] (re, im per element), then D [H].
 *
 * @param options see {@link S4dInitOptions} (defaults in {@link S4D_INIT_DEFAULTS})
 * @returns a fresh {@link DiagonalSsm} with H = `channels`, M = N/2
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for an odd or out-of-range N, an
 *   unknown init, channels < 1, or not 0 < dtMin ≤ dtMax
 * @example
 * const ssm = s4dInit({ N: 64, init: 'inv', channels: 8, seed: 1 });
 * ssm.A.re.length; // 8·32
 */
export function s4dInit(options?: S4dInitOptions): DiagonalSsm {
  const o = optionsObject('options', options);
  const N = evenN(o.N ?? S4D_INIT_DEFAULTS.N);
  const init = assertOneOf('init', o.init ?? S4D_INIT_DEFAULTS.init, S4D_INITS);
  const H = assertInt('channels', o.channels ?? S4D_INIT_DEFAULTS.channels, 1, 1 << 20);
  const [dtMin, dtMax] = dtRange(
    o.dtMin ?? S4D_INIT_DEFAULTS.dtMin,
    o.dtMax ?? S4D_INIT_DEFAULTS.dtMax,
  );
  const rng = Rng.from(o.seed ?? S4D_INIT_DEFAULTS.seed);
  const base = s4dDiagonal(init, N, rng);
  return fromDiagonal(base, H, dtMin, dtMax, rng);
}

/**
 * A bank of H SSMs sharing a given diagonal (A, B) (length M each), with C, D and log dt
 * drawn as in {@link s4dInit}. Used for custom diagonals (e.g. PTD's).
 *
 * @param diag `{ A, B }`, complex, length M
 * @param options `channels` (default 1), `dtMin`, `dtMax`, `seed` as {@link s4dInit}
 * @example const ssm = diagonalSsmFrom(s4dDiagonal('inv', 32), { channels: 4 });
 */
export function diagonalSsmFrom(
  diag: S4dDiagonal,
  options?: Omit<S4dInitOptions, 'N' | 'init'>,
): DiagonalSsm {
  const o = optionsObject('options', options);
  const H = assertInt('channels', o.channels ?? 1, 1, 1 << 20);
  const [dtMin, dtMax] = dtRange(
    o.dtMin ?? S4D_INIT_DEFAULTS.dtMin,
    o.dtMax ?? S4D_INIT_DEFAULTS.dtMax,
  );
  if (
    diag === null ||
    typeof diag !== 'object' ||
    !(diag.A?.re instanceof Float64Array) ||
    !(diag.B?.re instanceof Float64Array)
  ) {
    throw new InvalidArgumentError('diag: expected { A, B } ComplexArrays');
  }
  return fromDiagonal(diag, H, dtMin, dtMax, Rng.from(o.seed ?? 0));
}

function fromDiagonal(
  base: S4dDiagonal,
  H: number,
  dtMin: number,
  dtMax: number,
  rng: Rng,
): DiagonalSsm {
  const M = base.A.re.length;
  const logDt = logUniformDt(H, dtMin, dtMax, rng);
  const A: ComplexArray = { re: new Float64Array(H * M), im: new Float64Array(H * M) };
  const B: ComplexArray = { re: new Float64Array(H * M), im: new Float64Array(H * M) };
  const C: ComplexArray = { re: new Float64Array(H * M), im: new Float64Array(H * M) };
  const s = Math.SQRT1_2;
  for (let h = 0; h < H; h++) {
    A.re.set(base.A.re, h * M);
    A.im.set(base.A.im, h * M);
    B.re.set(base.B.re, h * M);
    B.im.set(base.B.im, h * M);
  }
  for (let k = 0; k < H * M; k++) {
    C.re[k] = s * rng.normal();
    C.im[k] = s * rng.normal();
  }
  const D = new Float64Array(H);
  for (let h = 0; h < H; h++) D[h] = rng.normal();
  return { channels: H, modes: M, A, B, C, D, logDt };
}
