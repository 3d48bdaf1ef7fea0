import { ldu, lu, Matrix, matmul, randn, zeros } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, scaledResidual } from '../helpers.js';
import {
  aboveDiagonal,
  belowDiagonal,
  generalZoo,
  isPermutation,
  parity,
  permuteRows,
  snapshot,
} from './zoo.js';

describe('lu', () => {
  describe.each(generalZoo())('$name', ({ A }) => {
    const m = A.rows;
    const n = A.cols;
    const k = Math.min(m, n);

    it('A[perm, :] = L·U with L unit lower (|L_ij| ≤ 1) and U upper', () => {
      const before = snapshot(A);
      const { L, U, perm, sign } = lu(A);
      expect(snapshot(A)).toEqual(before);
      expect([L.rows, L.cols, U.rows, U.cols]).toEqual([m, k, k, n]);
      expect(isPermutation(perm, m)).toBe(true);
      expect(sign).toBe(parity(perm));
      expect(scaledResidual(permuteRows(A, perm), matmul(L, U))).toBeLessThan(10);
      expect(belowDiagonal(U)).toBe(0);
      expect(aboveDiagonal(L)).toBe(0);
      for (let i = 0; i < k; i++) expect(L.get(i, i)).toBe(1);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < k; j++) expect(Math.abs(L.get(i, j))).toBeLessThanOrEqual(1);
    });

    it('ldu: A[perm, :] = L·diag(D)·U with U unit upper where D_i ≠ 0', () => {
      const { L, D, U, perm } = ldu(A);
      const f = lu(A);
      expect([...perm]).toEqual([...f.perm]);
      expect([...D]).toEqual([...f.U.diagonal()]);
      const DU = zeros(U.rows, U.cols);
      for (let i = 0; i < U.rows; i++)
        for (let j = 0; j < U.cols; j++) DU.set(i, j, D[i]! * U.get(i, j));
      for (let i = 0; i < D.length; i++) if (D[i] !== 0) expect(U.get(i, i)).toBe(1);
      if (D.every((d) => d !== 0)) {
        expect(scaledResidual(permuteRows(A, perm), matmul(L, DU))).toBeLessThan(10);
      }
      expect(belowDiagonal(U)).toBe(0);
    });
  });

  it('matches the hand-computed factors of [[1, 2], [3, 4]]', () => {
    const { L, U, perm, sign, singular } = lu(
      Matrix.from([
        [1, 2],
        [3, 4],
      ]),
    );
    expect([...perm]).toEqual([1, 0]);
    expect(sign).toBe(-1);
    expect(singular).toBe(false);
    expect(
      maxAbsDiff(
        L,
        Matrix.from([
          [1, 0],
          [1 / 3, 1],
        ]),
      ),
    ).toBe(0);
    expect(
      maxAbsDiff(
        U,
        Matrix.from([
          [3, 4],
          [0, 2 / 3],
        ]),
      ),
    ).toBeLessThan(2e-16);
  });

  it('flags exactly singular and rank-deficient input', () => {
    expect(
      lu(
        Matrix.from([
          [1, 2],
          [2, 4],
        ]),
      ).singular,
    ).toBe(true);
    expect(lu(zeros(4, 4)).singular).toBe(true);
    expect(lu(zeros(3, 5)).singular).toBe(true);
    expect(
      lu(
        Matrix.from([
          [0, 1],
          [0, 2],
        ]),
      ).singular,
    ).toBe(true);
    expect(lu(randn(20, 20, { seed: 1 })).singular).toBe(false);
    expect(lu(randn(20, 7, { seed: 2 })).singular).toBe(false);
  });

  it('factors singular matrices completely (zero pivot columns are skipped)', () => {
    const A = Matrix.from([
      [0, 1, 2],
      [0, 3, 4],
      [0, 5, 7],
    ]);
    const { L, U, perm, singular } = lu(A);
    expect(singular).toBe(true);
    expect(scaledResidual(permuteRows(A, perm), matmul(L, U))).toBeLessThan(10);
  });

  it('ldu on a zero pivot keeps that row of U unscaled (documented)', () => {
    const { D, U } = ldu(
      Matrix.from([
        [0, 1],
        [0, 2],
      ]),
    );
    expect([...D]).toEqual([0, 2]);
    expect(U.toArray()).toEqual([
      [0, 1],
      [0, 1],
    ]);
    // a zero last pivot of a square matrix still reconstructs exactly
    const A = Matrix.from([
      [1, 2],
      [2, 4],
    ]);
    const f = ldu(A);
    expect([...f.D]).toEqual([2, 0]);
    const DU = Matrix.from([
      [f.D[0]! * f.U.get(0, 0), f.D[0]! * f.U.get(0, 1)],
      [0, 0],
    ]);
    expect(maxAbsDiff(permuteRows(A, f.perm), matmul(f.L, DU))).toBe(0);
  });

  it('400×400 blocked LU is accurate', () => {
    const A = randn(400, 400, { seed: 9 });
    const { L, U, perm } = lu(A);
    expect(scaledResidual(permuteRows(A, perm), matmul(L, U))).toBeLessThan(10);
  });

  it('property: A[perm, :] = L·U for random shapes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 0, max: 1000 }),
        (m, n, seed) => {
          const A = randn(m, n, { seed });
          const { L, U, perm, sign } = lu(A);
          return (
            scaledResidual(permuteRows(A, perm), matmul(L, U)) < 10 &&
            belowDiagonal(U) === 0 &&
            aboveDiagonal(L) === 0 &&
            sign === parity(perm)
          );
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('property: integer matrices with repeated rows keep L·U exact up to rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 64, maxLength: 64 }),
        (n, vals) => {
          const A = zeros(n, n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) A.set(i, j, vals[(i % 3) * 8 + j]!);
          const { L, U, perm } = lu(A);
          return scaledResidual(permuteRows(A, perm), matmul(L, U)) < 10;
        },
      ),
      { numRuns: 150, seed: 12 },
    );
  });
});
