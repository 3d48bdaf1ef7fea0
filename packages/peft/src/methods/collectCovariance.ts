import {
  assertOneOf,
  gemm,
  InvalidArgumentError,
  type Matrix,
  max,
  normMax,
  optionsObject,
  ShapeError,
  zeros,
} from '@lr/core';
import { orDefault, weightArg } from './_shared.js';

/** Options of {@link collectCovariance}. */
export interface CollectCovarianceOptions {
  /**
   * Per-batch normalisation; default `'max'` (PEFT's CorDA hook: `input / torch.max(input).abs()`,
   * i.e. the whole batch divided by |largest entry|, the signed maximum, not max|x|).
   * `'none'` uses the raw activations.
   */
  scale?: 'max' | 'none';
}

/** Result of {@link collectCovariance}. */
export interface CovarianceResult {
  /** C = (1/b)·Σ_batches X̂_bᵀ·X̂_b, [in, in], float64, symmetric. */
  covariance: Matrix;
  /** Number of batches b (PEFT's `sample_count`). */
  batches: number;
  /** Total number of rows (tokens) seen. */
  tokens: number;
}

/**
 * The calibration covariance of CorDA (Yang et al. 2024; PEFT `calib_cov_distribution`):
 * for each batch X_b (tokens × in, the inputs of one forward call of the layer), X̂_b =
 * X_b / |max(X_b)| (PEFT's hook), then C = mean over batches of X̂_bᵀ·X̂_b. The mean is
 * over batches, not tokens, exactly as PEFT divides by its `sample_count`; one
 * {@link Matrix} counts as one batch. When max(X_b) = 0 (a batch with no positive entry)
 * PEFT would divide by zero; we divide by max|X_b| instead, and leave an all-zero batch
 * as it is.
 *
 * @param X one batch [tokens, in], or an array of batches with the same column count
 * @param options see {@link CollectCovarianceOptions}
 * @returns `{ covariance [in, in], batches, tokens }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for an empty batch list, a non-matrix
 *   or a bad option
 * @throws {ShapeError} `SHAPE_MISMATCH` for an empty batch or batches of different widths
 * @throws {NonFiniteError} `NON_FINITE` if a batch holds NaN or ±Infinity
 * @example
 * import { randn } from '@lr/core';
 * import { collectCovariance } from '@lr/peft';
 * const { covariance } = collectCovariance([randn(128, 16, { seed: 1 }), randn(128, 16, { seed: 2 })]);
 * covariance.shape; // [16, 16]
 */
export function collectCovariance(
  X: Matrix | readonly Matrix[],
  options?: CollectCovarianceOptions,
): CovarianceResult {
  const opts = optionsObject('options', options);
  const scale = assertOneOf('options.scale', orDefault(opts.scale, 'max'), [
    'max',
    'none',
  ] as const);
  const list = Array.isArray(X) ? (X as readonly Matrix[]) : [X as Matrix];
  if (list.length === 0) {
    throw new InvalidArgumentError('X: expected at least one batch, got an empty array');
  }
  const batches = list.map((b, i) => weightArg(Array.isArray(X) ? `X[${i}]` : 'X', b));
  const n = batches[0]!.cols;
  const C = zeros(n, n);
  let tokens = 0;
  for (let i = 0; i < batches.length; i++) {
    const b = batches[i]!;
    if (b.cols !== n) {
      throw new ShapeError(
        `X[${i}]: expected ${n} columns like X[0], got shape [${b.rows}, ${b.cols}]`,
      );
    }
    let f = 1;
    if (scale === 'max') {
      const mx = max(b); // PEFT divides by |X.max()| (the largest element, not |X|'s max)
      const d = mx !== 0 ? Math.abs(mx) : normMax(b);
      f = d > 0 ? 1 / d : 1;
    }
    gemm(b, b, C, { transA: true, alpha: f * f, beta: 1 });
    tokens += b.rows;
  }
  const c = C.data;
  const inv = 1 / batches.length;
  for (let i = 0; i < c.length; i++) c[i] = c[i]! * inv;
  // symmetrise exactly (the GEMM may round the two triangles differently)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (c[i * n + j]! + c[j * n + i]!);
      c[i * n + j] = v;
      c[j * n + i] = v;
    }
  }
  return { covariance: C, batches: batches.length, tokens };
}
