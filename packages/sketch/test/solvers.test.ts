import { CsrMatrix, gemv, LrError, lsqr, lstsq, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { countSketch, sketchedLeastSquares, sketchPreconditionedLstsq } from '../src/index.js';
import { illConditioned, vec } from './_fixtures.js';

function relDiff(x: Float64Array, y: Float64Array): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    e += (x[i]! - y[i]!) ** 2;
    s += y[i]! ** 2;
  }
  return Math.sqrt(e / s);
}

describe('sketchedLeastSquares', () => {
  const n = 1500;
  const d = 12;
  const A = randn(n, d, { seed: 11 });
  const b = vec(n, 12);
  const exact = lstsq(A, b).x;

  it.each(['gaussian', 'srht', 'osnap'] as const)(
    '%s with m = 8d gives a (1 + ε) residual and reports errors against lstsq',
    (sketch) => {
      const r = sketchedLeastSquares(A, b, { sketch, m: 8 * d, seed: 1 });
      expect(r.sketchRows).toBe(8 * d);
      expect(r.optimalResidualNorm).toBeDefined();
      // subspace embedding with m/d = 8: residual within ~(1 + d/m) of the optimum
      expect(r.residualNorm / r.optimalResidualNorm!).toBeLessThan(1.25);
      expect(r.residualNorm).toBeGreaterThanOrEqual(r.optimalResidualNorm! * (1 - 1e-12));
      let linf = 0;
      for (let j = 0; j < d; j++) linf = Math.max(linf, Math.abs(r.x[j]! - exact[j]!));
      expect(r.lInfError).toBeCloseTo(linf, 12);
      expect(r.l2Error!).toBeGreaterThanOrEqual(linf);
      expect(r.linfEpsilon).toBeGreaterThan(0);
    },
  );

  it('countsketch with m = d² is accurate too, and a CSR A gives the same answer as dense', () => {
    const r = sketchedLeastSquares(A, b, { sketch: 'countsketch', m: d * d, seed: 2 });
    expect(r.residualNorm / r.optimalResidualNorm!).toBeLessThan(1.25);
    const csr = CsrMatrix.fromDense(A);
    const S = countSketch(d * d, n, { seed: 2 });
    const r1 = sketchedLeastSquares(csr, b, { sketch: S });
    const r2 = sketchedLeastSquares(A, b, { sketch: S });
    expect(relDiff(r1.x, r2.x)).toBeLessThan(1e-12);
    expect(r1.lInfError).toBeCloseTo(r2.lInfError!, 12);
  });

  it('is exact for a consistent system (b in range(A))', () => {
    const xt = vec(d, 3);
    const r = sketchedLeastSquares(A, gemv(A, xt), { sketch: 'srht', seed: 4, xTrue: xt });
    expect(r.l2Error!).toBeLessThan(1e-10);
    expect(r.residualNorm).toBeLessThan(1e-9);
  });

  it('skips the reference when compareExact is false and validates inputs', () => {
    const r = sketchedLeastSquares(A, b, { compareExact: false });
    expect(r.l2Error).toBeUndefined();
    expect(r.sketchRows).toBe(4 * d);
    expect(() => sketchedLeastSquares(A, new Float64Array(n - 1))).toThrow(LrError);
    expect(() => sketchedLeastSquares(A, b, { m: 0 })).toThrow(LrError);
    expect(() => sketchedLeastSquares(A, b, { sketch: countSketch(5, n + 1) })).toThrow(LrError);
    const bad = Float64Array.from(b);
    bad[3] = Number.POSITIVE_INFINITY;
    expect(() => sketchedLeastSquares(A, bad)).toThrow(LrError);
  });
});

describe('sketchPreconditionedLstsq (Blendenpik / LSRN)', () => {
  // κ(A) = 1e8, tall: plain LSQR stalls, the sketch-preconditioned one needs a few tens.
  const n = 2000;
  const d = 50;
  const A = illConditioned(n, d, 1e8, 1);
  const b = vec(n, 5);

  it.each(['gaussian', 'srht', 'countsketch'] as const)(
    '%s: reaches relative residual 1e-10 in a few tens of iterations where LSQR needs far more',
    (sketch) => {
      const r = sketchPreconditionedLstsq(A, b, { sketch, seed: 1 });
      expect(r.converged).toBe(true);
      expect(r.relativeResidual).toBeLessThanOrEqual(1e-10);
      expect(r.iterations).toBeLessThan(60);
      expect(r.sketchRows).toBe(2 * d);
      expect(r.conditionOfPreconditioned).toBeLessThan(200); // Frobenius estimate ≤ √d·κ₂
      // the solution agrees with the SVD-based lstsq to the accuracy κ·ε allows
      expect(relDiff(r.x, lstsq(A, b).x)).toBeLessThan(1e-6);
      // plain LSQR with the same tolerance and 10× the iterations is still far off
      const plain = lsqr(A, b, { atol: 1e-10, btol: 1e-10, conlim: 0, maxIterations: 600 });
      expect(plain.converged).toBe(false);
      expect(plain.arnorm / (plain.anorm * plain.r1norm)).toBeGreaterThan(1e-9);
    },
  );

  it('works on CSR input, reports progress, and rejects a rank-deficient A', () => {
    const B = randn(400, 10, { seed: 3 });
    const c = vec(400, 4);
    const csr = CsrMatrix.fromDense(B);
    let calls = 0;
    const r = sketchPreconditionedLstsq(csr, c, { seed: 2, onProgress: () => calls++ });
    expect(r.relativeResidual).toBeLessThanOrEqual(1e-10);
    expect(calls).toBe(r.iterations);
    expect(relDiff(r.x, lstsq(B, c).x)).toBeLessThan(1e-9);
    const D = B.clone();
    for (let i = 0; i < 400; i++) D.set(i, 9, D.get(i, 0));
    expect(() => sketchPreconditionedLstsq(D, c)).toThrow(LrError);
    expect(() => sketchPreconditionedLstsq(B, c, { oversampling: 0.5 })).toThrow(LrError);
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => sketchPreconditionedLstsq(B, c, { signal: ctrl.signal })).toThrow(LrError);
  });
});
