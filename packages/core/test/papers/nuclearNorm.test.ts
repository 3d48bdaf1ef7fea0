import {
  diag,
  EPS,
  InvalidArgumentError,
  Matrix,
  matmul,
  matrixNuclearNorm,
  NonFiniteError,
  nuclearNorm,
  nuclearNormApprox,
  qr,
  randn,
  singularValues,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, fro, response, softmaxPredictions, spearman } from './_papers.js';

const eps = EPS.float64;

describe('nuclearNorm (exact)', () => {
  it.each(fixture.cases.map((c) => [`${c.L}×${c.d}`, c] as const))(
    '%s matches numpy.linalg.norm(A, "nuc")',
    (_, c) => {
      const A = response(c.L, c.d, c.c);
      expect(Math.abs(nuclearNorm(A) - c.nuclear)).toBeLessThan(
        20 * Math.max(c.L, c.d) * eps * c.nuclear,
      );
      expect(Math.abs(nuclearNorm(A.T) - c.nuclear)).toBeLessThan(
        20 * Math.max(c.L, c.d) * eps * c.nuclear,
      );
    },
  );

  it('is the sum of singular values and 0 for empty input', () => {
    const A = randn(6, 4, { seed: 1 });
    const S = singularValues(A);
    expect(nuclearNorm(A)).toBeCloseTo(
      S.reduce((a, b) => a + b, 0),
      13,
    );
    expect(nuclearNorm(new Matrix(new Float64Array(0), 0, 3))).toBe(0);
    expect(() => nuclearNorm(Matrix.from([[Number.NaN]]))).toThrow(NonFiniteError);
    expect(() => nuclearNorm([[1]] as never)).toThrow(InvalidArgumentError);
  });
});

