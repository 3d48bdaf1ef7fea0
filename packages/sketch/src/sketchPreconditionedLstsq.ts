import {
  assertInt,
  assertNumber,
  CsrMatrix,
  csrOperator,
  type FloatArray,
  InvalidArgumentError,
  type LinearOperator,
  type LsqrProgress,
  lsqr,
  type Matrix,
  matrixOperator,
  normFro,
  optionsObject,
  qr,
  type Seed,
  solveTriangular,
} from '@lr/core';
import { asSketchInput, asVector } from './_util.js';
import { makeSketch, type SketchChoice } from './makeSketch.js';

/** Options of {@link sketchPreconditionedLstsq}. */
export interface SketchPreconditionedLstsqOptions {
  /** The sketch family or a built operator; default `'gaussian'` (LSRN, Meng et al. 2014). */
  sketch?: SketchChoice;
  /** Oversampling γ: the sketch has m = ⌈γ·d⌉ rows; default 2 (LSRN's choice). */
  oversampling?: number;
  /** Tolerance for LSQR's `atol` and `btol`; default 1e-10. */
  tol?: number;
  /** LSQR iteration cap; default 100 + d (LSRN's bound is O(log(1/tol)) iterations). */
  maxIterations?: number;
  /** Seed (or an Rng) for a named sketch; default 0. */
  seed?: Seed;
  /** OSNAP nonzeros per column; default 4. */
  s?: number;
  /** Called after every LSQR iteration. */
  onProgress?: (info: LsqrProgress) => void;
  /** Aborts LSQR with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** Result of {@link sketchPreconditionedLstsq}. */
export interface SketchPreconditionedLstsqResult {
  /** The solution, length d. */
  x: Float64Array;
  /** LSQR iterations on the preconditioned operator A·R⁻¹. */
  iterations: number;
  /**
   * True when `relativeResidual` ≤ tol (the least-squares test), or when LSQR found A·x = b
   * within tol (istop 1 or 4, a consistent system).
   */
  converged: boolean;
  /** LSQR's stop code of the last run (see core's `LsqrResult.istop`). */
  istop: number;
  /** Warm restarts of LSQR after its own test passed but the check on A did not (≤ 3). */
  restarts: number;
  /** ‖A·x − b‖₂, recomputed. */
  residualNorm: number;
  /**
   * ‖Aᵀr‖₂ / (‖A‖_F·‖r‖₂) with r = b − A·x, recomputed from A (0 when r = 0): the
   * scaled normal-equation residual (LSQR's `atol` test, applied to A itself; LSRN's
   * stopping measure). Zero at the exact least-squares solution.
   */
  relativeResidual: number;
  /** LSQR's estimate of cond(A·R⁻¹) (Frobenius-based; near 1 means a good preconditioner). */
  conditionOfPreconditioned: number;
  /** Rows m of the sketch. */
  sketchRows: number;
  /** The d×d upper-triangular R from the QR of S·A (the preconditioner is R⁻¹). */
  R: Matrix;
}

/**
 * Sketch-preconditioned least squares (Blendenpik, Avron–Maymounkov–Toledo 2010; LSRN,
 * Meng–Saunders–Mahoney 2014): sketch S·A with m = γ·d rows, QR S·A = Q·R, then LSQR on
 * the well-conditioned A·R⁻¹ (core's `lsqr` with the right preconditioner R⁻¹), returning
 * x = R⁻¹·y. With a subspace-embedding sketch cond(A·R⁻¹) = O(1) whatever cond(A), so the
 * iteration count depends on log(1/tol) only. Cost: sketch + O(m·d²) QR + O(nnz(A)) per
 * iteration. Needs A of full column rank and m ≥ d. LSQR's own test is on A·R⁻¹, so the
 * solver re-checks the relative residual on A and warm-restarts LSQR (up to 3 times)
 * while it exceeds `tol`.
 *
 * Defaults: `sketch` `'gaussian'`, `oversampling` 2, `tol` 1e-10, `maxIterations` 100 + d.
 *
 * @param A n×d matrix (dense or CSR), n ≥ d, full column rank
 * @param b right-hand side, length n
 * @param options see {@link SketchPreconditionedLstsqOptions}
 * @returns `{ x, iterations, converged, istop, restarts, residualNorm, relativeResidual, conditionOfPreconditioned, sketchRows, R }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options, or if S·A is rank deficient
 * @throws {ShapeError} `SHAPE_MISMATCH` if b does not fit A
 * @throws {NonFiniteError} `NON_FINITE` if A or b holds NaN or ±∞
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { randn } from '@lr/core';
 * import { sketchPreconditionedLstsq } from '@lr/sketch';
 * const A = randn(2000, 20, { seed: 1 });
 * const b = randn(2000, 1, { seed: 2 }).data as Float64Array;
 * const { x, iterations, relativeResidual } = sketchPreconditionedLstsq(A, b, { seed: 3 });
 * // iterations ≈ 30, relativeResidual < 1e-10
 */
export function sketchPreconditionedLstsq(
  A: Matrix | CsrMatrix,
  b: Float64Array,
  options?: SketchPreconditionedLstsqOptions,
): SketchPreconditionedLstsqResult {
  const opts = optionsObject('options', options);
  const a = asSketchInput('A', A);
  const n = a.rows;
  const d = a.cols;
  const bv = asVector('b', b, n);
  const gamma = assertNumber('options.oversampling', opts.oversampling ?? 2, 1);
  const tol = assertNumber('options.tol', opts.tol ?? 1e-10, 0, 1);
  const maxIterations = assertInt('options.maxIterations', opts.maxIterations ?? 100 + d, 1);
  const choice = opts.sketch ?? 'gaussian';
  const m = typeof choice === 'object' ? choice.rows : Math.ceil(gamma * d);
  if (m < d) {
    throw new InvalidArgumentError(`sketch: expected at least d = ${d} rows, got ${m}`);
  }
  const S = makeSketch(choice, m, n, { seed: opts.seed, s: opts.s });
  const { R } = qr(S.apply(a), { mode: 'r' });
  const rmax = Math.max(...Array.from(R.diagonal(), Math.abs));
  for (let j = 0; j < d; j++) {
    if (!(Math.abs(R.get(j, j)) > rmax * 1e-15 * Math.max(m, d))) {
      throw new InvalidArgumentError(
        `A: S·A is numerically rank deficient (|R[${j},${j}]| = ${Math.abs(R.get(j, j))}); A needs full column rank`,
      );
    }
  }
  const P: LinearOperator = {
    rows: d,
    cols: d,
    matvec: (y: FloatArray) => solveTriangular(R, Float64Array.from(y)),
    rmatvec: (y: FloatArray) => solveTriangular(R, Float64Array.from(y), { transpose: true }),
  };
  const op = a instanceof CsrMatrix ? csrOperator(a) : matrixOperator(a);
  const fro = frobenius(a);
  // LSQR's stopping test bounds ‖(AR⁻¹)ᵀr‖/(‖AR⁻¹‖_F‖r‖), not the same ratio for A: after
  // it stops, recompute the ratio on A and restart LSQR from the current x while it is
  // above tol (at most `maxRestarts` times, within the same iteration budget).
  let x: Float64Array | undefined;
  let iterations = 0;
  let restarts = 0;
  let istop = 7;
  let acond = Number.NaN;
  let check = { rnorm: 0, rel: 0 };
  for (;;) {
    const res = lsqr(op, bv, {
      atol: tol,
      btol: tol,
      conlim: 0,
      maxIterations: maxIterations - iterations,
      preconditioner: P,
      x0: x,
      onProgress: opts.onProgress,
      signal: opts.signal,
    });
    x = res.x;
    iterations += res.iterations;
    istop = res.istop;
    if (restarts === 0) acond = res.acond;
    check = residualCheck(op, bv, x, fro);
    if (check.rel <= tol || iterations >= maxIterations || restarts >= MAX_RESTARTS) break;
    if (res.iterations === 0) break;
    restarts++;
  }
  return {
    x,
    iterations,
    converged: check.rel <= tol || istop === 1 || istop === 4 || (istop === 0 && iterations === 0),
    istop,
    restarts,
    residualNorm: check.rnorm,
    relativeResidual: check.rel,
    conditionOfPreconditioned: acond,
    sketchRows: S.rows,
    R,
  };
}

const MAX_RESTARTS = 3;

function residualCheck(
  op: LinearOperator,
  b: Float64Array,
  x: Float64Array,
  fro: number,
): { rnorm: number; rel: number } {
  const Ax = op.matvec(x);
  const r = new Float64Array(b.length);
  let rr = 0;
  for (let i = 0; i < b.length; i++) {
    r[i] = b[i]! - Ax[i]!;
    rr += r[i]! * r[i]!;
  }
  const Atr = op.rmatvec(r);
  let atr = 0;
  for (let j = 0; j < Atr.length; j++) atr += Atr[j]! * Atr[j]!;
  const rnorm = Math.sqrt(rr);
  return { rnorm, rel: rnorm === 0 || fro === 0 ? 0 : Math.sqrt(atr) / (fro * rnorm) };
}

function frobenius(a: Matrix | CsrMatrix): number {
  if (!(a instanceof CsrMatrix)) return normFro(a);
  let s = 0;
  for (let p = 0; p < a.nnz; p++) s += a.values[p]! * a.values[p]!;
  return Math.sqrt(s);
}
