import { NotConvergedError, ShapeError } from '../errors.js';
import { asMatrix, Matrix } from '../matrix.js';
import type { ComplexArray } from '../transforms/fft.js';
import { optionsObject } from '../validate.js';
import { _eigBalance, _eigUnbalance } from './_eigBalance.js';
import { _eigFrancis, _eigTuning } from './_eigFrancis.js';
import { _eigVectors } from './_eigVectors.js';
import { _hessReduce } from './_hessReduce.js';
import { _booleanOption, _copyMatrix, _maxAbs, _scaleIntoRange } from './_input.js';

/** Options of {@link eig}. */
export interface EigOptions {
  /** Compute the right eigenvectors; default true (`numpy.linalg.eig` always does). */
  vectors?: boolean;
  /**
   * Balance A before the QR iteration: a permutation isolating eigenvalues (a triangular
   * A, such as HiPPO-LegS, then gets its diagonal as eigenvalues exactly) and a diagonal
   * similarity of powers of two (LAPACK dgebal, JOB = 'B'); default true, as
   * `numpy.linalg.eig` (LAPACK dgeev).
   */
  balance?: boolean;
}

/** Result of {@link eig}: A·V = V·diag(λ). */
export interface EigResult {
  /**
   * The n eigenvalues λ = re + i·im in the order the QR iteration delivers them (as
   * LAPACK dgeev: no sorting); a complex-conjugate pair is adjacent, the one with
   * positive imaginary part first.
   */
  values: ComplexArray;
  /**
   * n×n complex matrix (two float64 row-major matrices) whose column j is the right
   * eigenvector of `values[j]`, of unit 2-norm with its entry of largest magnitude real
   * and positive; for a conjugate pair the second column is the conjugate of the first.
   * Null when `vectors: false`.
   */
  vectors: { re: Matrix; im: Matrix } | null;
  /** Number of Francis double-shift QR sweeps. */
  iterations: number;
}

/**
 * Eigen-decomposition of a general (non-symmetric) real square matrix, A·V = V·diag(λ).
 *
 * Algorithm (LAPACK dgeev's path): A is copied to float64, scaled into the safe range,
 * balanced by permutation and scaling (optional, LAPACK dgebal), reduced to upper Hessenberg form H = QᵀAQ by
 * Householder reflectors (Golub & Van Loan, *Matrix Computations*, 4th ed., Alg. 7.4.2),
 * and H is reduced to real Schur form T = ZᵀHZ by the Francis double-shift implicit QR
 * iteration with deflation (GvL Alg. 7.5.2, structured as LAPACK dlahqr: Ahues–Tisseur
 * deflation test, exceptional shifts, 2×2 blocks standardized as dlanv2). Eigenvectors of
 * T come from back-substitution (LAPACK dtrevc), are transformed back by Q·Z and the
 * balancing, and normalized. Backward stable: the eigenpairs are exact for A + ΔA with
 * ‖ΔA‖ ≈ ε‖A‖; eigenvalues themselves are only as accurate as their conditioning allows.
 * Cost ≈ 10n³ flops (about 25n³ with vectors); intended for n up to a few hundred.
 *
 * @param A real n×n matrix (any strides, float64 or float32; computed in float64)
 * @param options see {@link EigOptions}
 * @returns `{ values, vectors, iterations }`: `values.re`/`values.im` length n;
 *   `vectors.re`/`vectors.im` n×n or null
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` when A is not a Matrix (or 2-d
 *   Tensor) or an option has the wrong type
 * @throws {ShapeError} `SHAPE_MISMATCH` when A is not square
 * @throws {NonFiniteError} `NON_FINITE` when A holds NaN or ±Infinity
 * @throws {NotConvergedError} `NOT_CONVERGED` when an eigenvalue needs more than
 *   30·max(10, n) QR sweeps (LAPACK dlahqr's limit; not expected in practice)
 * @example
 * const { values, vectors } = eig(Matrix.from([[0, -1], [1, 0]]));
 * // values.re ≈ [0, 0], values.im ≈ [1, -1]
 * // vectors.re.col(0) ≈ [0.7071, 0], vectors.im.col(0) ≈ [0, -0.7071]
 */
export function eig(A: Matrix, options?: EigOptions): EigResult {
  const a = asMatrix('A', A);
  const opts = optionsObject('options', options);
  const wantVectors = _booleanOption('options.vectors', opts.vectors, true);
  const balance = _booleanOption('options.balance', opts.balance, true);
  if (a.rows !== a.cols) {
    throw new ShapeError(`A: expected a square matrix, got shape [${a.rows}, ${a.cols}]`);
  }
  const n = a.rows;
  const h = _copyMatrix('A', a, false);
  const sigma = _scaleIntoRange(h, n * n, _maxAbs(h, n * n));
  const bal = balance ? _eigBalance(h, n) : null;
  const z = _hessReduce(h, n);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  const iterations = _eigFrancis(h, n, z, wr, wi);
  if (iterations < 0) {
    throw new NotConvergedError(
      `eig: the QR iteration did not converge for eigenvalue ${-1 - iterations} within ` +
        `${_eigTuning.sweepFactor * Math.max(10, n)} sweeps`,
    );
  }
  let vectors: { re: Matrix; im: Matrix } | null = null;
  if (wantVectors) {
    // back-substitution on the scaled T with the scaled eigenvalues
    const vr = new Float64Array(n * n);
    const vi = new Float64Array(n * n);
    _eigVectors(h, z, n, wr, wi, vr, vi);
    if (bal) {
      _eigUnbalance(bal, vr, n, n);
      _eigUnbalance(bal, vi, n, n);
    }
    _normalizeComplexColumns(vr, vi, n);
    vectors = { re: new Matrix(vr, n, n), im: new Matrix(vi, n, n) };
  }
  if (sigma !== 1) {
    for (let i = 0; i < n; i++) {
      wr[i] = wr[i]! / sigma;
      wi[i] = wi[i]! / sigma;
    }
  }
  return { values: { re: wr, im: wi }, vectors, iterations };
}

/** Scales each column to unit 2-norm with its largest-magnitude entry real positive. */
function _normalizeComplexColumns(vr: Float64Array, vi: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let big = 0;
    for (let r = 0; r < n; r++) {
      big = Math.max(big, Math.abs(vr[r * n + j]!), Math.abs(vi[r * n + j]!));
    }
    if (big === 0) continue;
    let ss = 0;
    let best = -1;
    let pr = 0;
    let pi = 0;
    for (let r = 0; r < n; r++) {
      const x = vr[r * n + j]! / big;
      const y = vi[r * n + j]! / big;
      const m = x * x + y * y;
      ss += m;
      // ties go to the first index; a relative margin keeps conjugate columns consistent
      if (m > best * (1 + 1e-12)) {
        best = m;
        pr = x;
        pi = y;
      }
    }
    const norm = Math.sqrt(ss);
    const pm = Math.hypot(pr, pi);
    // multiply by conj(p)/|p| / (norm·big)
    const cr = pr / pm / (norm * big);
    const ci = -pi / pm / (norm * big);
    for (let r = 0; r < n; r++) {
      const x = vr[r * n + j]!;
      const y = vi[r * n + j]!;
      vr[r * n + j] = x * cr - y * ci;
      vi[r * n + j] = x * ci + y * cr;
    }
  }
}
