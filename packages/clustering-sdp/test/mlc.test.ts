import { Matrix } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { kmeans, misclusteringRate, mlc } from '../src/index.js';
import { subspaces } from './_data.js';

describe('MLC (paper #35) on given features: union of subspaces', () => {
  // three random 2-dimensional subspaces of ℝ⁶, 30 points each, noise 0.05
  const { X, y } = subspaces(3, 2, 6, 30, 0.05, 2);

  it('beats k-means; Γ is doubly stochastic; the rate reduction increases', () => {
    const km = misclusteringRate(y, kmeans(X, { k: 3, nInit: 10 }).labels);
    const r = mlc(X, { k: 3 });
    const err = misclusteringRate(y, r.labels);
    process.stdout.write(`MLC claim (n = 90): k-means ${km.toFixed(3)}, MLC ${err.toFixed(3)}\n`);
    expect(km).toBeGreaterThan(0.3);
    expect(err).toBeLessThan(0.05);
    const G = r.membership;
    let worst = 0;
    for (let i = 0; i < G.rows; i++) {
      let rs = 0;
      let cs = 0;
      for (let j = 0; j < G.cols; j++) {
        rs += G.get(i, j);
        cs += G.get(j, i);
        expect(G.get(i, j)).toBeGreaterThanOrEqual(0);
      }
      worst = Math.max(worst, Math.abs(rs - 1), Math.abs(cs - 1));
    }
    expect(worst).toBeLessThan(1e-4);
    const h = r.rateReductionHistory;
    expect(h.at(-1)!).toBeGreaterThan(h[0]!);
    expect(h.at(-1)!).toBeLessThanOrEqual(r.codingRate);
  });

  it('rejects bad input', () => {
    expect(() =>
      mlc(
        Matrix.from([
          [0, 0],
          [1, 1],
        ]),
        { k: 1 },
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => mlc(X, { k: 3, temperature: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => mlc(X, { k: 3, step: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
