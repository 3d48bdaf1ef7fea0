import { qr } from '@lr/core';
import { describe, expect, test } from 'vitest';
import { olora } from '../../src/methods/index.js';
import { identityTol, product, reconstruct, relDiff, WEIGHTS, weight } from './helpers.js';

describe('olora on real weights', () => {
  for (const name of WEIGHTS) {
    const W = weight(name);
    test(`${name}: B = Q[:, :r], A = R[:r], W = W_res + s·B·A`, () => {
      const r = 8;
      for (const alpha of [8, 16]) {
        const init = olora(W, { rank: r, alpha });
        expect(init.A.shape).toEqual([r, W.cols]);
        expect(init.B.shape).toEqual([W.rows, r]);
        const back = reconstruct(init.residual, init.B, init.A, init.scaling);
        expect(relDiff(back, W)).toBeLessThan(identityTol(W));
        expect(init.diagnostics.relativeError).toBeLessThan(identityTol(W));
        // B orthonormal, A upper trapezoidal
        const BtB = product(init.B.T, init.B);
        for (let i = 0; i < r; i++)
          for (let j = 0; j < r; j++)
            expect(Math.abs(BtB.get(i, j) - (i === j ? 1 : 0))).toBeLessThan(identityTol(W));
        for (let i = 0; i < r; i++) for (let j = 0; j < i; j++) expect(init.A.get(i, j)).toBe(0);
        // the same factors as the thin QR
        const { Q, R } = qr(W);
        expect(relDiff(init.B, Q!.colRange(0, r))).toBe(0);
        expect(relDiff(init.A, R.rowRange(0, r))).toBe(0);
      }
    });
  }
});
