import { normFro, svd, svdReconstruct } from '@lr/core';
import { describe, expect, test } from 'vitest';
import { loldu } from '../../src/methods/index.js';
import { identityTol, product, Q_PROJ, reconstruct, relDiff, WEIGHTS, weight } from './helpers.js';

describe('loldu on real weights', () => {
  for (const name of WEIGHTS) {
    const W = weight(name);
    test(`${name}: exact reconstruction at init; P·L_r unit lower, U_r unit upper, r trainable`, () => {
      const r = 8;
      const init = loldu(W, { rank: r });
      expect(init.A.shape).toEqual([r, W.cols]);
      expect(init.B.shape).toEqual([W.rows, r]);
      expect(init.scaling).toBe(1);
      expect(init.diagnostics.trainableParameters).toBe(r);
      expect(init.z.length).toBe(r);
      expect(init.diagnostics.zeroPivots).toBe(0);
      expect(relDiff(reconstruct(init.residual, init.B, init.A, init.scaling), W)).toBeLessThan(
        identityTol(W),
      );
      expect(init.diagnostics.relativeError).toBeLessThan(identityTol(W));
      // L in LU row order is unit lower triangular with |L| ≤ 1 (partial pivoting)
      for (let i = 0; i < W.rows; i++) {
        for (let j = 0; j < r; j++) {
          const v = init.L.get(init.perm[i]!, j);
          if (j > i) expect(v).toBe(0);
          else if (j === i) expect(v).toBe(1);
          else expect(Math.abs(v)).toBeLessThanOrEqual(1);
        }
      }
      for (let i = 0; i < r; i++) {
        expect(init.U.get(i, i)).toBe(1);
        for (let j = 0; j < i; j++) expect(init.U.get(i, j)).toBe(0);
      }
      // B = P·L_r·diag(z); alpha scales the adapter (z is not divided by s)
      const s2 = loldu(W, { rank: r, alpha: 2 * r });
      expect(s2.scaling).toBe(2);
      expect(relDiff(product(s2.B, s2.A), product(init.B, init.A), W)).toBe(0);
      expect(s2.diagnostics.relativeError).toBeLessThan(identityTol(W));
      // the first elimination step zeroes the pivot row of the residual
      for (let j = 0; j < W.cols; j++)
        expect(init.residual.get(init.perm[0]!, j)).toBeCloseTo(0, 12);
    });
  }

  test('rank-deficient W: r = rank W leaves a residual at rounding level', () => {
    const W = svdReconstruct(svd(weight(Q_PROJ)), { rank: 5 });
    const init = loldu(W, { rank: 5 });
    expect(init.diagnostics.relativeError).toBeLessThan(identityTol(W));
    // the Schur complement after rank W steps vanishes up to rounding (times LU's growth)
    const rel = normFro(init.residual) / normFro(W);
    expect(rel).toBeLessThan(1e3 * identityTol(W));
    expect(init.diagnostics.energy).toBeGreaterThan(1 - 1e-10);
  });

  test('an exactly zero pivot keeps z_i = 1 and the LU row, and the identity still holds', () => {
    const W = weight(Q_PROJ).clone('float64');
    for (let i = 0; i < W.rows; i++) W.set(i, 0, 0); // column 0 has no pivot
    const init = loldu(W, { rank: 4 });
    expect(init.diagnostics.zeroPivots).toBe(1);
    expect(init.z[0]).toBe(1);
    expect(init.U.get(0, 0)).toBe(0);
    expect(init.diagnostics.relativeError).toBeLessThan(identityTol(W));
  });
});
