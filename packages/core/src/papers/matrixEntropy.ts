import { InvalidArgumentError } from '../errors.js';
import { matmul } from '../kernels/gemm.js';
import type { Matrix } from '../matrix.js';
import { eigh } from '../spectral/eigh.js';
import { assertNumber, describe, optionsObject } from '../validate.js';
import { _finiteMatrix, _standardizeRows } from './_input.js';

/** Options of {@link matrixEntropy}. */
export interface MatrixEntropyOptions {
  /**
   * First apply the response-matrix preprocessing of Wei et al. (2024) and Li et al. (2024):
   * centre every column (subtract the column means), then scale every row to unit L2 norm.
   * Default false (use A as given).
   */
  standardize?: boolean;
  /**
   * Divide by log(n), n = A.cols, the entropy of the maximally mixed n×n state ρ = I/n, as
   * the reference implementation of the Matrix Nuclear-Norm paper does (its Gram matrix is
   * the d×d feature covariance); the result is then in [0, 1] and independent of `base`.
   * Default false. (For n = 1 the normalized entropy is defined as 0.)
   */
  normalize?: boolean;
  /** Logarithm base: e (default, nats), 2 (bits), …; any finite number > 0 other than 1. */
  base?: number;
}

/**
 * Matrix entropy: the von Neumann entropy of the trace-normalized Gram matrix of A,
 *
 *   ρ = K / tr K,  K = AᵀA (or AAᵀ, the same non-zero eigenvalues),  H(A) = −Σ_i λ_i·log λ_i
 *
 * over the positive eigenvalues λ_i of ρ (they are σ_i²/Σσ_j², the normalized squared
 * singular values of A), as used to evaluate language models by Wei et al., "Large Language
 * Model Evaluation via Matrix Entropy" (2024) and as the baseline that Li et al., "Large
 * Language Model Evaluation via Matrix Nuclear-Norm" (2024) replace by
 * {@link matrixNuclearNorm}. H ranges over [0, log rank(A)]: 0 for rank one, log r when the r
 * non-zero singular values are equal. The smaller Gram matrix (min(m, n) square) is formed
 * with one GEMM and diagonalized by {@link eigh}: O(mn·min(m, n) + min(m, n)³) — the
 * cubic cost the Matrix Nuclear-Norm avoids. Eigenvalues ≤ 0 (rounding) are skipped; the
 * rounding-level ones that remain contribute at most about n·ε·|log ε|.
 *
 * @param A m×n matrix, not all zero (any strides; not modified)
 * @param options see {@link MatrixEntropyOptions}
 * @returns H(A) in units of log `base` (or H/log n when `normalize`)
 * @throws {InvalidArgumentError} if `A` is not a Matrix, is zero or empty (tr K = 0: ρ undefined), or an option is invalid
 * @throws {NonFiniteError} if `A` holds NaN or ±Infinity
 * @example
 * matrixEntropy(eye(4));                      // log 4 ≈ 1.3863 (four equal singular values)
 * matrixEntropy(eye(4), { normalize: true }); // 1
 */
export function matrixEntropy(A: Matrix, options?: MatrixEntropyOptions): number {
  const a0 = _finiteMatrix('A', A);
  const opts = optionsObject('options', options);
  for (const key of ['standardize', 'normalize'] as const) {
    const v = opts[key];
    if (v !== undefined && typeof v !== 'boolean') {
      throw new InvalidArgumentError(`options.${key}: expected true or false, got ${describe(v)}`);
    }
  }
  const base =
    opts.base === undefined ? Math.E : assertNumber('options.base', opts.base, Number.MIN_VALUE);
  if (base === 1)
    throw new InvalidArgumentError('options.base: expected a positive number other than 1, got 1');
  const a = opts.standardize === true ? _standardizeRows(a0) : a0;
  const m = a.rows;
  const n = a.cols;
  const K = m <= n ? matmul(a, a.T) : matmul(a.T, a);
  const { values } = eigh(K, { valuesOnly: true });
  let trace = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > 0) trace += values[i]!;
  if (!(trace > 0)) {
    throw new InvalidArgumentError(
      `A: expected a non-zero matrix (the trace of its Gram matrix is ${trace}, so ρ = K/tr K is undefined)`,
    );
  }
  let h = 0;
  for (let i = 0; i < values.length; i++) {
    const l = values[i]! / trace;
    if (l > 0) h -= l * Math.log(l);
  }
  if (opts.normalize === true) return n > 1 ? h / Math.log(n) : 0;
  return h / Math.log(base);
}
