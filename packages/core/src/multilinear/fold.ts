import { InvalidArgumentError, ShapeError } from '../errors.js';
import { asMatrix, type Matrix } from '../matrix.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { _assertMode, _prod } from './_tensorInput.js';

/**
 * Inverse of {@link unfold}: the tensor of shape `shape` whose mode-n unfolding (Kolda &
 * Bader 2009 column order: remaining modes increasing, lowest fastest) is `M`.
 *
 * @param M matrix of shape I_n × Π_{k≠n} I_k (any strides; not modified)
 * @param mode n in [0, N − 1], N = shape.length
 * @param shape the tensor's shape [I_0, …, I_{N−1}]
 * @returns a fresh C-order tensor of shape `shape`, same dtype as `M`
 * @throws {InvalidArgumentError} if `M` is not a Matrix, `shape` is not an array of non-negative integers, or `mode` is out of range
 * @throws {ShapeError} if `M`'s shape does not match `shape` and `mode`
 * @example
 * const X2 = fold(unfold(X, 1), 1, X.shape); // equals X
 */
export function fold(M: Matrix, mode: number, shape: readonly number[]): Tensor {
  const m = asMatrix('M', M);
  if (
    !Array.isArray(shape) ||
    shape.length < 1 ||
    shape.some((d) => !Number.isSafeInteger(d) || d < 0)
  ) {
    throw new InvalidArgumentError(
      `shape: expected a non-empty array of non-negative integers, got ${describe(shape)}`,
    );
  }
  const n = _assertMode('mode', mode, shape.length);
  const rest = _prod(shape.filter((_, k) => k !== n));
  if (m.rows !== shape[n] || m.cols !== rest) {
    throw new ShapeError(
      `M: expected shape [${shape[n]}, ${rest}] to fold along mode ${n} into [${shape.join(', ')}], got [${m.rows}, ${m.cols}]`,
    );
  }
  const perm = [n];
  for (let k = shape.length - 1; k >= 0; k--) if (k !== n) perm.push(k);
  const inv = new Array<number>(perm.length);
  perm.forEach((a, k) => {
    inv[a] = k;
  });
  const permuted = new Tensor(
    m.clone().data,
    perm.map((a) => shape[a]!),
  );
  return permuted.permute(inv).clone();
}
