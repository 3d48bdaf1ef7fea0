import { cg, diag, Matrix, matmul, randn, solve } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  maxDiff,
  mv,
  nrm,
  poisson1d,
  poisson2d,
  poisson2dDense,
  randomOrthonormal,
} from './_problems.js';

function randomSpd(n: number, seed: number): Matrix {
  const X = randn(n + 5, n, { seed });
  const A = matmul(X.T, X);
  for (let i = 0; i < n; i++) A.set(i, i, A.get(i, i) + 1);
  return A;
}

/** Q·diag(λ)·Qᵀ with a random orthogonal Q. */
function spdWithSpectrum(lambda: number[], seed: number): Matrix {
  const n = lambda.length;
  const Q = randomOrthonormal(n, n, seed);
  return matmul(matmul(Q, diag(lambda)), Q.T);
}

function residual(A: Matrix, x: Float64Array, b: Float64Array): number {
  const Ax = mv(A, x);
  return nrm(Array.from(b, (v, i) => v - Ax[i]!));
}

describe('cg', () => {
  it.each([5, 17, 40])(
    'solves a random SPD system of size %i to its tolerance and matches a direct solve',
    (n) => {
      const A = randomSpd(n, n);
      const b = randn(n, 1, { seed: 100 + n }).toFloat64Array();
      const res = cg(A, b, { rtol: 1e-10 });
      expect(res.converged).toBe(true);
      // the reported residual is the true one up to rounding, and meets max(rtol·‖b‖, atol)
      expect(residual(A, res.x, b)).toBeLessThanOrEqual(1e-10 * nrm(b) * 1.01);
      expect(res.residualNorm).toBeLessThanOrEqual(1e-10 * nrm(b));
      const direct = solve(A, Matrix.fromData(Float64Array.from(b), n, 1)).toFloat64Array();
      expect(maxDiff(res.x, direct)).toBeLessThan(1e-8 * nrm(direct));
      expect(res.history).toHaveLength(res.iterations + 1);
      expect(res.history[0]).toBeCloseTo(nrm(b), 12);
    },
  );

  it('solves 1-D Poisson (dense) and 2-D Poisson (matrix-free) and matches direct solves', () => {
    const n = 60;
    const A = poisson1d(n);
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 3) + 1);
    const r1 = cg(A, b, { rtol: 1e-12 });
    expect(r1.converged).toBe(true);
    // tridiagonal SPD with n distinct eigenvalues: at most n steps in exact arithmetic
    expect(r1.iterations).toBeLessThanOrEqual(n + 5);
    const d1 = solve(A, Matrix.fromData(Float64Array.from(b), n, 1)).toFloat64Array();
    expect(maxDiff(r1.x, d1)).toBeLessThan(1e-9 * nrm(d1));

    const N = 16;
    const op = poisson2d(N);
    const b2 = Float64Array.from({ length: N * N }, (_, i) => Math.cos(i));
    const r2 = cg(op, b2, { rtol: 1e-10 });
    expect(r2.converged).toBe(true);
    const d2 = solve(
      poisson2dDense(N),
      Matrix.fromData(Float64Array.from(b2), N * N, 1),
    ).toFloat64Array();
    expect(maxDiff(r2.x, d2)).toBeLessThan(1e-8 * nrm(d2));
  });

  it('uses scipy defaults: rtol 1e-5 relative to ‖b‖, stops as soon as it is met', () => {
    const A = poisson1d(50);
    const b = new Float64Array(50).fill(1);
    const res = cg(A, b);
    expect(res.converged).toBe(true);
    expect(res.residualNorm).toBeLessThanOrEqual(1e-5 * nrm(b));
    // the previous iterate had not met it (no wasted iterations)
    expect(res.history[res.history.length - 2]!).toBeGreaterThan(1e-5 * nrm(b));
    // atol alone
    const r2 = cg(A, b, { rtol: 0, atol: 1e-3 });
    expect(r2.residualNorm).toBeLessThanOrEqual(1e-3);
  });

  it('terminates in at most (number of distinct eigenvalues) steps (Hestenes & Stiefel 1952)', () => {
    const lambda = Array.from({ length: 30 }, (_, i) => [1, 3, 10, 40, 100][i % 5]!);
    const A = spdWithSpectrum(lambda, 7);
    const b = randn(30, 1, { seed: 8 }).toFloat64Array();
    const res = cg(A, b, { rtol: 1e-10 });
    expect(res.converged).toBe(true);
    expect(res.iterations).toBeLessThanOrEqual(5 + 1);
  });

  it('obeys the Chebyshev bound ‖e_k‖_A ≤ 2((√κ−1)/(√κ+1))^k ‖e_0‖_A at every step', () => {
    const n = 80;
    const kappa = 1000;
    const lambda = Array.from({ length: n }, (_, i) => kappa ** (i / (n - 1)));
    const A = spdWithSpectrum(lambda, 11);
    const xTrue = randn(n, 1, { seed: 12 }).toFloat64Array();
    const b = mv(A, xTrue);
    const aNorm = (e: Float64Array) =>
      Math.sqrt(Array.from(mv(A, e)).reduce((s, v, i) => s + v * e[i]!, 0));
    const e0 = aNorm(xTrue);
    const rho = (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1);
    for (const k of [5, 10, 20, 40]) {
      const { x } = cg(A, b, { rtol: 0, maxIterations: k });
      const ek = aNorm(Float64Array.from(x, (v, i) => v - xTrue[i]!));
      expect(ek).toBeLessThanOrEqual(2 * rho ** k * e0 * (1 + 1e-8));
    }
  });

  it('a Jacobi preconditioner cuts the iterations on a badly scaled SPD matrix', () => {
    const n = 100;
    const P = poisson1d(n);
    const d = Float64Array.from({ length: n }, (_, i) => 10 ** ((3 * i) / (n - 1)));
    const A = P.clone();
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) A.set(i, j, d[i]! * P.get(i, j) * d[j]!);
    const b = Float64Array.from({ length: n }, (_, i) => d[i]! * Math.sin(i));
    const plain = cg(A, b, { rtol: 1e-8, maxIterations: 2000 });
    const diagA = A.diagonal();
    const jac = cg(A, b, { rtol: 1e-8, preconditioner: (r) => r.map((v, i) => v / diagA[i]!) });
    expect(plain.converged && jac.converged).toBe(true);
    expect(jac.iterations).toBeLessThan(plain.iterations / 2);
    expect(maxDiff(jac.x, plain.x)).toBeLessThan(1e-5 * nrm(plain.x));
  });

  it('starts from x0 and returns at once when x0 already solves the system', () => {
    const A = randomSpd(10, 3);
    const b = randn(10, 1, { seed: 4 }).toFloat64Array();
    const exact = cg(A, b, { rtol: 1e-13 }).x;
    const x0 = Float64Array.from(exact);
    const res = cg(A, b, { x0, rtol: 1e-6 });
    expect(res.iterations).toBe(0);
    expect(res.converged).toBe(true);
    expect(x0).toEqual(exact); // x0 not mutated
    expect(cg(A, new Float64Array(10)).x).toEqual(new Float64Array(10)); // b = 0 → x = 0
  });

  it('reports non-convergence at the cap instead of stopping silently', () => {
    const res = cg(poisson1d(200), new Float64Array(200).fill(1), {
      rtol: 1e-12,
      maxIterations: 5,
    });
    expect(res.converged).toBe(false);
    expect(res.iterations).toBe(5);
    expect(res.history).toHaveLength(6);
  });

  it('rejects an indefinite matrix and a non-SPD preconditioner', () => {
    const A = Matrix.from([
      [1, 0],
      [0, -1],
    ]);
    expect(() => cg(A, new Float64Array([0, 1]))).toThrow(/positive definite/);
    const P = poisson1d(5);
    expect(() =>
      cg(P, new Float64Array(5).fill(1), { preconditioner: (r) => r.map((v) => -v) }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('accepts strided views and leaves inputs untouched (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const A = randomSpd(n, seed);
        const At = A.T; // a transposed (strided) view of a symmetric matrix
        const b = randn(n, 1, { seed: seed + 1 }).toFloat64Array();
        const bCopy = Float64Array.from(b);
        const aCopy = A.clone();
        const r = cg(At, b, { rtol: 1e-10 });
        expect(b).toEqual(bCopy);
        expect(A.data).toEqual(aCopy.data);
        return r.converged && residual(A, r.x, b) <= 1e-10 * nrm(b) * 1.01 + 1e-300;
      }),
      { numRuns: 40 },
    );
  });

  it('stops with ABORTED when the signal fires mid-iteration', () => {
    const ctrl = new AbortController();
    const seen: number[] = [];
    expect(() =>
      cg(poisson1d(300), new Float64Array(300).fill(1), {
        rtol: 1e-14,
        signal: ctrl.signal,
        onProgress: ({ iteration }) => {
          seen.push(iteration);
          if (iteration === 3) ctrl.abort();
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'ABORTED' }));
    expect(seen).toEqual([1, 2, 3]);
  });
});
