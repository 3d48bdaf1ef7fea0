import {
  assertFiniteArray,
  assertInt,
  describe,
  gemvStrided,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
  zeros,
} from '@lr/core';
import { assertBool, orDefault } from './_args.js';

/**
 * A linear measurement operator A: ℝ^{n1×n2} → ℝ^m, A(X)_i = ⟨A_i, X⟩, and its adjoint
 * A*(r) = Σ_i r_i·A_i. Built by {@link gaussianMeasurements} or {@link entryMeasurements}.
 */
export interface MeasurementOperator {
  /** Number of measurements m. */
  readonly count: number;
  /** Rows of X. */
  readonly n1: number;
  /** Columns of X. */
  readonly n2: number;
  /** Whether every A_i is symmetric (then A*(r) is symmetric). */
  readonly symmetric: boolean;
  /** A(X), length m. */
  apply(X: Matrix): Float64Array;
  /** A*(r) = Σ r_i A_i, n1×n2. */
  adjoint(r: Float64Array): Matrix;
}

function checkX(X: Matrix, n1: number, n2: number): Matrix {
  if (!(X instanceof Matrix))
    throw new InvalidArgumentError(`X: expected a Matrix, got ${describe(X)}`);
  if (X.rows !== n1 || X.cols !== n2)
    throw new ShapeError(`X: expected ${n1}×${n2}, got ${X.rows}×${X.cols}`);
  return X.contiguous();
}

function checkR(r: Float64Array, m: number): Float64Array {
  if (!(r instanceof Float64Array) || r.length !== m) {
    throw new InvalidArgumentError(`r: expected a Float64Array of length ${m}, got ${describe(r)}`);
  }
  return r;
}

/** Options of {@link gaussianMeasurements}. */
export interface GaussianMeasurementsOptions {
  /**
   * Symmetric A_i = (G_i + G_iᵀ)/2 off the diagonal, G_i on it (needs n1 = n2), so that
   * E‖A(X)‖² = ‖X‖²_F for symmetric X — the symmetric sensing model of #9; default false.
   */
  symmetric?: boolean;
  /** Seed of the Gaussian entries; default 0. */
  seed?: Seed;
}

/**
 * Gaussian measurements: A_i has i.i.d. N(0, 1/m) entries (or the symmetric version, see
 * `symmetric`), so E‖A(X)‖² = ‖X‖²_F and A satisfies the restricted
 * isometry property w.h.p. once m ≳ (n1 + n2)·r — the near-isotropic measurements of #2 and #9.
 * Stored densely (m·n1·n2 numbers); apply and adjoint are one GEMV each.
 *
 * @param m number of measurements ≥ 1
 * @param n1 rows of the unknown matrix
 * @param n2 columns of the unknown matrix
 * @param options see {@link GaussianMeasurementsOptions}
 * @returns a {@link MeasurementOperator}
 * @throws {InvalidArgumentError} for bad sizes, or `symmetric` with n1 ≠ n2
 * @example
 * const A = gaussianMeasurements(200, 10, 10, { seed: 1 });
 * const y = A.apply(randn(10, 10)); // 200 measurements
 */
