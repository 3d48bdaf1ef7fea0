import {
  CooMatrix,
  kroneckerOperator,
  type LinearOperator,
  Matrix,
  matmul,
  matrixOperator,
  normFro,
  normSpectralEstimate,
  Rng,
  zeros,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf } from './arb.js';

// Householder reflector I − 2vvᵀ/(vᵀv): an exact orthogonal matrix for building A = H₁·diag(s)·H₂.
function householder(n: number, rng: Rng): Matrix {
  const v = Array.from({ length: n }, () => rng.normal());
  const vv = v.reduce((s, x) => s + x * x, 0);
  const H = zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) H.set(i, j, (i === j ? 1 : 0) - (2 * v[i]! * v[j]!) / vv);
  return H;
}

function withSingularValues(m: number, n: number, s: readonly number[], seed: number): Matrix {
  const rng = new Rng(seed);
  const S = zeros(m, n);
  s.forEach((x, i) => {
    S.set(i, i, x);
  });
  return matmul(matmul(householder(m, rng), S), householder(n, rng));
}

describe('normSpectralEstimate', () => {
  it('finds σ_max of matrices with known singular values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 0, max: 1000 }),
        (m, n, seed) => {
          const k = Math.min(m, n);
          // gap σ₂/σ₁ ≤ 0.8 so the iteration converges within the cap
          const s = Array.from({ length: k }, (_, i) => 10 * 0.8 ** i * (1 + (seed % 7) / 10));
          const A = withSingularValues(m, n, s, seed);
          const r = normSpectralEstimate(A, { tol: 1e-13, maxIterations: 500, seed });
          expect(r.converged).toBe(true);
          expect(Math.abs(r.value - s[0]!) / s[0]!).toBeLessThan(1e-9);
          // the estimate never exceeds σ_max (beyond rounding)
          for (const h of r.history) expect(h).toBeLessThanOrEqual(s[0]! * (1 + 1e-12));
          // the vector is a unit top right singular vector: ‖A v‖ ≈ σ₁
          const Av = matrixOperator(A).matvec(r.vector);
          expect(Math.hypot(...Av)).toBeCloseTo(s[0]!, 6);
        },
      ),
      { seed: 5, numRuns: 40 },
    );
  });

  it('the default tol gives about 6 correct digits and reports iterations', () => {
    const A = withSingularValues(
      30,
      20,
      Array.from({ length: 20 }, (_, i) => 5 / (1 + i)),
      9,
    );
    const r = normSpectralEstimate(A);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(r.history.length);
    expect(r.iterations).toBeLessThan(100);
    expect(Math.abs(r.value - 5) / 5).toBeLessThan(1e-5);
  });

  it('reports non-convergence instead of throwing', () => {
    const A = withSingularValues(6, 6, [1, 0.999, 0.5, 0.2, 0.1, 0.05], 3);
    const r = normSpectralEstimate(A, { tol: 1e-15, maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(r.value).toBeLessThanOrEqual(1 + 1e-12);
    expect(r.value).toBeGreaterThan(0.5);
  });

  it('accepts strided views, CsrMatrix and LinearOperator', () => {
    const A = withSingularValues(7, 5, [4, 2, 1, 0.5, 0.1], 11);
    const viaT = normSpectralEstimate(A.T.T.block(0, 0, 7, 5), { tol: 1e-12 });
    const viaTrans = normSpectralEstimate(A.T, { tol: 1e-12 });
    expect(viaT.value).toBeCloseTo(4, 9);
    expect(viaTrans.value).toBeCloseTo(4, 9);
    const coo = new CooMatrix(3, 4, [0, 1, 2, 2], [0, 3, 1, 1], [-3, 2, 0.5, 0.5]);
    expect(normSpectralEstimate(coo.toCsr(), { tol: 1e-12 }).value).toBeCloseTo(3, 10);
    // ‖A ⊗ B‖₂ = ‖A‖₂·‖B‖₂, through a matrix-free operator
    const B = withSingularValues(4, 3, [3, 1, 0.2], 12);
    const K = kroneckerOperator([A, B]);
    expect(normSpectralEstimate(K, { tol: 1e-13, maxIterations: 500 }).value).toBeCloseTo(12, 8);
  });

  it('is deterministic for a seed, and 0 for zero and empty matrices', () => {
    const A = withSingularValues(5, 5, [3, 2.9, 1, 1, 1], 2);
    const a = normSpectralEstimate(A, { seed: 7, tol: 1e-3 });
    const b = normSpectralEstimate(A, { seed: 7, tol: 1e-3 });
    expect(a.value).toBe(b.value);
    expect(a.history).toEqual(b.history);
    expect(normSpectralEstimate(zeros(4, 3))).toMatchObject({ value: 0, converged: true });
    expect(normSpectralEstimate(zeros(0, 3))).toMatchObject({
      value: 0,
      converged: true,
      iterations: 0,
    });
    expect(normSpectralEstimate(Matrix.from([[0, -2]])).value).toBeCloseTo(2, 12);
    expect(normSpectralEstimate(Matrix.from([[2]])).value).toBeLessThanOrEqual(
      normFro(Matrix.from([[2]])),
    );
  });

  it('validates input and options', () => {
    expect(codeOf(() => normSpectralEstimate(Matrix.from([[1, NaN]])))).toBe('NON_FINITE');
    const nanOp: LinearOperator = {
      rows: 2,
      cols: 2,
      matvec: () => new Float64Array([NaN, 0]),
      rmatvec: () => new Float64Array(2),
    };
    expect(codeOf(() => normSpectralEstimate(nanOp))).toBe('NON_FINITE');
    expect(codeOf(() => normSpectralEstimate(zeros(2, 2), { tol: -1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => normSpectralEstimate(zeros(2, 2), { tol: Number.NaN }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => normSpectralEstimate(zeros(2, 2), { maxIterations: 0 }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => normSpectralEstimate(zeros(2, 2), { seed: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => normSpectralEstimate({} as Matrix))).toBe('INVALID_ARGUMENT');
    const ac = new AbortController();
    ac.abort();
    expect(codeOf(() => normSpectralEstimate(Matrix.from([[1, 2]]), { signal: ac.signal }))).toBe(
      'ABORTED',
    );
  });
});
