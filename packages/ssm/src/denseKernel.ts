import {
  assertFiniteArray,
  assertInt,
  assertOneOf,
  gemmStrided,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
  solve,
  UnsupportedError,
} from '@lr/core';
import type { DiscretizeMethod } from './discretize.js';
import { type HippoMeasure, hippo } from './hippo.js';
import { logUniformDt, S4D_INIT_DEFAULTS } from './inits.js';
import { SSM_MAX_LENGTH } from './kernel.js';

/**
 * Bilinear discretization of a dense system: Ā = (I − dt/2·A)⁻¹(I + dt/2·A),
 * B̄ = (I − dt/2·A)⁻¹·dt·B (one LU solve with N + 1 right-hand sides, core's `solve`).
 *
 * @param A N×N state matrix
 * @param B input vector, length N
 * @param dt step > 0
 * @returns `{ Abar: N×N Matrix, Bbar: Float64Array }`
 * @throws {ShapeError} `SHAPE_MISMATCH` if A is not square or B is not length N
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for dt ≤ 0 or a singular I − dt/2·A
 * @example const { Abar, Bbar } = bilinearDense(hippoLegS(8).A, hippoLegS(8).B, 0.01);
 */
export function bilinearDense(
  A: Matrix,
  B: Float64Array,
  dt: number,
): { Abar: Matrix; Bbar: Float64Array } {
  if (!(A instanceof Matrix)) throw new InvalidArgumentError('A: expected an N×N Matrix');
  const N = A.rows;
  if (A.cols !== N) throw new ShapeError(`A: expected a square matrix, got ${N}×${A.cols}`);
  if (!(B instanceof Float64Array) || B.length !== N)
    throw new ShapeError(`B: expected a Float64Array of length ${N}`);
  if (!(typeof dt === 'number' && dt > 0 && Number.isFinite(dt)))
    throw new InvalidArgumentError(`dt: expected a finite number > 0, got ${dt}`);
  const lhs = new Float64Array(N * N);
  const rhs = new Float64Array(N * (N + 1));
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < N; k++) {
      const a = A.get(i, k);
      lhs[i * N + k] = (i === k ? 1 : 0) - 0.5 * dt * a;
      rhs[i * (N + 1) + k] = (i === k ? 1 : 0) + 0.5 * dt * a;
    }
    rhs[i * (N + 1) + N] = dt * B[i]!;
  }
  const X = solve(new Matrix(lhs, N, N), new Matrix(rhs, N, N + 1));
  const Abar = new Float64Array(N * N);
  const Bbar = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < N; k++) Abar[i * N + k] = X.get(i, k);
    Bbar[i] = X.get(i, N);
  }
  return { Abar: new Matrix(Abar, N, N), Bbar };
}

/**
 * The kernel K_l = C_h·Ā_h^l·B̄_h (l = 0…L−1) of a dense (not diagonal) real SSM for H
 * output vectors C_h and step sizes dt_h, by the dense recurrence x_{l+1} = Ā·x_l,
 * x_0 = B̄ (bilinear discretization, S4's). This is the reference the diagonal
 * approximations are compared against. Cost O(H·(N³ + L·N²)).
 *
 * @param A N×N state matrix
 * @param B input vector, length N
 * @param C H×N output vectors (row h for channel h)
 * @param logDt log step sizes, length H
 * @param L kernel length ≥ 1
 * @param method only `'bilinear'` (default); `'zoh'` needs a dense matrix exponential,
 *   which this package does not have
 * @returns H×L Matrix
 * @throws {UnsupportedError} `UNSUPPORTED` for `'zoh'`
 * @throws {ShapeError} `SHAPE_MISMATCH` / {@link NonFiniteError} `NON_FINITE` for bad inputs
 * @example
 * const { A, B } = hippoLegS(16);
 * const K = denseKernel(A, B, new Matrix(new Float64Array(16).fill(1), 1, 16), Float64Array.of(Math.log(0.01)), 100);
 */
