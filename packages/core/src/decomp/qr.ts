import { EPS } from '../dtype.js';
import { copy2d } from '../kernels/_copy2d.js';
import { arenaMark, arenaRelease, workArray } from '../kernels/_wasmArena.js';
import type { Matrix } from '../matrix.js';
import { assertNumber, assertOneOf, optionsObject } from '../validate.js';
import { geqp3, geqrf, orgqr } from './_qr.js';
import { finiteMatrix, fromColMajor, optionalBoolean } from './_work.js';

/** What {@link qr} returns: `'reduced'` (default), `'complete'` or `'r'` (R only). */
export type QrMode = 'reduced' | 'complete' | 'r';

/** Options of {@link qr}. */
export interface QrOptions {
  /**
   * `'reduced'` (default, numpy's default): Q m×k, R k×n with k = min(m, n).
   * `'complete'`: Q m×m, R m×n. `'r'`: R k×n only, Q is `null` (cheapest).
   */
  mode?: QrMode;
  /**
   * Column pivoting (Businger–Golub), default `false`. Then A[:, perm] = Q·R and
   * |R₀₀| ≥ |R₁₁| ≥ …, which reveals the numerical rank.
   */
  pivoting?: boolean;
  /**
   * Threshold for {@link QrResult.rank}: the number of |R_ii| above it. Default
   * max(m, n)·ε·|R₀₀| (the rule of numpy's `matrix_rank` and LAPACK's dgelsy-style rank
   * decisions, with ε = 2⁻⁵²).
   */
  tolerance?: number;
}

/** Result of {@link qr}. All matrices are fresh, row-major, float64. */
export interface QrResult {
  /** m×k (`'reduced'`), m×m (`'complete'`) with orthonormal columns; `null` for `'r'`. */
  Q: Matrix | null;
  /** k×n (`'reduced'`, `'r'`) or m×n (`'complete'`), upper triangular / trapezoidal. */
  R: Matrix;
  /** With pivoting: column j of Q·R is column perm[j] of A. `null` without pivoting. */
  perm: Int32Array | null;
  /**
   * Number of |R_ii| greater than the tolerance. With pivoting this is the numerical rank;
   * without pivoting the |R_ii| are not ordered, so it is only a hint (it equals min(m, n)
   * for a well-conditioned full-rank A and 0 for A = 0).
   */
  rank: number;
}

/**
 * Householder QR factorization A = Q·R (or A[:, perm] = Q·R with column pivoting).
 *
 * Without pivoting: blocked compact-WY Householder QR (Golub & Van Loan 4th ed.,
 * Alg. 5.2.1 for panels, §5.2.3 / Alg. 5.2.2 for the block update through GEMM, LAPACK
 * dgeqrf + dorgqr). With pivoting: Businger–Golub column pivoting (GvL Alg. 5.4.1) with
 * LAPACK dlaqp2's safeguarded norm downdates. Backward stable: ‖A − Q·R‖ = O(ε‖A‖).
 * The input is copied (never mutated); any dtype or strides are accepted and the result
 * is float64. The signs follow LAPACK (R_ii may be negative).
 *
 * @param A m×n matrix (any strides: transposed and sliced views are fine)
 * @param options see {@link QrOptions}
 * @returns `{ Q, R, perm, rank }`: Q m×k / m×m / null, R k×n / m×n, perm of length n or null
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if A is not a Matrix or an option is bad
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN or ±Infinity
 * @example
 * const { Q, R } = qr(matrix([[1, 2], [3, 4], [5, 6]])); // Q 3×2, R 2×2
 * const { rank, perm } = qr(A, { pivoting: true, mode: 'r' });
 */
export function qr(A: Matrix, options?: QrOptions): QrResult {
  const opts = optionsObject('options', options);
  const mode = assertOneOf('options.mode', opts.mode ?? 'reduced', [
    'reduced',
    'complete',
    'r',
  ] as const);
  const pivoting = optionalBoolean('options.pivoting', opts.pivoting, false);
  const userTol =
    opts.tolerance === undefined ? undefined : assertNumber('options.tolerance', opts.tolerance, 0);
  const a = finiteMatrix('A', A);
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);

  // The work matrix lives in wasm memory where it can (kernels/_wasmArena.ts), so that the
  // blocked updates run on it in place; R and Q are copied out before it is released.
  const mark = arenaMark();
  try {
    const w = workArray(m * n, false);
    copy2d(m, n, a.data, a.offset, a.rowStride, a.colStride, w, 0, 1, m);
    const tau = new Float64Array(k);
    let perm: Int32Array | null = null;
    if (pivoting) {
      perm = new Int32Array(n);
      geqp3(w, m, n, tau, perm);
    } else {
      geqrf(w, m, n, tau);
    }

    const rRows = mode === 'complete' ? m : k;
    const R = fromColMajor(w, m, rRows, n);
    const rd = R.data;
    for (let i = 1; i < rRows; i++) {
      for (let j = 0; j < Math.min(i, n); j++) rd[i * n + j] = 0;
    }

    let rank = 0;
    if (k > 0) {
      const tol = userTol ?? Math.max(m, n) * EPS.float64 * Math.abs(rd[0]!);
      for (let i = 0; i < k; i++) if (Math.abs(rd[i * n + i]!) > tol) rank++;
    }

    let Q: Matrix | null = null;
    if (mode !== 'r') {
      const nq = mode === 'complete' ? m : k;
      Q = fromColMajor(orgqr(w, m, k, tau, nq, true), m, m, nq);
    }
    return { Q, R, perm, rank };
  } finally {
    arenaRelease(mark);
  }
}
