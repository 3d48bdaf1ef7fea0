import { Matrix, matmul, qr, randn, zeros } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, orthogonalityError, scaledResidual } from '../helpers.js';
import { belowDiagonal, generalZoo, lowRank, orthoFast, permuteCols, snapshot } from './zoo.js';

describe('qr', () => {
  describe.each(generalZoo())('$name', ({ A }) => {
    const m = A.rows;
    const n = A.cols;
    const k = Math.min(m, n);

    it('reduced: A = Q·R, QᵀQ = I, R upper triangular, shapes m×k and k×n', () => {
      const before = snapshot(A);
      const { Q, R, perm, rank } = qr(A);
      expect(snapshot(A)).toEqual(before);
      expect([Q!.rows, Q!.cols, R.rows, R.cols]).toEqual([m, k, k, n]);
      expect(perm).toBeNull();
      expect(rank).toBeLessThanOrEqual(k);
      expect(scaledResidual(A, matmul(Q!, R))).toBeLessThan(10);
      expect(orthogonalityError(Q!)).toBeLessThan(10);
      expect(belowDiagonal(R)).toBe(0);
      expect(R.dtype).toBe('float64');
    });

    it('complete: Q m×m orthogonal, R m×n', () => {
      const { Q, R } = qr(A, { mode: 'complete' });
      expect([Q!.rows, Q!.cols, R.rows, R.cols]).toEqual([m, m, m, n]);
      expect(scaledResidual(A, matmul(Q!, R))).toBeLessThan(10);
      expect(orthogonalityError(Q!)).toBeLessThan(10);
      expect(orthogonalityError(Q!.T)).toBeLessThan(10);
      expect(belowDiagonal(R)).toBe(0);
    });

    it("mode 'r' gives the same R and no Q", () => {
      const full = qr(A);
      const r = qr(A, { mode: 'r' });
      expect(r.Q).toBeNull();
      expect(maxAbsDiff(r.R, full.R)).toBe(0);
    });

    it('pivoting: A[:, perm] = Q·R with |R_ii| non-increasing', () => {
      const before = snapshot(A);
      const { Q, R, perm } = qr(A, { pivoting: true });
      expect(snapshot(A)).toEqual(before);
      expect(perm!.length).toBe(n);
      expect(new Set(perm).size).toBe(n);
      expect(scaledResidual(permuteCols(A, perm!), matmul(Q!, R))).toBeLessThan(10);
      expect(orthogonalityError(Q!)).toBeLessThan(10);
      expect(belowDiagonal(R)).toBe(0);
      for (let i = 1; i < k; i++) {
        expect(Math.abs(R.get(i, i))).toBeLessThanOrEqual(
          Math.abs(R.get(i - 1, i - 1)) * (1 + 1e-12),
        );
      }
    });
  });

  it('matches the hand-computed LAPACK-sign QR of [[3, 1], [4, 2]]', () => {
    const { Q, R } = qr(
      Matrix.from([
        [3, 1],
        [4, 2],
      ]),
    );
    const Qx = Matrix.from([
      [-0.6, -0.8],
      [-0.8, 0.6],
    ]);
    const Rx = Matrix.from([
      [-5, -2.2],
      [0, 0.4],
    ]);
    expect(maxAbsDiff(Q!, Qx)).toBeLessThan(4e-16);
    expect(maxAbsDiff(R, Rx)).toBeLessThan(1e-15);
  });

  it('pivoted QR reveals the rank of rank-deficient matrices', () => {
    expect(qr(lowRank(8, 6, 3, 10), { pivoting: true }).rank).toBe(3);
    expect(qr(lowRank(100, 80, 20, 11), { pivoting: true, mode: 'r' }).rank).toBe(20);
    expect(qr(lowRank(60, 90, 7, 12), { pivoting: true, mode: 'r' }).rank).toBe(7);
    expect(qr(zeros(5, 4), { pivoting: true }).rank).toBe(0);
    expect(qr(randn(30, 20, { seed: 3 }), { pivoting: true }).rank).toBe(20);
    // a column repeated exactly: rank 2
    expect(
      qr(
        Matrix.from([
          [1, 2, 1],
          [3, 4, 3],
          [5, 6, 5],
        ]),
        { pivoting: true },
      ).rank,
    ).toBe(2);
  });

  it('tolerance sets the rank threshold', () => {
    // singular values 1, 1e-3, 1e-9 on a diagonal
    const A = Matrix.from([
      [1, 0, 0],
      [0, 1e-3, 0],
      [0, 0, 1e-9],
    ]);
    expect(qr(A, { pivoting: true }).rank).toBe(3);
    expect(qr(A, { pivoting: true, tolerance: 1e-6 }).rank).toBe(2);
    expect(qr(A, { pivoting: true, tolerance: 1e-2 }).rank).toBe(1);
    expect(qr(A, { pivoting: true, tolerance: 2 }).rank).toBe(0);
  });

  it('pivoting picks the largest column first', () => {
    const A = Matrix.from([
      [1, 0, 10],
      [0, 2, 0],
      [0, 0, 0],
    ]);
    const { perm, R } = qr(A, { pivoting: true });
    expect(perm![0]).toBe(2);
    expect(Math.abs(R.get(0, 0))).toBeCloseTo(10, 14);
    expect(perm![1]).toBe(1);
  });

  it('600×400: blocked QR stays accurate', () => {
    const A = randn(600, 400, { seed: 42 });
    const { Q, R } = qr(A);
    expect(scaledResidual(A, matmul(Q!, R))).toBeLessThan(10);
    expect(orthoFast(Q!)).toBeLessThan(10);
    const p = qr(A, { pivoting: true });
    expect(scaledResidual(permuteCols(A, p.perm!), matmul(p.Q!, p.R))).toBeLessThan(10);
    expect(p.rank).toBe(400);
  });

  it('property: A = Q·R and A[:, perm] = Q·R for random shapes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        fc.constantFrom('reduced' as const, 'complete' as const),
        (m, n, seed, pivoting, mode) => {
          const A = randn(m, n, { seed });
          const { Q, R, perm } = qr(A, { pivoting, mode });
          const target = pivoting ? permuteCols(A, perm!) : A;
          return (
            scaledResidual(target, matmul(Q!, R)) < 10 &&
            orthogonalityError(Q!) < 10 &&
            belowDiagonal(R) === 0
          );
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});