export function denseKernel(
  A: Matrix,
  B: Float64Array,
  C: Matrix,
  logDt: Float64Array,
  L: number,
  method: DiscretizeMethod = 'bilinear',
): Matrix {
  const m = assertOneOf('method', method, ['zoh', 'bilinear'] as const);
  if (m === 'zoh')
    throw new UnsupportedError(
      "method: 'zoh' needs a dense matrix exponential, not available; use 'bilinear'",
    );
  const len = assertInt('L', L, 1, SSM_MAX_LENGTH);
  if (!(C instanceof Matrix)) throw new InvalidArgumentError('C: expected an H×N Matrix');
  const N = A.rows;
  const H = C.rows;
  if (C.cols !== N) throw new ShapeError(`C: expected H×${N}, got ${H}×${C.cols}`);
  if (!(logDt instanceof Float64Array) || logDt.length !== H)
    throw new ShapeError(`logDt: expected a Float64Array of length H = ${H}`);
  assertFiniteArray('logDt', logDt);
  assertFiniteArray('B', B);
  const out = new Float64Array(H * len);
  const x = new Float64Array(N);
  const xn = new Float64Array(N);
  for (let h = 0; h < H; h++) {
    const { Abar, Bbar } = bilinearDense(A, B, Math.exp(logDt[h]!));
    const a = Abar.data as Float64Array;
    const c = C.rowArray(h);
    assertFiniteArray('C', c);
    x.set(Bbar);
    for (let l = 0; l < len; l++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += c[i]! * x[i]!;
      out[h * len + l] = s;
      gemmStrided(N, 1, N, 1, a, 0, N, 1, x, 0, 1, 1, 0, xn, 0, 1, 1);
      x.set(xn);
    }
  }
  return new Matrix(out, H, len);
}

/** Options of {@link hippoKernel}. */
export interface HippoKernelOptions {
  /** State size; default 64. */
  N?: number;
  /** Kernel length (required). */
  L: number;
  /** HiPPO measure; default `'legs'`. */
  measure?: HippoMeasure;
  /** Number of channels H; default 1. */
  channels?: number;
  /** Smallest step; default 0.001. */
  dtMin?: number;
  /** Largest step; default 0.1. */
  dtMax?: number;
  /** Seed of C and dt; default 0. */
  seed?: Seed;
}

/** Result of {@link hippoKernel}. */
export interface HippoKernelResult {
  /** H×L kernels. */
  K: Matrix;
  /** H×N real output vectors, standard normal. */
  C: Matrix;
  /** log dt, length H. */
  logDt: Float64Array;
}

/**
 * Kernels of the full (non-diagonal) HiPPO system (S4's state matrix before any
 * diagonalization), bilinear-discretized, by the dense recurrence ({@link denseKernel}):
 * C_h standard normal (real, length N), log dt log-uniform in [dtMin, dtMax] — drawn in
 * that order after log dt, from one stream of `seed` (log dt first, then C).
 *
 * @param options see {@link HippoKernelOptions}
 * @returns `{ K: H×L, C: H×N, logDt }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad N, L, channels or dt range
 * @example const { K } = hippoKernel({ N: 64, L: 4096 });
 */
export function hippoKernel(options: HippoKernelOptions): HippoKernelResult {
  const o = optionsObject('options', options);
  if (o.L === undefined) throw new InvalidArgumentError('options.L: the kernel length is required');
  const L = assertInt('options.L', o.L, 1, SSM_MAX_LENGTH);
  const H = assertInt('options.channels', o.channels ?? 1, 1, 1 << 20);
  const { A, B } = hippo(o.measure ?? 'legs', o.N ?? S4D_INIT_DEFAULTS.N);
  const N = B.length;
  const rng = Rng.from(o.seed ?? 0);
  const logDt = logUniformDt(
    H,
    o.dtMin ?? S4D_INIT_DEFAULTS.dtMin,
    o.dtMax ?? S4D_INIT_DEFAULTS.dtMax,
    rng,
  );
  const C = new Matrix(rng.fillNormal(new Float64Array(H * N)), H, N);
  return { K: denseKernel(A, B, C, logDt, L), C, logDt };
}
