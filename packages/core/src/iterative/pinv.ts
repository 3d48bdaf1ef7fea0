import { zeros } from '../creation.js';
import { EPS } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { gemm } from '../kernels/gemm.js';
import { Matrix } from '../matrix.js';
import { svd } from '../spectral/svd.js';
import { Tensor } from '../tensor.js';
import { assertNumber, describe, optionsObject } from '../validate.js';
import { assertFiniteMatrix, orDefault } from './_shared.js';

/** Options of {@link pinv}. */
export interface PinvOptions {
  /** Relative cutoff: σ ≤ rtol·σ_max count as zero; default max(m, n)·ε (numpy 2 `rtol`). */
  rtol?: number;
  /** Absolute cutoff: σ ≤ atol count as zero; default 0 (scipy.linalg.pinv `atol`). */
  atol?: number;
}

/**
 * Moore–Penrose pseudo-inverse A⁺ = V·diag(1/σ_i for σ_i > cutoff)·Uᵀ through the SVD,
 * cutoff = max(atol, rtol·σ_max), as `numpy.linalg.pinv` / `scipy.linalg.pinv`
 * (Golub & Van Loan 4th ed., §5.5.2). Satisfies the four Penrose conditions
 * A·A⁺·A = A, A⁺·A·A⁺ = A⁺, (A·A⁺)ᵀ = A·A⁺, (A⁺·A)ᵀ = A⁺·A for the truncated spectrum.
 *
 * Defaults: `rtol` max(m, n)·ε (numpy), `atol` 0 (scipy).
 *
 * @param A m×n matrix (any strided view)
 * @param options see {@link PinvOptions}
 * @returns A⁺, a fresh n×m float64 matrix
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN/±∞
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a non-matrix A or bad options
 * @example
 * pinv(Matrix.from([[1, 2], [2, 4]])); // [[0.04, 0.08], [0.08, 0.16]]
 */
export function pinv(A: Matrix, options?: PinvOptions): Matrix {
  if (!(A instanceof Tensor) || A.ndim !== 2) {
    throw new InvalidArgumentError(`A: expected a Matrix, got ${describe(A)}`);
  }
  const a = Matrix.fromTensor(A);
  assertFiniteMatrix('A', a);
  const m = a.rows;
  const n = a.cols;
  const opts = optionsObject('options', options);
  const defaults = { rtol: Math.max(m, n) * EPS.float64, atol: 0 };
  const rtol = assertNumber('options.rtol', orDefault(opts.rtol, defaults.rtol), 0);
  const atol = assertNumber('options.atol', orDefault(opts.atol, defaults.atol), 0);
  const out = zeros(n, m);
  if (Math.min(m, n) === 0) return out;
  const { U, S, Vt } = svd(a);
  const cutoff = Math.max(atol, rtol * S[0]!);
  let r = 0;
  while (r < S.length && S[r]! > cutoff) r++;
  if (r === 0) return out;
  // A⁺ = (diag(1/σ)·V_rᵀ)ᵀ·U_rᵀ
  const W = Vt!.rowRange(0, r).clone();
  for (let i = 0; i < r; i++) {
    const s = 1 / S[i]!;
    for (let j = 0; j < n; j++) W.data[i * n + j] = W.data[i * n + j]! * s;
  }
  return gemm(W, U!.colRange(0, r), out, { transA: true, transB: true });
}
