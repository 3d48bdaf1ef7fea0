import { InvalidArgumentError, Matrix } from '@lr/core';
import { asDenseMatrix } from './_util.js';
import type { RowSample } from './sensitivitySample.js';

/**
 * The sampled-and-rescaled matrix S·A = diag(weightsₖ^{1/p})·A[rowsₖ, :] of a
 * {@link RowSample}, so that ‖S·A·x‖_p^p = Σₖ weightsₖ·|a_{rowsₖ}ᵀx|^p.
 *
 * @param A the n×d matrix the sample was drawn from
 * @param sample a {@link RowSample} (from {@link sensitivitySample})
 * @returns a fresh samples×d matrix
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if a row index is out of range
 * @example
 * import { randn } from '@lr/core';
 * import { sampleRows, sensitivitySample } from '@lr/sketch';
 * const A = randn(500, 3, { seed: 1 });
 * const SA = sampleRows(A, sensitivitySample(A, { p: 1, samples: 100 })); // 100×3
 */
export function sampleRows(A: Matrix, sample: RowSample): Matrix {
  const a = asDenseMatrix('A', A);
  const { rows, weights, p } = sample;
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
