import { Matrix, Rng } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costMatrix } from '../src/costMatrix.js';
import { emd } from '../src/emd.js';
import { wasserstein } from '../src/wasserstein.js';
import { wasserstein1d } from '../src/wasserstein1d.js';
import { points } from './helpers.js';

describe('wasserstein1d', () => {
  it('matches emd on the |x − y|^p cost (property, p = 1, 2, 1.5)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(1, 2, 1.5),
        (n, m, seed, p) => {
          const rng = new Rng(seed);
          const xa = Array.from({ length: n }, () => rng.normal());
          const xb = Array.from({ length: m }, () => 2 * rng.uniform());
          const wa = Array.from({ length: n }, () => rng.uniform() + 0.1);
          const wb = Array.from({ length: m }, () => rng.uniform() + 0.1);
          const r = wasserstein1d(xa, xb, { p, weightsA: wa, weightsB: wb });
          const sa = wa.reduce((s, x) => s + x, 0);
          const sb = wb.reduce((s, x) => s + x, 0);
          const C = new Matrix(new Float64Array(n * m), n, m);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < m; j++) C.set(i, j, Math.abs(xa[i] - xb[j]) ** p);
          const e = emd(
            wa.map((x) => x / sa),
            wb.map((x) => x / sb),
            C,
          );
          expect(r.cost).toBeCloseTo(e.cost, 12);
          expect(r.distance).toBeCloseTo(e.cost ** (1 / p), 10);
        },
      ),
      { numRuns: 80, seed: 3 },
    );
  });

  it('closed forms: a shift, and W1 = ∫|F − G|', () => {
    expect(wasserstein1d([0, 1, 5], [3, 4, 8], { p: 2 }).distance).toBeCloseTo(3, 14);
    // F, G step functions: ∫|F − G| for {0, 1} vs {0.5} = 0.5·0.5 + 0.5·0.5
    expect(wasserstein1d([0, 1], [0.5]).cost).toBeCloseTo(0.5, 15);
    expect(wasserstein1d([0, 1], [2, 3]).distance).toBe(2);
  });
});

describe('wasserstein and costMatrix', () => {
  it('W2 between a cloud and its translate is the translation length', () => {
    const X = points(15, 2, 4);
    const t = [0.3, -0.4];
    const Y = new Matrix(
      X.toFloat64Array().map((x, k) => x + t[k % 2]),
      15,
      2,
    );
    const D = costMatrix(X, Y, { metric: 'euclidean' });
    const r = wasserstein([], [], D, { p: 2 });
    expect(r.converged).toBe(true);
    expect(r.distance).toBeCloseTo(0.5, 7);
    // and W1 ≤ W2 (Jensen)
    expect(wasserstein([], [], D).distance).toBeLessThanOrEqual(r.distance + 1e-12);
  });

  it('costMatrix matches direct loops for every metric', () => {
    const X = points(7, 3, 1);
    const Y = points(5, 3, 2);
    for (const metric of ['sqeuclidean', 'euclidean', 'cityblock'] as const) {
      const C = costMatrix(X, Y, { metric });
      for (let i = 0; i < 7; i++)
        for (let j = 0; j < 5; j++) {
          let sq = 0;
          let l1 = 0;
          for (let k = 0; k < 3; k++) {
            sq += (X.get(i, k) - Y.get(j, k)) ** 2;
            l1 += Math.abs(X.get(i, k) - Y.get(j, k));
          }
          const want = metric === 'sqeuclidean' ? sq : metric === 'euclidean' ? Math.sqrt(sq) : l1;
          expect(C.get(i, j)).toBeCloseTo(want, 13);
        }
    }
    expect(costMatrix(X).get(3, 3)).toBeLessThan(1e-15);
    expect(
      costMatrix(
        Matrix.from([
          [0, 0],
          [1, 1],
        ]),
      ).get(0, 1),
    ).toBe(2);
  });
});
