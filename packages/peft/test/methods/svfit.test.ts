import { svd, svdReconstruct } from '@lr/core';
import { describe, expect, test } from 'vitest';
import { svfit } from '../../src/methods/index.js';
import { identityTol, product, reconstruct, relDiff, WEIGHTS, weight } from './helpers.js';

describe('svfit on real weights', () => {
  for (const name of WEIGHTS) {
    const W = weight(name);
    const { S } = svd(W, { valuesOnly: true });

    test(`${name}: rank for 99 % energy, r trainable numbers, W = U_r Σ_r V_rᵀ + W_e`, () => {
      const init = svfit(W);
      const r = init.rank;
      let total = 0;
      for (const s of S) total += s * s;
      let head = 0;
      for (let i = 0; i < r; i++) head += S[i]! ** 2;
      const below = head - S[r - 1]! ** 2;
      expect(head / total).toBeGreaterThanOrEqual(0.99); // r holds 99 %
      expect(below / total).toBeLessThan(0.99); // r − 1 does not
      expect(init.diagnostics.energy).toBeCloseTo(head / total, 12);
      expect(init.diagnostics.trainableParameters).toBe(r);
      expect(init.S.length).toBe(r);
      expect(init.U.shape).toEqual([W.rows, r]);
      expect(init.Vt.shape).toEqual([r, W.cols]);
      expect(init.scaling).toBe(1);
      // the SVFit form and the LoRA form are the same update
      const usv = svdReconstruct({ U: init.U, S: init.S, Vt: init.Vt }, {});
      expect(relDiff(usv, product(init.B, init.A, init.scaling), W)).toBeLessThan(identityTol(W));
      expect(relDiff(reconstruct(init.residual, init.B, init.A, init.scaling), W)).toBeLessThan(
        identityTol(W),
      );
      expect(init.diagnostics.relativeError).toBeLessThan(identityTol(W));
      for (let i = 0; i < r; i++) expect(Math.abs(init.S[i]! - S[i]!)).toBeLessThan(1e-12 * S[0]!);
    });
  }

  test('a fixed rank overrides energy; alpha rescales the LoRA form only', () => {
    const W = weight(WEIGHTS[0]);
    const a = svfit(W, { rank: 5 });
    expect(a.rank).toBe(5);
    expect(Number.isNaN(a.diagnostics.energyTarget as number)).toBe(true);
    const b = svfit(W, { rank: 5, alpha: 20 });
    expect(b.scaling).toBe(4);
    expect(relDiff(product(b.B, b.A, b.scaling), product(a.B, a.A), W)).toBeLessThan(
      identityTol(W),
    );
    expect(Array.from(b.S)).toEqual(Array.from(a.S));
    // a lower energy target never needs more components
    expect(svfit(W, { energy: 0.5 }).rank).toBeLessThan(svfit(W).rank);
    expect(svfit(W, { energy: 1 }).rank).toBeLessThanOrEqual(Math.min(W.rows, W.cols));
  });
});
