import { InvalidArgumentError, ShapeError } from '../errors.js';
import { axpyStrided, dotStrided, norm2 } from '../kernels/blas1.js';
import type { Matrix } from '../matrix.js';
import type { LinearOperator } from '../operator.js';
import {
  assertFiniteArray,
  assertInt,
  assertNumber,
  checkAbort,
  describe,
  optionsObject,
} from '../validate.js';
import { functionArg, orDefault, resolveOperator, signalArg, vectorArg } from './_shared.js';

/** What {@link cg} reports to `onProgress` after each iteration. */
export interface CgProgress {
  /** Iterations done so far (1-based). */
  iteration: number;
  /** Current residual norm ‖r_k‖. */
  residualNorm: number;
}

/** Options of {@link cg}. Defaults follow `scipy.sparse.linalg.cg`. */
export interface CgOptions {
  /** Starting guess, length n; default the zero vector. */
  x0?: Float64Array;
  /** Relative tolerance: stop when ‖r‖ ≤ max(rtol·‖b‖, atol); default 1e-5 (scipy). */
  rtol?: number;
  /** Absolute tolerance; default 0 (scipy). */
  atol?: number;
  /** Iteration cap; default 10·n (scipy `maxiter`). */
  maxIterations?: number;
  /**
   * Symmetric positive definite preconditioner as a function r ↦ M⁻¹·r returning a new
   * array of length n (scipy's `M`); default none (M = I).
   */
  preconditioner?: (r: Float64Array) => Float64Array;
  /** Called after every iteration. */
  onProgress?: (info: CgProgress) => void;
  /** Stops the iteration with an `ABORTED` error when it fires (checked every iteration). */
  signal?: AbortSignal;
}

/** Result of {@link cg}. */
export interface CgResult {
  /** The approximate solution, length n. */
  x: Float64Array;
  /** Iterations performed (matrix–vector products after the initial residual). */
  iterations: number;
  /** True when ‖r‖ ≤ max(rtol·‖b‖, atol) was reached before the iteration cap. */
  converged: boolean;
  /** Final recursively updated residual norm ‖r_k‖ (= ‖b − A·x‖ in exact arithmetic). */
  residualNorm: number;
  /** ‖r_k‖ for k = 0…iterations (history[0] is the initial residual). */
  history: number[];
}

/**
 * Solves A·x = b for a symmetric positive definite A by (preconditioned) conjugate
 * gradients (Hestenes & Stiefel 1952; the preconditioned form is Saad 2003, Alg. 9.1).
 * Stops when ‖b − A·x‖ ≤ max(rtol·‖b‖, atol), as `scipy.sparse.linalg.cg` does; reaching
 * `maxIterations` first returns `converged: false` (it never stops silently).
 *
 * Defaults (scipy.sparse.linalg.cg): `rtol` 1e-5, `atol` 0, `maxIterations` 10·n,
 * `x0` zeros, no preconditioner.
 *
 * @param A n×n SPD matrix (any strided view) or a {@link LinearOperator} (only `matvec` is used)
 * @param b right-hand side, length n
 * @param options see {@link CgOptions}
 * @returns `{ x (length n), iterations, converged, residualNorm, history }`
 * @throws {ShapeError} `SHAPE_MISMATCH` if A is not square or b / x0 / M⁻¹r have the wrong length
 * @throws {NonFiniteError} `NON_FINITE` if A, b or x0 hold NaN/±∞, or a product returns them
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options, or when a direction
 *   of non-positive curvature (pᵀAp ≤ 0) shows that A (or rᵀM⁻¹r ≤ 0: the preconditioner)
 *   is not positive definite
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * const A = Matrix.from([[4, 1], [1, 3]]);
 * const { x, converged } = cg(A, new Float64Array([1, 2]), { rtol: 1e-10 });
 * // x ≈ [1/11, 7/11]
 */
