import { Matrix, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, kmeans } from '../src/index.js';
import { mixture } from './_data.js';
import { fx, hasTable, loadTable, maxAbsDiff, rows } from './_fixtures.js';

describe.skipIf(!hasTable('iris.csv') || !hasTable('wine_data.csv'))(
  'kmeans vs scikit-learn',
  () => {
    it('iris from given centers: same labels, inertia, iterations and centers', () => {
      const { X } = loadTable('iris.csv');
      const ref = fx.kmeans_iris;
      const r = kmeans(X, { k: 3, init: rows(X, ref.init_rows) });
      expect(Array.from(r.labels)).toEqual(ref.labels);
      expect(r.inertia).toBeCloseTo(ref.inertia, 9);
      expect(r.iterations).toBe(ref.n_iter);
      expect(r.converged).toBe(true);
      expect(r.nInit).toBe(1);
      expect(maxAbsDiff(r.centers.data, ref.centers.flat())).toBeLessThan(1e-12 * 10);
    });

    it('wine (k = 4) from given centers: same labels, inertia and iterations', () => {
      const { X } = loadTable('wine_data.csv');
      const ref = fx.kmeans_wine;
      const r = kmeans(X, { k: 4, init: rows(X, ref.init_rows) });
      expect(Array.from(r.labels)).toEqual(ref.labels);
      expect(Math.abs(r.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-12);
      expect(r.iterations).toBe(ref.n_iter);
    });

    it('real tables: ARI of k-means++ (10 inits) equals scikit-learn KMeans(n_init=10)', () => {
      for (const name of ['iris.csv', 'wine_data.csv', 'breast_cancer.csv']) {
        if (!hasTable(name)) continue;
        const { X, y } = loadTable(name);
        const ref = fx.tables[name];
        const r = kmeans(X, { k: ref.k, nInit: 10, seed: 0 });
        expect(adjustedRandIndex(y, r.labels)).toBeCloseTo(ref.kmeans_ari, 6);
      }
    });
  },
);

describe('kmeans', () => {
  const { X, y } = mixture(
    [
      [0, 0],
      [6, 0],
      [0, 6],
    ],
    [30, 30, 30],
    [1, 1, 1],
    11,
  );

  it('recovers well-separated blobs, inertia is non-increasing along the iterations', () => {
    const r = kmeans(X, { k: 3, seed: 1 });
    expect(adjustedRandIndex(y, r.labels)).toBe(1);
    for (let i = 1; i < r.inertiaHistory.length; i++) {
      expect(r.inertiaHistory[i]!).toBeLessThanOrEqual(r.inertiaHistory[i - 1]! * (1 + 1e-12));
    }
    expect(r.inertia).toBeLessThanOrEqual(r.inertiaHistory.at(-1)! * (1 + 1e-12));
  });

  it('is deterministic for a seed and does not mutate its input', () => {
    const before = X.data.slice();
    const a = kmeans(X, { k: 4, seed: 5, init: 'random' });
    const b = kmeans(X, { k: 4, seed: 5, init: 'random' });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.nInit).toBe(10); // 'auto' with 'random'
    expect(Array.from(X.data)).toEqual(Array.from(before));
  });

  it('k-means++ beats a single random init on average (inertia)', () => {
    const Z = randn(200, 2, { seed: 2 });
    let pp = 0;
    let rnd = 0;
    for (let s = 0; s < 10; s++) {
      pp += kmeans(Z, { k: 8, seed: s, maxIterations: 1 }).inertiaHistory[0]!;
      rnd += kmeans(Z, { k: 8, seed: s, init: 'random', nInit: 1, maxIterations: 1 })
        .inertiaHistory[0]!;
    }
    expect(pp).toBeLessThan(rnd);
  });

  it('relocates an empty cluster to the farthest point', () => {
    const P = Matrix.from([[0], [1], [2], [10]]);
    const r = kmeans(P, { k: 3, init: Matrix.from([[1], [100], [200]]) });
    // first step: everything in cluster 0, clusters 1 and 2 empty → take 10 and then 0 (farthest from mean 3.25)
    const counts = [0, 0, 0];
    for (const l of r.labels) counts[l]!++;
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(r.inertia).toBeCloseTo(0.5, 12); // {0,1} or {1,2} pooled, others singletons
  });

  it('reports non-convergence', () => {
    const Z = randn(300, 3, { seed: 4 });
    const r = kmeans(Z, { k: 10, seed: 0, maxIterations: 2, tol: 0 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
  });

  it('rejects bad input', () => {
    expect(() => kmeans(X, { k: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => kmeans(X, { k: 1000 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => kmeans(X, { k: 2, init: Matrix.from([[0, 0]]) })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => kmeans(Matrix.from([[0], [Number.NaN]]), { k: 1 })).toThrow(
      expect.objectContaining({ code: 'NON_FINITE' }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: hostile input
    expect(() => kmeans(X, { k: 2, init: 'bogus' as any })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const ac = new AbortController();
    ac.abort();
    expect(() => kmeans(X, { k: 2, signal: ac.signal })).toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
  });
});
