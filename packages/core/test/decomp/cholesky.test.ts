import { cholesky, choleskySolve, EPS, eye, Matrix, matmul, randn, zeros } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffFro, fro, hilbert, maxAbsDiff, scaledResidual } from '../helpers.js';
import { aboveDiagonal, snapshot, thrown } from './zoo.js';

/** GᵀG + shift·I: symmetric positive definite. */
function spd(n: number, seed: number, shift = 1): Matrix {
  const G = randn(n, n, { seed });
  const A = matmul(G.T, G);
  for (let i = 0; i < n; i++) A.set(i, i, A.get(i, i) + shift);
  return A;
}

const cases: { name: string; A: Matrix }[] = [
  { name: '1×1', A: Matrix.from([[9]]) },
  { name: '0×0', A: zeros(0, 0) },
  { name: 'SPD 5', A: spd(5, 1) },
  { name: 'SPD 70 (two panels)', A: spd(70, 2) },
  { name: 'SPD 150 (three panels)', A: spd(150, 3) },
  { name: 'Hilbert 8', A: hilbert(8) },
  { name: 'Hilbert 12', A: hilbert(12) },
  {
    name: 'diagonal graded 1e±8',
    A: (() => {
      const D = zeros(9, 9);
      for (let i = 0; i < 9; i++) D.set(i, i, 10 ** (-8 + 2 * i));
      return D;
    })(),
  },
  { name: 'strided view', A: spd(12, 4).slice([0, 12, 2], [0, 12, 2]) as Matrix },
];

describe('cholesky', () => {
  it.each(cases)(
    '$name: A = L·Lᵀ, L lower with positive diagonal; upper variant is Lᵀ',
    ({ A }) => {
      const before = snapshot(A);
      const L = cholesky(A);
      expect(snapshot(A)).toEqual(before);
      expect(scaledResidual(A, matmul(L, L.T))).toBeLessThan(10);
      expect(aboveDiagonal(L)).toBe(0);
      for (let i = 0; i < A.rows; i++) expect(L.get(i, i)).toBeGreaterThan(0);
      const U = cholesky(A, { lower: false });
      expect(maxAbsDiff(U, L.T)).toBe(0);
    },
  );

  it('matches a hand-computed factor', () => {
    const L = cholesky(
      Matrix.from([
        [4, 2, -2],
        [2, 10, 2],
        [-2, 2, 6],
      ]),
    );
    expect(
      maxAbsDiff(
        L,
        Matrix.from([
          [2, 0, 0],
          [1, 3, 0],
          [-1, 1, 2],
        ]),
      ),
    ).toBeLessThan(1e-15);
  });

  it('reads only the requested triangle (LAPACK dpotrf)', () => {
    const A = spd(6, 7);
    const lowerOnly = A.clone();
    const upperOnly = A.clone();
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        if (j > i) lowerOnly.set(i, j, Number.NaN);
        if (j < i) upperOnly.set(i, j, 1e300);
      }
    }
    expect(maxAbsDiff(cholesky(lowerOnly), cholesky(A))).toBe(0);
    expect(maxAbsDiff(cholesky(upperOnly, { lower: false }), cholesky(A, { lower: false }))).toBe(
      0,
    );
  });

  it('not positive definite → INVALID_ARGUMENT naming the failing pivot', () => {
    const e1 = thrown(() =>
      cholesky(
        Matrix.from([
          [1, 2],
          [2, 1],
        ]),
      ),
    );
    expect(e1.code).toBe('INVALID_ARGUMENT');
    expect(e1.message).toMatch(/not positive definite/);
    expect(e1.message).toMatch(/pivot 1\b/);
    const D = eye(5);
    D.set(3, 3, -1);
    expect(thrown(() => cholesky(D)).message).toMatch(/pivot 3\b/);
    expect(thrown(() => cholesky(zeros(3, 3))).message).toMatch(/pivot 0\b/);
    // indefinite in the second panel (index ≥ 64)
    const B = spd(100, 5);
    B.set(80, 80, -1e6);
    const e2 = thrown(() => cholesky(B));
    expect(e2.code).toBe('INVALID_ARGUMENT');
    expect(e2.message).toMatch(/pivot 80\b/);
    // positive semidefinite but singular
    const S = matmul(randn(6, 3, { seed: 1 }), randn(6, 3, { seed: 1 }).T);
    expect(thrown(() => cholesky(S)).code).toBe('INVALID_ARGUMENT');
  });

  it('property: reconstruction for random SPD matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const A = spd(n, seed, 0.1);
        const L = cholesky(A);
        return scaledResidual(A, matmul(L, L.T)) < 10 && aboveDiagonal(L) === 0;
      }),
      { numRuns: 150, seed: 3 },
    );
  });
});

describe('choleskySolve', () => {
  it('solves A·X = B from the lower or the upper factor', () => {
    const A = spd(80, 8);
    const B = randn(80, 5, { seed: 9 });
    const L = cholesky(A);
    const X = choleskySolve(L, B);
    const ratio = (Y: Matrix) => diffFro(matmul(A, Y), B) / (fro(A) * fro(Y) * 80 * EPS.float64);
    expect(ratio(X)).toBeLessThan(10);
    const Xu = choleskySolve(cholesky(A, { lower: false }), B, { lower: false });
    expect(maxAbsDiff(X, Xu)).toBeLessThan(1e-12 * fro(X));
    const b = B.colArray(2);
    const x = choleskySolve(L, b);
    expect(x).toBeInstanceOf(Float64Array);
    for (let i = 0; i < 80; i++) expect(x[i]).toBeCloseTo(X.get(i, 2), 12);
  });

  it('known solution', () => {
    const A = Matrix.from([
      [4, 2, -2],
      [2, 10, 2],
      [-2, 2, 6],
    ]);
    const x = choleskySolve(cholesky(A), new Float64Array([4 + 2 - 6, 2 + 10 + 6, -2 + 2 + 18]));
    expect([...x].map((v) => Number(v.toFixed(12)))).toEqual([1, 1, 3]);
  });

  it('bad input gets the documented codes', () => {
    expect(thrown(() => choleskySolve(randn(3, 4, { seed: 1 }), new Float64Array(3))).code).toBe(
      'SHAPE_MISMATCH',
    );
    expect(thrown(() => choleskySolve(eye(3), new Float64Array(4))).code).toBe('SHAPE_MISMATCH');
    expect(thrown(() => choleskySolve(zeros(3, 3), new Float64Array(3))).code).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
