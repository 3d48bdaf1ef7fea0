import { Matrix, matmul, qr, randn, rq } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, orthogonalityError, scaledResidual } from '../helpers.js';
import { belowDiagonal, generalZoo, snapshot } from './zoo.js';

describe('rq', () => {
  describe.each(generalZoo())('$name', ({ A }) => {
    const m = A.rows;
    const n = A.cols;
    const k = Math.min(m, n);
    it('A = R·Q, Q with orthonormal rows, R upper triangular / trapezoidal', () => {
      const before = snapshot(A);
      const { R, Q } = rq(A);
      expect(snapshot(A)).toEqual(before);
      expect([R.rows, R.cols, Q.rows, Q.cols]).toEqual([m, k, k, n]);
      expect(scaledResidual(A, matmul(R, Q))).toBeLessThan(10);
      expect(orthogonalityError(Q.T)).toBeLessThan(10);
      // R_ij = 0 for i > j + (m − k): upper triangular when m ≤ n, LAPACK trapezoid when m > n
      expect(belowDiagonal(R, m - k)).toBe(0);
      if (m >= n) expect(orthogonalityError(Q)).toBeLessThan(10);
    });
  });

  it('splits a camera matrix into calibration and rotation (Hartley & Zisserman §6.2.4)', () => {
    const K = Matrix.from([
      [800, 0.5, 320],
      [0, 780, 240],
      [0, 0, 1],
    ]);
    // a rotation: the orthogonal factor of a random matrix, made proper (det +1)
    const Qr = qr(randn(3, 3, { seed: 4 })).Q!.clone();
    const d =
      Qr.get(0, 0) * (Qr.get(1, 1) * Qr.get(2, 2) - Qr.get(1, 2) * Qr.get(2, 1)) -
      Qr.get(0, 1) * (Qr.get(1, 0) * Qr.get(2, 2) - Qr.get(1, 2) * Qr.get(2, 0)) +
      Qr.get(0, 2) * (Qr.get(1, 0) * Qr.get(2, 1) - Qr.get(1, 1) * Qr.get(2, 0));
    if (d < 0) for (let j = 0; j < 3; j++) Qr.set(2, j, -Qr.get(2, j));
    const P = matmul(K, Qr);
    const { R, Q } = rq(P);
    // normalise signs so that diag(R) > 0: R·S, S·Q with S = diag(sign(R_ii))
    for (let i = 0; i < 3; i++) {
      if (R.get(i, i) < 0) {
        for (let r = 0; r < 3; r++) R.set(r, i, -R.get(r, i));
        for (let c = 0; c < 3; c++) Q.set(i, c, -Q.get(i, c));
      }
    }
    expect(maxAbsDiff(R, K)).toBeLessThan(1e-10);
    expect(maxAbsDiff(Q, Qr)).toBeLessThan(1e-13);
  });

  it('full RQ of a tall matrix: R trapezoidal in its last n rows, Q square orthogonal', () => {
    const A = randn(9, 4, { seed: 2 });
    const { R, Q } = rq(A);
    expect([R.rows, R.cols, Q.rows, Q.cols]).toEqual([9, 4, 4, 4]);
    expect(belowDiagonal(R, 5)).toBe(0);
    expect(belowDiagonal(R.rowRange(5, 9))).toBe(0);
    expect(scaledResidual(A, matmul(R, Q))).toBeLessThan(10);
  });

  it('property: reconstruction for random shapes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 1000 }),
        (m, n, seed) => {
          const A = randn(m, n, { seed });
          const { R, Q } = rq(A);
          return (
            scaledResidual(A, matmul(R, Q)) < 10 &&
            orthogonalityError(Q.T) < 10 &&
            belowDiagonal(R, m - Math.min(m, n)) === 0
          );
        },
      ),
      { numRuns: 150, seed: 5 },
    );
  });
});
