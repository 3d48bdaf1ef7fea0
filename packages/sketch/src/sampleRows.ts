import {
  assertFiniteArray,
  assertNumber,
  describe,
  InvalidArgumentError,
  Matrix,
  ShapeError,
} from '@lr/core';
import { asDenseMatrix } from './_util.js';
import type { RowSample } from './sensitivitySample.js';

/**
 * The sampled-and-rescaled matrix S·A = diag(weightsₖ^{1/p})·A[rowsₖ, :] of a
 * {@link RowSample}, so that ‖S·A·x‖_p^p = Σₖ weightsₖ·|a_{rowsₖ}ᵀx|^p.
 *
 * @param A the n×d matrix the sample was drawn from
 * @param sample a {@link RowSample} (from {@link sensitivitySample})
 * @returns a fresh samples×d matrix
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if `sample` is not a RowSample, p ≤ 0, or a row index is out of range
 * @throws {ShapeError} `SHAPE_MISMATCH` if `sample.weights` and `sample.rows` differ in length
 * @throws {NonFiniteError} `NON_FINITE` if A or `sample.weights` holds NaN or ±∞
 * @example
 * import { randn } from '@lr/core';
 * import { sampleRows, sensitivitySample } from '@lr/sketch';
 * const A = randn(500, 3, { seed: 1 });
 * const SA = sampleRows(A, sensitivitySample(A, { p: 1, samples: 100 })); // 100×3
 */
export function sampleRows(A: Matrix, sample: RowSample): Matrix {
  const a = asDenseMatrix('A', A);
  if (
    typeof sample !== 'object' ||
    sample === null ||
    !(sample.rows instanceof Int32Array) ||
    !(sample.weights instanceof Float64Array)
  ) {
    throw new InvalidArgumentError(
      `sample: expected a RowSample { rows: Int32Array, weights: Float64Array, p }, got ${describe(sample)}`,
    );
  }
  const { rows, weights } = sample;
  const p = assertNumber('sample.p', sample.p, Number.MIN_VALUE);
  if (weights.length !== rows.length) {
    throw new ShapeError(
      `sample.weights: expected length ${rows.length} (one per row), got ${weights.length}`,
    );
  }
  assertFiniteArray('sample.weights', weights);
  const k = rows.length;
  const d = a.cols;
  const out = new Float64Array(k * d);
  for (let t = 0; t < k; t++) {
    const i = rows[t]!;
    if (!(i >= 0 && i < a.rows)) {
      throw new InvalidArgumentError(
        `sample.rows[${t}]: expected an index in [0, ${a.rows}), got ${i}`,
      );
    }
    const s = weights[t]! ** (1 / p);
    for (let j = 0; j < d; j++) out[t * d + j] = s * a.get(i, j);
  }
  return new Matrix(out, k, d);
}