export function gaussianMeasurements(
  m: number,
  n1: number,
  n2: number,
  options?: GaussianMeasurementsOptions,
): MeasurementOperator {
  assertInt('m', m, 1);
  assertInt('n1', n1, 1);
  assertInt('n2', n2, 1);
  const opts = optionsObject('options', options);
  const defaults = { symmetric: false, seed: 0 };
  const symmetric = assertBool('options.symmetric', orDefault(opts.symmetric, defaults.symmetric));
  if (symmetric && n1 !== n2) {
    throw new InvalidArgumentError(`options.symmetric: needs n1 = n2, got ${n1}×${n2}`);
  }
  const N = n1 * n2;
  if (m * N > 2 ** 28) {
    throw new InvalidArgumentError(
      `m·n1·n2 = ${m * N} is too large for dense Gaussian measurements (max 2^28)`,
    );
  }
  const rng = Rng.from(orDefault(opts.seed, defaults.seed));
  const A = new Float64Array(m * N);
  rng.fillNormal(A, 0, 1 / Math.sqrt(m));
  if (symmetric) {
    for (let i = 0; i < m; i++) {
      const o = i * N;
      for (let a = 0; a < n1; a++)
        for (let b = a + 1; b < n1; b++) {
          const s = (A[o + a * n1 + b]! + A[o + b * n1 + a]!) / 2;
          A[o + a * n1 + b] = s;
          A[o + b * n1 + a] = s;
        }
    }
  }
  return {
    count: m,
    n1,
    n2,
    symmetric,
    apply(X) {
      const x = checkX(X, n1, n2);
      const y = new Float64Array(m);
      gemvStrided(m, N, 1, A, 0, N, 1, x.data, x.offset, 1, 0, y, 0, 1);
      return y;
    },
    adjoint(r) {
      const rr = checkR(r, m);
      const out = zeros(n1, n2);
      gemvStrided(N, m, 1, A, 0, 1, N, rr, 0, 1, 0, out.data, 0, 1);
      return out;
    },
  };
}

/** Options of {@link entryMeasurements}. */
export interface EntryMeasurementsOptions {
  /** Seed of the sampled positions; default 0. */
  seed?: Seed;
}

/**
 * Entry sampling as a measurement operator (matrix completion as sensing): m distinct
 * positions (i_k, j_k) drawn uniformly without replacement, A(X)_k = √(n1·n2/m)·X[i_k, j_k]
 * (scaled so that E‖A(X)‖² = ‖X‖²_F, like {@link gaussianMeasurements}).
 *
 * @param m number of sampled entries, 1 ≤ m ≤ n1·n2
 * @param n1 rows
 * @param n2 columns
 * @param options see {@link EntryMeasurementsOptions}
 * @returns a {@link MeasurementOperator} (not symmetric)
 * @throws {InvalidArgumentError} for bad sizes
 * @example
 * const A = entryMeasurements(50, 10, 10, { seed: 2 });
 */
export function entryMeasurements(
  m: number,
  n1: number,
  n2: number,
  options?: EntryMeasurementsOptions,
): MeasurementOperator {
  assertInt('n1', n1, 1);
  assertInt('n2', n2, 1);
  assertInt('m', m, 1, n1 * n2);
  const opts = optionsObject('options', options);
  const pos = Rng.from(orDefault(opts.seed, 0))
    .permutation(n1 * n2)
    .slice(0, m);
  const scale = Math.sqrt((n1 * n2) / m);
  return {
    count: m,
    n1,
    n2,
    symmetric: false,
    apply(X) {
      const x = checkX(X, n1, n2);
      const y = new Float64Array(m);
      for (let k = 0; k < m; k++) y[k] = scale * x.data[x.offset + pos[k]!]!;
      return y;
    },
    adjoint(r) {
      const rr = checkR(r, m);
      const out = zeros(n1, n2);
      for (let k = 0; k < m; k++) out.data[pos[k]!] = out.data[pos[k]!]! + scale * rr[k]!;
      return out;
    },
  };
}

/** Internal: checks that `value` is a MeasurementOperator and y its right length. */
export function checkMeasurements(
  A: unknown,
  y: unknown,
): { A: MeasurementOperator; y: Float64Array } {
  const a = A as MeasurementOperator;
  if (
    typeof a !== 'object' ||
    a === null ||
    typeof a.apply !== 'function' ||
    typeof a.adjoint !== 'function' ||
    !Number.isInteger(a.count)
  ) {
    throw new InvalidArgumentError(
      `measurements: expected a MeasurementOperator, got ${describe(A)}`,
    );
  }
  if (!(y instanceof Float64Array) || y.length !== a.count) {
    throw new InvalidArgumentError(
      `y: expected a Float64Array of length ${a.count}, got ${describe(y)}`,
    );
  }
  assertFiniteArray('y', y);
  return { A: a, y };
}
