import { EPS, Matrix, matmul, randn, solveTriangular, zeros } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { diffFro, fro, maxAbsDiff } from '../helpers.js';
import { snapshot, thrown } from './zoo.js';

/** A well-conditioned triangular matrix with the other triangle full of junk. */
function tri(n: number, lower: boolean, seed: number): { T: Matrix; clean: Matrix } {
  const T = randn(n, n, { seed }).clone();
  const clean = zeros(n, n);
  for (let i = 0; i < n; i++) {
    T.set(i, i, (T.get(i, i) >= 0 ? 1 : -1) * (2 + Math.abs(T.get(i, i))));
    for (let j = 0; j < n; j++) {
      const inside = lower ? j <= i : j >= i;
      if (inside) {
        if (i !== j) T.set(i, j, T.get(i, j) / Math.sqrt(n));
        clean.set(i, j, T.get(i, j));
      } else T.set(i, j, 1e6 * (i + 1));
    }
  }
  return { T, clean };
}

function ratio(A: Matrix, X: Matrix, B: Matrix): number {
  return diffFro(matmul(A, X), B) / (fro(A) * fro(X) * Math.max(A.rows, 1) * EPS.float64);
}

describe('solveTriangular', () => {
  describe.each([1, 7, 64, 150])('n = %i', (n) => {
    it.each([
      { lower: false, transpose: false },
      { lower: true, transpose: false },
      { lower: false, transpose: true },
      { lower: true, transpose: true },
    ])('lower=$lower transpose=$transpose: small backward error, other triangle ignored', (o) => {
      const { T, clean } = tri(n, o.lower, n + (o.lower ? 1 : 0));
      const op = o.transpose ? clean.T : clean;
      for (const k of [1, 3, 20]) {
        const B = randn(n, k, { seed: k });
        const before = [snapshot(T), snapshot(B)];
        const X = solveTriangular(T, B, o);
        expect([snapshot(T), snapshot(B)]).toEqual(before);
        expect(ratio(op, X, B)).toBeLessThan(10);
      }
      const b = randn(n, 1, { seed: 99 }).colArray(0);
      const x = solveTriangular(T, b, o);
      expect(x).toBeInstanceOf(Float64Array);
      expect(ratio(op, new Matrix(x, n, 1), new Matrix(b, n, 1))).toBeLessThan(10);
    });
  });

  it('unitDiagonal ignores the stored diagonal', () => {
    const L = Matrix.from([
      [5, 0],
      [2, 7],
    ]);
    const x = solveTriangular(L, new Float64Array([1, 4]), { lower: true, unitDiagonal: true });
    expect([...x]).toEqual([1, 2]);
    const Z = Matrix.from([
      [0, 3],
      [0, 0],
    ]);
    expect([...solveTriangular(Z, new Float64Array([7, 1]), { unitDiagonal: true })]).toEqual([
      4, 1,
    ]);
  });

  it('known back substitution, and a transposed view as T', () => {
    const U = Matrix.from([
      [2, 1, -1],
      [0, 4, 2],
      [0, 0, 5],
    ]);
    expect([...solveTriangular(U, new Float64Array([2, 12, 10]))]).toEqual([1, 2, 2]);
    // U.T is lower: solving with the view equals solving Uᵀ with transpose
    const b = new Float64Array([1, 2, 3]);
    const viaView = solveTriangular(U.T, b, { lower: true });
    const viaFlag = solveTriangular(U, b, { transpose: true });
    expect(maxAbsDiff(new Matrix(viaView, 3, 1), new Matrix(viaFlag, 3, 1))).toBe(0);
  });

  it('zero on the diagonal → INVALID_ARGUMENT naming the index', () => {
    const e = thrown(() =>
      solveTriangular(
        Matrix.from([
          [1, 2],
          [0, 0],
        ]),
        new Float64Array(2),
      ),
    );
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/\(1, 1\)/);
  });

  it('0×0 and shape mismatch', () => {
    expect(solveTriangular(zeros(0, 0), new Float64Array(0)).length).toBe(0);
    expect(thrown(() => solveTriangular(zeros(2, 3), new Float64Array(2))).code).toBe(
      'SHAPE_MISMATCH',
    );
    expect(thrown(() => solveTriangular(Matrix.from([[1]]), zeros(2, 1))).code).toBe(
      'SHAPE_MISMATCH',
    );
  });
});
