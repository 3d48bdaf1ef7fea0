import type { Matrix } from '../matrix.js';
import { assertInt, optionsObject } from '../validate.js';
import { _columnNorms, _finiteMatrix } from './_input.js';

/** Options of {@link nuclearNormApprox}. */
export interface NuclearNormApproxOptions {
  /**
   * Number D of largest column norms summed; default min(m, n), the paper's choice
   * (Li et al. 2024, after Cui et al. 2021). D = n gives the plain L1,2 norm.
   */
  topD?: number;
}

/**
 * The fast approximation of the nuclear norm by column norms used by the Matrix
 * Nuclear-Norm metric (Li et al., "Large Language Model Evaluation via Matrix Nuclear-Norm",
 * 2024, after the batch nuclear-norm approximation of Cui et al., "Fast Batch Nuclear-norm
 * Maximization and Minimization for Robust Domain Adaptation", 2021):
 *
 *   ‖A‖_* ≈ Σ_{j=1}^{D} top_D(‖a_{:,j}‖₂),   D = min(m, n),
 *
 * the sum of the D largest column L2 norms: the L1,2 norm of A when D = n. One pass over A
 * (m·n multiply-adds) plus a partial sort of the n norms, O(mn), instead of the SVD's
 * O(mn·min(m, n)); no SVD at all.
 *
 * When D = n (e.g. m ≥ n, the default then): since A = Σ_j a_j·e_jᵀ is a sum of rank-one
 * terms with ‖a_j·e_jᵀ‖_* = ‖a_j‖₂, the triangle inequality gives ‖A‖_* ≤ Σ_j ‖a_j‖₂, with
 * equality exactly when the non-zero columns are mutually orthogonal (then the column norms
 * are the singular values); and Σ_j ‖a_j‖₂ ≤ √n·‖A‖_F ≤ √n·‖A‖_*. So the approximation is an
 * upper bound within a factor √n, exact for orthogonal columns — the regime of confident
 * class-probability ("response") matrices with one dominant entry per row that Cui et al.
 * derive it for. With D < n neither bound holds in general. No normalization is applied
 * here; {@link matrixNuclearNorm} adds the paper's response-matrix normalization.
 *
 * @param A m×n matrix (any strides, float64 or float32; not modified)
 * @param options see {@link NuclearNormApproxOptions}
 * @returns the sum of the D largest column norms (0 for an empty matrix)
 * @throws {InvalidArgumentError} if `A` is not a Matrix or `topD` is not an integer in [1, n]
 * @throws {NonFiniteError} if `A` holds NaN or ±Infinity
 * @example
 * nuclearNormApprox(Matrix.from([[1, 0], [0, 2], [0, 0]])); // 3 = ‖A‖_* (orthogonal columns)
 */
export function nuclearNormApprox(A: Matrix, options?: NuclearNormApproxOptions): number {
  const a = _finiteMatrix('A', A);
  const opts = optionsObject('options', options);
  const n = a.cols;
  if (n === 0 || a.rows === 0) return 0;
  const D =
    opts.topD === undefined ? Math.min(a.rows, n) : assertInt('options.topD', opts.topD, 1, n);
  const norms = _columnNorms(a);
  if (D < n) norms.sort().reverse();
  let s = 0;
  // add the D largest from the smallest up (less rounding)
  for (let j = D - 1; j >= 0; j--) s += norms[j]!;
  return s;
}
