import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors.js';
import { asMatrix, type Matrix } from '../matrix.js';
import type { Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { _asTensor } from './_asTensor.js';
import { _multiModeProduct } from './_modeProduct.js';
import { _assertTensor, _finiteCopy } from './_tensorInput.js';

/**
 * The full tensor of a Tucker decomposition, X̂ = G ×_0 U_0 ×_1 U_1 … ×_{N−1} U_{N−1}
 * (Kolda & Bader 2009, §4), by N mode products (each a batch of GEMMs).
 *
 * @param core G of shape [R_0, …, R_{N−1}] (any strides; not modified)
 * @param factors N matrices, factors[n] of shape I_n × R_n (any strides; not modified)
 * @returns a fresh C-order float64 tensor of shape [I_0, …, I_{N−1}] (a Matrix when N = 2)
 * @throws {InvalidArgumentError} if `core` is not a Tensor or `factors` is not an array of N matrices
 * @throws {ShapeError} if factors[n] does not have R_n columns
 * @throws {NonFiniteError} if the core or a factor holds NaN or ±Infinity
 * @example
 * const { core, factors } = tucker(X, { ranks: [3, 3, 3] });
 * const Xhat = tuckerReconstruct(core, factors);
 */
export function tuckerReconstruct(core: Tensor, factors: readonly Matrix[]): Tensor {
  const g = _assertTensor('core', core);
  if (!Array.isArray(factors) || factors.length !== g.ndim) {
    throw new InvalidArgumentError(
      `factors: expected an array of ${g.ndim} matrices (one per mode of the core), got ${describe(factors)}`,
    );
  }
  const mats = factors.map((f, n) => {
    const m = asMatrix(`factors[${n}]`, f);
    if (m.cols !== g.shape[n]) {
      throw new ShapeError(
        `factors[${n}]: expected ${g.shape[n]} columns (core mode ${n}), got shape [${m.rows}, ${m.cols}]`,
      );
    }
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        const v = m.get(i, j);
        if (v - v !== 0)
          throw new NonFiniteError(
            `factors[${n}]: expected finite values, found ${v} at (${i}, ${j})`,
          );
      }
    }
    return m;
  });
  return _asTensor(
    _multiModeProduct({ data: _finiteCopy('core', g), shape: [...g.shape] }, mats, -1, false),
  );
}
