import {
  EPS,
  matmul,
  modeProduct,
  NonFiniteError,
  randn,
  ShapeError,
  Tensor,
  tensorRandn,
  unfold,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { naiveModeProduct, tdiff, tnorm } from './_tensors.js';

const eps = EPS.float64;

describe('modeProduct', () => {
  it.each([0, 1, 2, 3])(
    'matches the element-wise definition on mode %i (and Y_(n) = M·X_(n))',
    (n) => {
      const X = tensorRandn([3, 4, 2, 5], { seed: 1 });
      const M = randn(6, X.shape[n]!, { seed: 2 + n });
      const Y = modeProduct(X, M, n);
      const ref = naiveModeProduct(X, M, n);
      expect(Y.shape).toEqual(ref.shape);
      expect(tdiff(Y, ref)).toBeLessThan(10 * eps * tnorm(X) * 6);
      const lhs = unfold(Y, n);
      const rhs = matmul(M, unfold(X, n));
      expect(tdiff(lhs, rhs)).toBeLessThan(10 * eps * tnorm(X) * 6);
    },
  );

  it('accepts strided views: transposed factors and permuted tensors', () => {
    const X = tensorRandn([4, 3, 5], { seed: 3 }).permute([2, 0, 1]); // shape [5, 4, 3], non-contiguous
    const M = randn(4, 2, { seed: 4 }).T; // 2×4 view
    const Y = modeProduct(X, M, 1);
    expect(tdiff(Y, naiveModeProduct(X, M, 1))).toBeLessThan(1e-13);
  });

  it('satisfies X ×_n A ×_n B = X ×_n (BA) and commutes across distinct modes', () => {
    const X = tensorRandn([3, 4, 5], { seed: 5 });
    const A = randn(6, 4, { seed: 6 });
    const B = randn(2, 6, { seed: 7 });
    const C = randn(3, 5, { seed: 8 });
    const lhs = modeProduct(modeProduct(X, A, 1), B, 1);
    const rhs = modeProduct(X, matmul(B, A), 1);
    expect(tdiff(lhs, rhs)).toBeLessThan(1e-12 * tnorm(rhs));
    const ac = modeProduct(modeProduct(X, A, 1), C, 2);
    const ca = modeProduct(modeProduct(X, C, 2), A, 1);
    expect(tdiff(ac, ca)).toBeLessThan(1e-12 * tnorm(ac));
  });

  it('returns a Matrix for 2-d input: X ×_0 M = M·X and X ×_1 M = X·Mᵀ', () => {
    const X = randn(3, 4, { seed: 9 });
    const M = randn(5, 3, { seed: 10 });
    const N = randn(2, 4, { seed: 11 });
    const Y0 = modeProduct(X, M, 0);
    const Y1 = modeProduct(X, N, 1);
    expect(Y0.constructor.name).toBe('Matrix');
    expect(tdiff(Y0, matmul(M, X))).toBeLessThan(1e-14);
    expect(tdiff(Y1, matmul(X, N.T))).toBeLessThan(1e-14);
  });

  it('validates its arguments', () => {
    const X = tensorRandn([2, 3], { seed: 1 });
    expect(() => modeProduct(X, randn(2, 2), 1)).toThrow(ShapeError);
    expect(() => modeProduct(X, randn(2, 3), 2)).toThrow(/mode/);
    expect(() => modeProduct(X, [[1]] as never, 0)).toThrow(/M: expected a Matrix/);
    const bad = new Tensor(new Float64Array([1, Number.NaN]), [2]);
    expect(() => modeProduct(bad, randn(1, 2), 0)).toThrow(NonFiniteError);
    const M = randn(1, 2);
    M.set(0, 1, Infinity);
    expect(() => modeProduct(new Tensor(new Float64Array(2), [2]), M, 0)).toThrow(
      /M: expected finite/,
    );
  });
});
