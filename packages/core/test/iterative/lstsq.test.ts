import { lstsq, Matrix, matmul, pinv, randn, zeros } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../helpers.js';
import { fixtures, mat, maxDiff, minstd, nrm } from './_problems.js';

describe('lstsq', () => {
  it('matches numpy.linalg.lstsq on a full-rank over-determined system with a matrix right-hand side', () => {
    const f = fixtures.lstsq.full;
    const r = lstsq(mat(20, 9, 4), mat(21, 9, 2));
    expect(r.rank).toBe(f.rank);
    expect(maxAbsDiff(r.x, Matrix.from(f.x))).toBeLessThan(1e-12);
    expect(maxDiff(r.residuals, f.residuals)).toBeLessThan(1e-13);
    expect(maxDiff(r.singularValues, f.s)).toBeLessThan(1e-13);
  });

  it('matches numpy on rank-deficient and under-determined systems (minimum-norm solution, no residuals)', () => {
    const fd = fixtures.lstsq.deficient;
    const Adef = matmul(mat(22, 7, 3), mat(23, 3, 5));
    const rd = lstsq(Adef, minstd(24, 7));
    expect(rd.rank).toBe(3);
    expect(rd.residuals).toHaveLength(0);
    expect(maxDiff(rd.x, fd.x)).toBeLessThan(1e-12);
    expect(maxDiff(rd.singularValues.slice(0, 3), fd.s.slice(0, 3))).toBeLessThan(1e-13);
    const fu = fixtures.lstsq.under;
    const ru = lstsq(mat(25, 4, 6), minstd(26, 4));
    expect(ru.rank).toBe(4);
    expect(ru.residuals).toHaveLength(0);
    expect(maxDiff(ru.x, fu.x)).toBeLessThan(1e-12);
  });

  it('rcond sets the rank cutoff (σ ≤ rcond·σ_max count as zero)', () => {
    const A = Matrix.from([
      [1, 0],
      [0, 1e-10],
      [0, 0],
    ]);
    const b = new Float64Array([1, 1, 1]);
    const def = lstsq(A, b);
    expect(def.rank).toBe(2);
    expect(def.x[1]).toBeCloseTo(1e10, 0);
    const cut = lstsq(A, b, { rcond: 1e-8 });
    expect(cut.rank).toBe(1);
    expect(Array.from(cut.x)).toEqual([1, 0]);
  });

  it('satisfies the normal equations on random problems and accepts strided views (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 999 }),
        (m, n, seed) => {
          const A = randn(n, m, { seed }).T; // a transposed view, m×n
          const b = randn(m, 1, { seed: seed + 1 }).toFloat64Array();
          const { x } = lstsq(A, b);
          // Aᵀ(b − Ax) = 0 for the least-squares solution
          const r = Float64Array.from(b);
          const Ax = matmul(A, Matrix.fromData(x, n, 1));
          for (let i = 0; i < m; i++) r[i] = r[i]! - Ax.data[i]!;
          const g = matmul(A.T, Matrix.fromData(r, m, 1)).toFloat64Array();
          return nrm(g) <= 1e-10 * (1 + nrm(b));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('handles empty matrices as numpy does', () => {
    const r = lstsq(zeros(3, 0), new Float64Array([1, 2, 2]));
    expect(r.x).toHaveLength(0);
    expect(r.rank).toBe(0);
    expect(Array.from(r.residuals)).toEqual([9]);
  });
});

describe('pinv', () => {
  function penrose(A: Matrix, P: Matrix): number[] {
    const AP = matmul(A, P);
    const PA = matmul(P, A);
    return [
      maxAbsDiff(matmul(AP, A), A),
      maxAbsDiff(matmul(PA, P), P),
      maxAbsDiff(AP, AP.T),
      maxAbsDiff(PA, PA.T),
    ];
  }

  it('matches numpy.linalg.pinv on rank-deficient and wide matrices', () => {
    const Adef = matmul(mat(22, 7, 3), mat(23, 3, 5));
    const Pd = pinv(Adef);
    expect([Pd.rows, Pd.cols]).toEqual([5, 7]);
    expect(maxAbsDiff(Pd, Matrix.from(fixtures.pinv.deficient))).toBeLessThan(1e-11);
    expect(maxAbsDiff(pinv(mat(27, 5, 7)), Matrix.from(fixtures.pinv.wide))).toBeLessThan(1e-12);
  });

  it('satisfies the four Penrose conditions (property, including rank-deficient inputs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 999 }),
        (m, n, r, seed) => {
          const A = matmul(randn(m, r, { seed }), randn(r, n, { seed: seed + 1 }));
          const P = pinv(A);
          const scale =
            Math.max(1, ...Array.from(A.data, Math.abs), ...Array.from(P.data, Math.abs)) ** 3;
          return penrose(A, P).every((d) => d < 1e-9 * scale);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rtol and atol cut small singular values; zero and empty inputs give zeros', () => {
    const A = Matrix.from([
      [2, 0],
      [0, 1e-9],
    ]);
    expect(pinv(A).get(1, 1)).toBeCloseTo(1e9, -1);
    expect(pinv(A, { rtol: 1e-6 }).get(1, 1)).toBe(0);
    expect(pinv(A, { atol: 1e-3 }).get(1, 1)).toBe(0);
    expect(pinv(A, { atol: 1e-3 }).get(0, 0)).toBe(0.5);
    expect(Array.from(pinv(zeros(2, 3)).data)).toEqual(new Array(6).fill(0));
    expect(pinv(zeros(0, 3)).rows).toBe(3);
  });
});
