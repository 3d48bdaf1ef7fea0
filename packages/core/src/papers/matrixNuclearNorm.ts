import { InvalidArgumentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { optionsObject } from '../validate.js';
import { _finiteMatrix, _standardizeRows } from './_input.js';
import { nuclearNormApprox } from './nuclearNormApprox.js';

/** Options of {@link matrixNuclearNorm}. */
export interface MatrixNuclearNormOptions {
  /** Number D of largest column norms summed; default min(L, d) (the paper's choice). */
  topD?: number;
}

/**
 * The Matrix Nuclear-Norm evaluation score of Li et al., "Large Language Model Evaluation
 * via Matrix Nuclear-Norm" (2024), for one response: the representation matrix R (L tokens
 * × d hidden features) is normalized as in the paper's reference implementation — every
 * feature centred over the tokens (column means subtracted), then every token row scaled to
 * unit L2 norm — and the score is
 *
 *   MNN(R) = (1/L)·Σ_{j=1}^{D} top_D(‖r̂_{:,j}‖₂),   D = min(L, d),
 *
 * the L1,2 approximation {@link nuclearNormApprox} of the normalized matrix's nuclear norm,
 * divided by the number of tokens. O(L·d), no SVD. A token row that is zero after centring
 * (always the case for L = 1) stays zero. Lower scores indicate stronger compression in
 * the paper's reading; compare scores across models on the same inputs.
 *
 * @param R L×d response matrix, L, d ≥ 1 (any strides; not modified)
 * @param options see {@link MatrixNuclearNormOptions}
 * @returns the score, in [0, √(D/L)] ⊆ [0, 1] (the rows of the normalized matrix have unit
 *   norm, so the sum of D column norms is at most √D·‖R̂‖_F ≤ √(D·L))
 * @throws {InvalidArgumentError} if `R` is not a Matrix, is empty, or `topD` is not an integer in [1, d]
 * @throws {NonFiniteError} if `R` holds NaN or ±Infinity
 * @example
 * const score = matrixNuclearNorm(hiddenStates); // hiddenStates: tokens × hidden size
 */
export function matrixNuclearNorm(R: Matrix, options?: MatrixNuclearNormOptions): number {
  const r = _finiteMatrix('R', R);
  const opts = optionsObject('options', options);
  if (r.rows === 0 || r.cols === 0) {
    throw new InvalidArgumentError(
      `R: expected at least one row and one column, got shape [${r.rows}, ${r.cols}]`,
    );
  }
  return nuclearNormApprox(_standardizeRows(r), { topD: opts.topD }) / r.rows;
}