describe('nuclearNormApprox — the L1,2 approximation (Li et al. 2024, claim #10)', () => {
  it.each(fixture.cases.map((c) => [`${c.L}×${c.d}`, c] as const))(
    '%s: with D = n it is the L1,2 norm (numpy)',
    (_, c) => {
      const A = response(c.L, c.d, c.c);
      expect(nuclearNormApprox(A, { topD: c.d })).toBeCloseTo(c.l12, 12);
    },
  );

  it('is exact when the columns are orthogonal (one-hot predictions, Q·diag·permutation)', () => {
    // confident predictions: one-hot rows, so the columns have disjoint supports
    const B = 40;
    const C = 6;
    const onehot = new Matrix(new Float64Array(B * C), B, C);
    for (let i = 0; i < B; i++) onehot.set(i, (i * 7) % C, 0.5 + (i % 3));
    const e = nuclearNorm(onehot);
    expect(Math.abs(nuclearNormApprox(onehot) - e)).toBeLessThan(10 * eps * e);
    // orthogonal (not disjoint) columns with different norms
    const Q = qr(randn(9, 5, { seed: 3 })).Q!;
    const A = matmul(Q, diag([5, 0.1, 3, 2, 1e-3]));
    const ea = nuclearNorm(A);
    expect(Math.abs(nuclearNormApprox(A) - ea)).toBeLessThan(20 * eps * ea);
  });

  it('is an upper bound within √n when D = n: ‖A‖_* ≤ Σ‖a_j‖₂ ≤ √n·‖A‖_F ≤ √n·‖A‖_* (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1e6 }),
        (m, n, seed) => {
          const A = randn(m, n, { seed });
          const exact = nuclearNorm(A);
          const l12 = nuclearNormApprox(A, { topD: n });
          const slack = 1 + 10 * Math.max(m, n) * eps;
          expect(exact).toBeLessThanOrEqual(l12 * slack);
          expect(l12).toBeLessThanOrEqual(Math.sqrt(n) * fro(A) * slack);
          expect(fro(A)).toBeLessThanOrEqual(exact * slack);
        },
      ),
      { numRuns: 80, seed: 17 },
    );
  });

  it('with D < n it is no longer a bound: the 1×n all-ones row gives 1 against √n', () => {
    const A = Matrix.from([[1, 1, 1, 1, 1, 1, 1, 1, 1]]);
    expect(nuclearNorm(A)).toBeCloseTo(3, 14);
    expect(nuclearNormApprox(A)).toBe(1); // default D = min(1, 9) = 1
    expect(nuclearNormApprox(A, { topD: 9 })).toBe(9);
  });

  it('tracks the exact nuclear norm of class-probability matrices across diversity and confidence', () => {
    const exact: number[] = [];
    const approx: number[] = [];
    let seed = 1;
    for (const k of [1, 2, 3, 4, 6, 8]) {
      for (const temp of [0.1, 0.3, 1, 3]) {
        const A = softmaxPredictions(64, 8, k, temp, seed++);
        exact.push(nuclearNorm(A));
        approx.push(nuclearNormApprox(A));
      }
    }
    // measured: Spearman 0.994, ratio approx/exact in [1.0000, 1.143]
    expect(spearman(exact, approx)).toBeGreaterThan(0.97);
    for (let i = 0; i < exact.length; i++) {
      expect(approx[i]! / exact[i]!).toBeGreaterThanOrEqual(1 - 1e-12);
      expect(approx[i]! / exact[i]!).toBeLessThan(1.2);
    }
  });

  it('only loosely tracks generic low-rank matrices: order kept, ratio spread up to √n', () => {
    // Gaussian 64×32 of rank r, ‖A‖_F = 1: exact grows like √r, L1,2 stays near √n·‖A‖_F
    const exact: number[] = [];
    const approx: number[] = [];
    for (const r of [1, 2, 4, 8, 16, 32]) {
      const A = matmul(randn(64, r, { seed: 100 + r }), randn(r, 32, { seed: 200 + r }));
      const f = fro(A);
      const An = new Matrix(
        A.data.map((v) => v / f),
        64,
        32,
      );
      exact.push(nuclearNorm(An));
      approx.push(nuclearNormApprox(An));
    }
    expect(spearman(exact, approx)).toBeGreaterThan(0.9);
    // measured ratio: ≈ 4.5 at rank 1 down to ≈ 1.24 at rank 32 (bounded by √32 ≈ 5.66)
    expect(approx[0]! / exact[0]!).toBeGreaterThan(3);
    expect(approx[5]! / exact[5]!).toBeLessThan(1.5);
  });

  it('validates topD and handles empty matrices', () => {
    const A = randn(3, 4, { seed: 2 });
    expect(() => nuclearNormApprox(A, { topD: 0 })).toThrow(/options.topD/);
    expect(() => nuclearNormApprox(A, { topD: 5 })).toThrow(
      /options.topD: expected an integer in \[1, 4\]/,
    );
    expect(nuclearNormApprox(new Matrix(new Float64Array(0), 0, 4))).toBe(0);
    expect(() => nuclearNormApprox(Matrix.from([[Infinity]]))).toThrow(NonFiniteError);
  });
});

describe("matrixNuclearNorm — the paper's normalized score", () => {
  it.each(fixture.cases.map((c) => [`${c.L}×${c.d}`, c] as const))(
    '%s matches the numpy reimplementation of the reference pipeline',
    (_, c) => {
      const R = response(c.L, c.d, c.c);
      expect(matrixNuclearNorm(R)).toBeCloseTo(c.mnn, 12);
    },
  );

  it('is invariant to feature offsets and global scale, and lies in [0, 1]', () => {
    const R = response(20, 10, 0.3);
    const base = matrixNuclearNorm(R);
    const shifted = new Matrix(new Float64Array(200), 20, 10);
    for (let i = 0; i < 20; i++)
      for (let j = 0; j < 10; j++) shifted.set(i, j, -3.5 * R.get(i, j) + 7 * j - 2);
    expect(matrixNuclearNorm(shifted)).toBeCloseTo(base, 12);
    expect(base).toBeGreaterThan(0);
    expect(base).toBeLessThanOrEqual(1);
    // one token: the centred matrix is zero
    expect(matrixNuclearNorm(Matrix.from([[1, 2, 3]]))).toBe(0);
    expect(() => matrixNuclearNorm(new Matrix(new Float64Array(0), 0, 3))).toThrow(
      InvalidArgumentError,
    );
  });
});
