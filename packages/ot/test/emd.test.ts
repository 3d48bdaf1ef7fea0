import { Matrix } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emd } from '../src/emd.js';
import { colSums, histogram, maxAbsDiff, permutations, randomCost, rowSums } from './helpers.js';

function bruteForceAssignment(C: Matrix): number {
  let best = Infinity;
  for (const p of permutations(C.rows)) {
    let s = 0;
    for (let i = 0; i < C.rows; i++) s += C.get(i, p[i]);
    best = Math.min(best, s);
  }
  return best;
}

describe('emd (network simplex)', () => {
  it('matches brute force over permutations for uniform n ≤ 7 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.boolean(),
        (n, seed, integer) => {
          const C0 = randomCost(n, n, seed);
          // integer costs create many ties and degenerate pivots
          const C = integer
            ? new Matrix(
                C0.toFloat64Array().map((x) => Math.round(3 * x)),
                n,
                n,
              )
            : C0;
          const w = new Float64Array(n).fill(1 / n);
          const r = emd(w, w, C);
          expect(r.converged).toBe(true);
          expect(r.cost).toBeCloseTo(bruteForceAssignment(C) / n, 12);
          expect(maxAbsDiff(rowSums(r.plan), w)).toBeLessThan(1e-14);
          expect(maxAbsDiff(colSums(r.plan), w)).toBeLessThan(1e-14);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('satisfies marginals, complementary slackness and strong duality (rectangular)', () => {
    for (const [n, m, seed] of [
      [5, 9, 1],
      [30, 20, 2],
      [60, 60, 3],
    ]) {
      const a = histogram(n, seed);
      const b = histogram(m, seed + 1);
      const C = randomCost(n, m, seed);
      const r = emd(a, b, C);
      expect(r.converged).toBe(true);
      expect(maxAbsDiff(rowSums(r.plan), a)).toBeLessThan(1e-14);
      expect(maxAbsDiff(colSums(r.plan), b)).toBeLessThan(1e-14);
      const { f, g } = r.potentials;
      let dual = 0;
      let nnz = 0;
      for (let i = 0; i < n; i++) dual += a[i] * f[i];
      for (let j = 0; j < m; j++) dual += b[j] * g[j];
      for (let i = 0; i < n; i++)
        for (let j = 0; j < m; j++) {
          expect(f[i] + g[j]).toBeLessThanOrEqual(C.get(i, j) + 1e-12);
          if (r.plan.get(i, j) > 0) {
            nnz++;
            expect(Math.abs(f[i] + g[j] - C.get(i, j))).toBeLessThan(1e-12);
          }
        }
      expect(Math.abs(dual - r.cost)).toBeLessThan(1e-13);
      expect(nnz).toBeLessThanOrEqual(n + m - 1);
    }
  });

  it('handles zero masses and a 1×m problem', () => {
    const C = Matrix.from([
      [0, 2, 1],
      [1, 0, 3],
    ]);
    const r = emd([0, 1], [0.5, 0.5, 0], C);
    expect(r.cost).toBeCloseTo(0.5, 15);
    const r1 = emd([1], [0.25, 0.75, 0], Matrix.from([[1, 2, 3]]));
    expect(r1.cost).toBeCloseTo(1.75, 15);
  });

  it('documents the example', () => {
    expect(
      emd(
        [0.5, 0.5],
        [0.2, 0.8],
        Matrix.from([
          [0, 1],
          [1, 0],
        ]),
      ).cost,
    ).toBeCloseTo(0.3, 15);
  });
});