export function cg(A: Matrix | LinearOperator, b: Float64Array, options?: CgOptions): CgResult {
  const { op } = resolveOperator('A', A);
  if (op.rows !== op.cols)
    throw new ShapeError(`A: expected a square matrix, got ${op.rows}×${op.cols}`);
  const n = op.rows;
  const bb = vectorArg('b', b, n);
  const opts = optionsObject('options', options);
  const defaults = { rtol: 1e-5, atol: 0, maxIterations: 10 * n };
  const rtol = assertNumber('options.rtol', orDefault(opts.rtol, defaults.rtol), 0);
  const atol = assertNumber('options.atol', orDefault(opts.atol, defaults.atol), 0);
  const maxIterations = assertInt(
    'options.maxIterations',
    orDefault(opts.maxIterations, defaults.maxIterations),
  );
  const x = opts.x0 === undefined ? new Float64Array(n) : vectorArg('options.x0', opts.x0, n);
  const precond = functionArg('options.preconditioner', opts.preconditioner);
  const onProgress = functionArg('options.onProgress', opts.onProgress);
  const signal = signalArg('options.signal', opts.signal);
  checkAbort(signal);
  return cgKernel(op, bb, x, rtol, atol, maxIterations, precond, onProgress, signal);
}

// Assumes validated input; `x` is a fresh array and is updated in place.
function cgKernel(
  op: LinearOperator,
  b: Float64Array,
  x: Float64Array,
  rtol: number,
  atol: number,
  maxIterations: number,
  precond: ((r: Float64Array) => Float64Array) | undefined,
  onProgress: ((info: CgProgress) => void) | undefined,
  signal: AbortSignal | undefined,
): CgResult {
  const n = b.length;
  const target = Math.max(atol, rtol * norm2(b));
  // r = b − A·x0 (skip the product for the zero start)
  const r = Float64Array.from(b);
  if (x.some((v) => v !== 0)) axpyStrided(n, -1, op.matvec(x), 0, 1, r, 0, 1);
  let rnorm = norm2(r);
  const history = [rnorm];
  if (rnorm <= target) return { x, iterations: 0, converged: true, residualNorm: rnorm, history };

  const applyM = (v: Float64Array): Float64Array => {
    if (!precond) return v;
    const z: unknown = precond(Float64Array.from(v));
    if (!(z instanceof Float64Array || z instanceof Float32Array)) {
      throw new InvalidArgumentError(
        `options.preconditioner: expected it to return a Float64Array, got ${describe(z)}`,
      );
    }
    if (z.length !== n)
      throw new ShapeError(
        `options.preconditioner: expected a result of length ${n}, got ${z.length}`,
      );
    assertFiniteArray('options.preconditioner result', z);
    return z instanceof Float64Array ? z : Float64Array.from(z);
  };

  const p = new Float64Array(n);
  let rhoPrev = 0;
  let it = 0;
  let converged = false;
  while (it < maxIterations) {
    checkAbort(signal);
    const z = applyM(r);
    const rho = dotStrided(n, r, 0, 1, z, 0, 1);
    if (!(rho > 0)) {
      // without a preconditioner rho = ‖r‖² > 0 unless it underflowed: stop, unconverged
      if (!precond) break;
      throw new InvalidArgumentError(
        `options.preconditioner: expected a positive definite M⁻¹, got rᵀM⁻¹r = ${rho} at iteration ${it + 1}`,
      );
    }
    if (it === 0) p.set(z);
    else {
      const beta = rho / rhoPrev;
      for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
    }
    const q = op.matvec(p);
    const pq = dotStrided(n, p, 0, 1, q, 0, 1);
    if (!(pq > 0)) {
      throw new InvalidArgumentError(
        `A: expected a symmetric positive definite matrix, got pᵀAp = ${pq} at iteration ${it + 1}`,
      );
    }
    const alpha = rho / pq;
    axpyStrided(n, alpha, p, 0, 1, x, 0, 1);
    axpyStrided(n, -alpha, q, 0, 1, r, 0, 1);
    rhoPrev = rho;
    it++;
    rnorm = norm2(r);
    history.push(rnorm);
    onProgress?.({ iteration: it, residualNorm: rnorm });
    if (rnorm <= target) {
      converged = true;
      break;
    }
  }
  return { x, iterations: it, converged, residualNorm: rnorm, history };
}
