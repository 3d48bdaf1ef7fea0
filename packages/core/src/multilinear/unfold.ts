import { Matrix } from '../matrix.js';
import type { Tensor } from '../tensor.js';
import { _assertMode, _assertTensor, _prod } from './_tensorInput.js';

/**
 * The mode-n unfolding (matricization) X_(n) of a tensor, in the convention of Kolda &
 * Bader, "Tensor Decompositions and Applications", SIAM Review 51(3), 2009, §2.4: tensor
 * element (i_0, …, i_{N−1}) goes to row i_n and column
 * j = Σ_{k≠n} i_k·J_k with J_k = Π_{m<k, m≠n} I_m,
 * i.e. the remaining modes in increasing order with the *lowest* mode varying fastest
 * (Fortran order over the other modes). Note that this differs from tensorly's and
 * numpy-reshape unfoldings (C order, last mode fastest); in numpy,
 * `np.reshape(np.moveaxis(X, n, 0), (I_n, -1), order='F')` gives the same matrix.
 * Modes are 0-based here (Kolda & Bader count from 1).
 *
 * @param t tensor of shape [I_0, …, I_{N−1}], N ≥ 1 (any strides; not modified)
 * @param mode n in [0, N − 1]
 * @returns a fresh row-major I_n × (Π_{k≠n} I_k) matrix, same dtype as `t`
 * @throws {InvalidArgumentError} if `t` is not a Tensor or `mode` is out of range
 * @throws {ShapeError} if `t` is 0-dimensional
 * @example
 * const X = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]); // 2×2×2, X[i][j][k]
 * unfold(X, 0).toArray(); // [[1, 3, 2, 4], [5, 7, 6, 8]]: columns (j, k) = (0,0), (1,0), (0,1), (1,1)
 */
export function unfold(t: Tensor, mode: number): Matrix {
  const x = _assertTensor('t', t);
  const n = _assertMode('mode', mode, x.ndim);
  const perm = [n];
  for (let k = x.ndim - 1; k >= 0; k--) if (k !== n) perm.push(k);
  const cols = _prod(x.shape.filter((_, k) => k !== n));
  return new Matrix(x.permute(perm).clone().data, x.shape[n]!, cols);
}
