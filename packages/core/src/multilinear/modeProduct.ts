import { NonFiniteError, ShapeError } from '../errors.js';
import { asMatrix, type Matrix } from '../matrix.js';
import { Tensor } from '../tensor.js';
import { _modeProduct } from './_modeProduct.js';
import { _assertMode, _assertTensor, _finiteCopy } from './_tensorInput.js';

/**
 * The mode-n product Y = X ×_n M (Kolda & Bader 2009, §2.5): every mode-n fibre of X is
 * multiplied by M, Y(i_0, …, j, …, i_{N−1}) = Σ_{i_n} X(i_0, …, i_n, …)·M(j, i_n), so that
 * Y_(n) = M·X_(n). Computed without forming the unfolding: X viewed as [L, I_n, R] gives L
 * GEMMs M·X[l] (one GEMM X·Mᵀ for the last mode). Pass `M.T` (a view, no copy) for X ×_n Mᵀ.
 *
 * @param t tensor X of shape [I_0, …, I_{N−1}] (any strides; not modified)
 * @param M matrix of shape J × I_n (any strides; not modified)
 * @param mode n in [0, N − 1] (0-based)
 * @returns a fresh C-order float64 tensor of shape [I_0, …, J, …, I_{N−1}] (a Matrix when N = 2)
 * @throws {InvalidArgumentError} if `t` is not a Tensor, `M` not a Matrix, or `mode` out of range
 * @throws {ShapeError} if `M.cols ≠ I_n` or `t` is 0-dimensional
 * @throws {NonFiniteError} if `t` or `M` holds NaN or ±Infinity
 * @example
 * const Y = modeProduct(X, U.T, 1); // X ×₂ Uᵀ in Kolda & Bader's 1-based notation
 */
export function modeProduct(t: Tensor, M: Matrix, mode: number): Tensor {
  const x = _assertTensor('t', t);
  const m = asMatrix('M', M);
  const n = _assertMode('mode', mode, x.ndim);
  if (m.cols !== x.shape[n]) {
    throw new ShapeError(
      `M: expected ${x.shape[n]} columns to multiply mode ${n} of a tensor of shape [${x.shape.join(', ')}], got shape [${m.rows}, ${m.cols}]`,
    );
  }
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.get(i, j);
      if (v - v !== 0)
        throw new NonFiniteError(`M: expected finite values, found ${v} at (${i}, ${j})`);
    }
  }
  const y = _modeProduct({ data: _finiteCopy('t', x), shape: [...x.shape] }, m, n);
  return y.shape.length === 2
    ? asMatrix('Y', new Tensor(y.data, y.shape))
    : new Tensor(y.data, y.shape);
}
