import { InvalidArgumentError, NonFiniteError } from '../errors.js';
import { norm2 } from '../kernels/blas1.js';
import { asMatrix, type Matrix } from '../matrix.js';
import { isLinearOperator, type LinearOperator, matrixOperator } from '../operator.js';
import { Rng, type Seed } from '../rng.js';
import { CsrMatrix } from '../sparse/csr.js';
import { csrOperator } from '../sparse/csrOperator.js';
import { Tensor } from '../tensor.js';
import { assertInt, assertNumber, checkAbort, describe, optionsObject } from '../validate.js';
import { allFinite } from './allFinite.js';

/** Options of {@link normSpectralEstimate}. */
export interface NormSpectralEstimateOptions {
  /** Stop when the estimate changes by at most tol·estimate between iterations; default 1e-6. */
  tol?: number;
  /** Iteration cap (each iteration is one product with A and one with Aᵀ); default 100. */
  maxIterations?: number;
  /** Seed of the random start vector; default 0. */
  seed?: Seed;
  /** Stops the iteration with an `ABORTED` error when it fires. */
  signal?: AbortSignal;
}

/** Result of {@link normSpectralEstimate}. */
export interface NormSpectralEstimateResult {
  /** Estimate of ‖A‖₂ = σ_max(A); a lower bound, exact up to the iteration's convergence. */
  value: number;
  /** Iterations run. */
  iterations: number;
  /** Whether the relative change fell below `tol` before `maxIterations`. */
  converged: boolean;
  /** Unit-norm estimate of the top right singular vector (length cols). */
  vector: Float64Array;
  /** The estimate after each iteration. */
  history: number[];
}

/**
 * Estimates the spectral norm ‖A‖₂ (largest singular value) by power iteration on AᵀA
 * (Golub & Van Loan, Matrix Computations, 4th ed., §8.2.1), touching A only through
 * products, so it works for dense, sparse and matrix-free operators. Each iteration
 * forms u = A·v, w = Aᵀ·u and takes σ ≈ ‖w‖/‖u‖, which lies between ‖A·v‖ and σ_max;
 * the error shrinks like (σ₂/σ₁)^(2k). Not converging is reported in the result, not
 * thrown.
 *
 * @param A a Matrix (or 2-d tensor), CsrMatrix or LinearOperator
 * @param options see {@link NormSpectralEstimateOptions}
 * @returns `{ value, iterations, converged, vector, history }`; value 0 for an empty or zero matrix
 * @throws {InvalidArgumentError} on a bad A or option
 * @throws {NonFiniteError} if the matrix holds NaN/±Infinity, or the operator produces them
 * @throws {AbortedError} if `signal` fires
 * @example
 * const { value } = normSpectralEstimate(A, { tol: 1e-10 });
 */
export function normSpectralEstimate(
  A: Matrix | LinearOperator | CsrMatrix,
  options?: NormSpectralEstimateOptions,
): NormSpectralEstimateResult {
  const opts = optionsObject('options', options);
  const tol = assertNumber('tol', opts.tol ?? 1e-6, 0);
  const maxIterations = assertInt('maxIterations', opts.maxIterations ?? 100, 1);
  const signal = opts.signal;
  let op: LinearOperator;
  if (A instanceof Tensor) {
    const a = asMatrix('A', A);
    if (!allFinite(a)) throw new NonFiniteError('A: expected finite values, found NaN or Infinity');
    op = matrixOperator(a);
  } else if (A instanceof CsrMatrix) {
    if (!allFiniteArray(A.values))
      throw new NonFiniteError('A: expected finite values, found NaN or Infinity');
    op = csrOperator(A);
  } else if (isLinearOperator(A)) {
    assertInt('A.rows', A.rows);
    assertInt('A.cols', A.cols);
    op = A;
  } else {
    throw new InvalidArgumentError(
      `A: expected a Matrix, CsrMatrix or LinearOperator, got ${describe(A)}`,
    );
  }
  const rng = Rng.from(opts.seed);
  const n = op.cols;
  const history: number[] = [];
  let v: Float64Array = new Float64Array(n);
  if (op.rows === 0 || n === 0)
    return { value: 0, iterations: 0, converged: true, vector: v, history };
  rng.fillNormal(v);
  scaleInPlace(v, 1 / norm2(v));
  let prev = 0;
  let value = 0;
  for (let it = 1; it <= maxIterations; it++) {
    checkAbort(signal);
    const u = op.matvec(v);
    const nu = norm2(u);
    if (!Number.isFinite(nu))
      throw new NonFiniteError(`A: the product A·v is not finite at iteration ${it}`);
    if (nu === 0) {
      // A·v = 0 for a random v (probability 0 unless A = 0 on almost all of its domain)
      history.push(0);
      return { value: 0, iterations: it, converged: true, vector: v, history };
    }
    const w = op.rmatvec(u);
    const nw = norm2(w);
    if (!Number.isFinite(nw))
      throw new NonFiniteError(`A: the product Aᵀ·u is not finite at iteration ${it}`);
    value = nw === 0 ? nu : nw / nu;
    history.push(value);
    if (nw > 0) {
      v = w;
      scaleInPlace(v, 1 / nw);
    }
    if (Math.abs(value - prev) <= tol * value) {
      return { value, iterations: it, converged: true, vector: v, history };
    }
    prev = value;
  }
  return { value, iterations: maxIterations, converged: false, vector: v, history };
}

function scaleInPlace(x: Float64Array, s: number): void {
  for (let i = 0; i < x.length; i++) x[i]! *= s;
}

function allFiniteArray(x: Float64Array): boolean {
  let acc = 0;
  for (let i = 0; i < x.length; i++) acc += x[i]! - x[i]!;
  return acc === 0;
}
