import {
  AbortedError,
  EPS,
  hosvd,
  InvalidArgumentError,
  Matrix,
  randn,
  ShapeError,
  svd,
  Tensor,
  tensorRandn,
  tucker,
  tuckerReconstruct,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { orthogonalityError } from '../helpers.js';
import { addNoise, lowRankTensor, naiveReconstruct, tdiff, tnorm } from './_tensors.js';

const eps = EPS.float64;

describe('tucker (HOOI, Kolda & Bader 2009 Fig. 4.4)', () => {
  it('recovers a tensor of known multilinear rank exactly and converges at once', () => {
    const { X } = lowRankTensor([9, 8, 7], [3, 4, 2], 11);
    const res = tucker(X, { ranks: [3, 4, 2] });
    expect(res.converged).toBe(true);
    expect(res.iterations).toBeLessThanOrEqual(2);
    expect(res.relativeError).toBeLessThan(100 * eps);
    expect(res.history.length).toBe(res.iterations + 1);
    for (const U of res.factors) expect(orthogonalityError(U)).toBeLessThan(10);
    expect(tdiff(tuckerReconstruct(res.core, res.factors), X) / tnorm(X)).toBeLessThan(100 * eps);
  });

  it.each([1, 2, 3])(
    'HOOI error ≤ HOSVD error, history non-increasing, error matches the residual (seed %i)',
    (seed) => {
      const X = addNoise(lowRankTensor([8, 7, 6], [3, 3, 3], seed).X, 0.2, seed + 100);
      const ranks = [2, 2, 2];
      const h = tucker(X, { ranks, method: 'hosvd' });
      const r = tucker(X, { ranks, maxIterations: 200 });
      expect(h.iterations).toBe(0);
      expect(h.converged).toBe(true);
      expect(r.converged).toBe(true);
      expect(r.relativeError).toBeLessThanOrEqual(h.relativeError + 1e-14);
      expect(r.history[0]).toBeCloseTo(h.relativeError, 14);
      for (let i = 1; i < r.history.length; i++)
        expect(r.history[i]!).toBeLessThanOrEqual(r.history[i - 1]! + 1e-14);
      const rec = naiveReconstruct(r.core, r.factors);
      expect(Math.abs(tdiff(rec, X) / tnorm(X) - r.relativeError)).toBeLessThan(1e-13);
      // orthonormal factors: ‖X̂‖ = ‖G‖, and ‖X − X̂‖² = ‖X‖² − ‖G‖²
      const g = tnorm(r.core);
      expect(Math.abs(r.relativeError ** 2 - (1 - (g / tnorm(X)) ** 2))).toBeLessThan(1e-12);
      for (const U of r.factors) expect(orthogonalityError(U)).toBeLessThan(20);
    },
  );

  it('HOOI strictly improves on HOSVD where they differ (measured gap)', () => {
    const X = tensorRandn([10, 9, 8], { seed: 21 });
    const h = tucker(X, { ranks: 3, method: 'hosvd' });
    const r = tucker(X, { ranks: 3, maxIterations: 20 });
    // on a random (unstructured) tensor the truncated HOSVD is far from stationary for HOOI:
    // measured 0.9498 → 0.8791 after 157 sweeps (converged), most of it in the first sweeps
    expect(r.relativeError).toBeLessThan(h.relativeError - 0.02);
  });

  it('the 2-d case equals the truncated SVD error sqrt(Σ_{i>r} σ_i²)/‖A‖ (Eckart–Young)', () => {
    const A = randn(12, 9, { seed: 31 });
    const { S } = svd(A, { valuesOnly: true });
    const total = Math.sqrt(S.reduce((a, s) => a + s * s, 0));
    for (const r of [1, 3, 5, 9]) {
      const tail = Math.sqrt(S.slice(r).reduce((a, s) => a + s * s, 0)) / total;
      const h = tucker(A, { ranks: [r, r], method: 'hosvd' });
      const o = tucker(A, { ranks: [r, r] });
      expect(Math.abs(h.relativeError - tail)).toBeLessThan(1e-13);
      expect(Math.abs(o.relativeError - tail)).toBeLessThan(1e-13);
      expect(o.core).toBeInstanceOf(Matrix);
    }
  });

  it('reports non-convergence instead of failing silently, and honours onProgress and signal', () => {
    const X = tensorRandn([7, 7, 7], { seed: 41 });
    const seen: number[] = [];
    const r = tucker(X, {
      ranks: 2,
      maxIterations: 2,
      tol: 0,
      onProgress: (p) => seen.push(p.iteration),
    });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
    expect(seen).toEqual([0, 1, 2]);
    const ac = new AbortController();
    ac.abort();
    expect(() => tucker(X, { ranks: 2, signal: ac.signal })).toThrow(AbortedError);
    const ac2 = new AbortController();
    expect(() =>
      tucker(X, {
        ranks: 2,
        tol: 0,
        signal: ac2.signal,
        onProgress: (p) => p.iteration === 1 && ac2.abort(),
      }),
    ).toThrow(AbortedError);
  });

  it('handles the zero tensor and order-1 tensors', () => {
    const Z = new Tensor(new Float64Array(24), [2, 3, 4]);
    const z = tucker(Z, { ranks: 1 });
    expect(z.relativeError).toBe(0);
    expect(z.converged).toBe(true);
    const v = new Tensor(Float64Array.from([1, 2, 2]), [3]);
    const rv = tucker(v, { ranks: 1 });
    expect(rv.relativeError).toBeLessThan(1e-15);
  });

  it('validates options and factors', () => {
    const X = tensorRandn([3, 3, 3], { seed: 1 });
    expect(() => tucker(X, { method: 'cp' as 'hooi' })).toThrow(/options.method/);
    expect(() => tucker(X, { maxIterations: 0 })).toThrow(/options.maxIterations/);
    expect(() => tucker(X, { tol: -1 })).toThrow(/options.tol/);
    expect(() => tucker(X, { onProgress: 3 as never })).toThrow(InvalidArgumentError);
    const { core, factors } = hosvd(X, { ranks: 2 });
    expect(() => tuckerReconstruct(core, factors.slice(0, 2))).toThrow(
      /factors: expected an array of 3 matrices/,
    );
    expect(() => tuckerReconstruct(core, [factors[0]!, factors[1]!, randn(3, 3)])).toThrow(
      ShapeError,
    );
    const bad = randn(3, 2);
    bad.set(0, 0, Number.NaN);
    expect(() => tuckerReconstruct(core, [factors[0]!, factors[1]!, bad])).toThrow(
      /factors\[2\]: expected finite/,
    );
  });
});
