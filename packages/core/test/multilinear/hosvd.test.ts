import {
  EPS,
  hosvd,
  InvalidArgumentError,
  NonFiniteError,
  randn,
  svd,
  Tensor,
  tensorRandn,
  tuckerReconstruct,
  unfold,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { orthogonalityError } from '../helpers.js';
import { addNoise, lowRankTensor, tdiff, tnorm } from './_tensors.js';

const eps = EPS.float64;

describe('hosvd (De Lathauwer, De Moor & Vandewalle 2000)', () => {
  it('full-rank HOSVD is exact, with orthonormal factors and an all-orthogonal core', () => {
    const X = tensorRandn([4, 5, 3], { seed: 1 });
    const { core, factors, singularValues } = hosvd(X);
    expect(core.shape).toEqual([4, 5, 3]);
    for (const U of factors) expect(orthogonalityError(U)).toBeLessThan(10);
    const rec = tuckerReconstruct(core, factors);
    expect(tdiff(rec, X) / (tnorm(X) * eps * 60)).toBeLessThan(10);
    // all-orthogonality: rows of G_(n) orthogonal, with norms = mode-n singular values
    for (let n = 0; n < 3; n++) {
      const Gn = unfold(core, n);
      const S = singularValues[n]!;
      for (let i = 0; i < Gn.rows; i++) {
        for (let j = 0; j < Gn.rows; j++) {
          let s = 0;
          for (let c = 0; c < Gn.cols; c++) s += Gn.get(i, c) * Gn.get(j, c);
          const expected = i === j ? (S[i] ?? 0) ** 2 : 0;
          expect(Math.abs(s - expected)).toBeLessThan(100 * eps * tnorm(X) ** 2);
        }
      }
      // ordering: ‖G_(n)[0,:]‖ ≥ ‖G_(n)[1,:]‖ ≥ …
      for (let i = 1; i < S.length; i++) expect(S[i]!).toBeLessThanOrEqual(S[i - 1]!);
    }
  });

  it('recovers a tensor of known multilinear rank exactly from the truncated HOSVD', () => {
    const shape = [8, 7, 6, 5];
    const ranks = [3, 2, 4, 2];
    const { X } = lowRankTensor(shape, ranks, 3);
    const { core, factors, singularValues } = hosvd(X, { ranks });
    expect(core.shape).toEqual(ranks);
    factors.forEach((U, n) => {
      expect(U.rows).toBe(shape[n]);
      expect(U.cols).toBe(ranks[n]);
      expect(orthogonalityError(U)).toBeLessThan(10);
      // the unfolding has exactly rank R_n
      expect(singularValues[n]![ranks[n]! - 1]!).toBeGreaterThan(1e-3);
      expect(singularValues[n]![ranks[n]!] ?? 0).toBeLessThan(1e-13 * singularValues[n]![0]!);
    });
    const rec = tuckerReconstruct(core, factors);
    expect(tdiff(rec, X) / tnorm(X)).toBeLessThan(100 * eps);
  });

  it('mode-n singular values equal those of the unfolding; factors span its leading subspace', () => {
    const X = addNoise(lowRankTensor([6, 5, 4], [2, 2, 2], 5).X, 0.01, 6);
    const { factors, singularValues } = hosvd(X, { ranks: [2, 2, 2] });
    for (let n = 0; n < 3; n++) {
      const ref = svd(unfold(X, n));
      expect(Array.from(singularValues[n]!)).toEqual(Array.from(ref.S));
      // projector difference ‖UUᵀ − U_ref U_refᵀ‖ small
      const U = factors[n]!;
      const R = ref.U!.colRange(0, 2);
      let d = 0;
      for (let i = 0; i < U.rows; i++)
        for (let j = 0; j < U.rows; j++) {
          let a = 0;
          let b = 0;
          for (let c = 0; c < 2; c++) {
            a += U.get(i, c) * U.get(j, c);
            b += R.get(i, c) * R.get(j, c);
          }
          d = Math.max(d, Math.abs(a - b));
        }
      expect(d).toBeLessThan(1e-12);
    }
  });

  it('truncation error obeys max_n tail_n² ≤ ‖X − X̂‖² ≤ Σ_n tail_n² (De Lathauwer et al. 2000, Property 10)', () => {
    const X = addNoise(lowRankTensor([7, 6, 5], [3, 3, 3], 8).X, 0.3, 9);
    const ranks = [2, 3, 2];
    const { core, factors, singularValues } = hosvd(X, { ranks });
    const err2 = tdiff(tuckerReconstruct(core, factors), X) ** 2;
    const tails = singularValues.map((S, n) => S.slice(ranks[n]).reduce((a, s) => a + s * s, 0));
    expect(err2).toBeLessThanOrEqual(tails.reduce((a, b) => a + b, 0) * (1 + 1e-12));
    expect(err2).toBeGreaterThanOrEqual(Math.max(...tails) * (1 - 1e-12));
  });

  it('accepts a single rank for all modes, vectors and matrices', () => {
    const X = tensorRandn([5, 5, 5], { seed: 2 });
    expect(hosvd(X, { ranks: 2 }).core.shape).toEqual([2, 2, 2]);
    const v = new Tensor(Float64Array.from([3, 4]), [2]);
    const hv = hosvd(v, { ranks: 1 });
    expect(Math.abs(hv.core.at(0))).toBeCloseTo(5, 14);
    const A = randn(4, 3, { seed: 3 });
    const hA = hosvd(A, { ranks: [2, 2] });
    expect(hA.core.constructor.name).toBe('Matrix');
  });

  it('validates its arguments and does not modify the input', () => {
    const X = tensorRandn([3, 3], { seed: 4 });
    const copy = X.toFloat64Array();
    hosvd(X, { ranks: 1 });
    expect(X.toFloat64Array()).toEqual(copy);
    expect(() => hosvd(X, { ranks: [1] })).toThrow(
      /options.ranks: expected a number or an array of 2 ranks/,
    );
    expect(() => hosvd(X, { ranks: [1, 4] })).toThrow(
      /options.ranks\[1\]: expected an integer in \[1, 3\]/,
    );
    expect(() => hosvd(X, { ranks: 0 })).toThrow(InvalidArgumentError);
    expect(() => hosvd(new Tensor(new Float64Array(0), [0, 3]))).toThrow(/every dimension/);
    expect(() => hosvd(new Tensor(Float64Array.from([1, Number.NaN]), [2]))).toThrow(
      NonFiniteError,
    );
    expect(() => hosvd(X, 'fast' as never)).toThrow(/options/);
  });
});
