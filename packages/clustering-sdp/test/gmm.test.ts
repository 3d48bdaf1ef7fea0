import { Matrix, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, type CovarianceType, gmm } from '../src/index.js';
import { mixture } from './_data.js';
import { fx, hasTable, loadTable, maxAbsDiff } from './_fixtures.js';

function initCov(type: CovarianceType, c: number[][][] | number[][] | number[]): Matrix[] | Matrix {
  if (type === 'full') return (c as number[][][]).map((m) => Matrix.from(m));
  if (type === 'tied' || type === 'diag') return Matrix.from(c as number[][]);
  return Matrix.from((c as number[]).map((v) => [v]));
}

describe.skipIf(!hasTable('iris.csv'))(
  'gmm vs scikit-learn GaussianMixture (iris, given init)',
  () => {
    const { X } = loadTable('iris.csv');
    for (const type of ['full', 'diag', 'spherical', 'tied'] as const) {
      it(`${type}: same parameters, lower bound, score, BIC/AIC, iterations, labels`, () => {
        const ref = fx.gmm_iris[type];
        const r = gmm(X, {
          k: 3,
          covarianceType: type,
          init: {
            weights: ref.init_weights,
            means: Matrix.from(ref.init_means),
            covariances: initCov(type, ref.init_covariances),
          },
        });
        expect(r.iterations).toBe(ref.n_iter);
        expect(r.converged).toBe(ref.converged);
        expect(maxAbsDiff(r.weights, ref.weights)).toBeLessThan(1e-8);
        expect(maxAbsDiff(r.means.data, ref.means.flat())).toBeLessThan(1e-8);
        const cov = Array.isArray(r.covariances)
          ? r.covariances.flatMap((m) => Array.from(m.data))
          : Array.from(r.covariances.data);
        expect(maxAbsDiff(cov, [ref.covariances].flat(3))).toBeLessThan(1e-8);
        expect(r.lowerBound).toBeCloseTo(ref.lower_bound, 9);
        expect(r.logLikelihood).toBeCloseTo(ref.score, 9);
        expect(r.bic()).toBeCloseTo(ref.bic, 6);
        expect(r.aic()).toBeCloseTo(ref.aic, 6);
        expect(Array.from(r.labels)).toEqual(ref.labels);
        expect(Array.from(r.predict(X))).toEqual(ref.labels);
        const first5 = Matrix.from([0, 1, 2, 3, 4].map((i) => Array.from(X.rowArray(i))));
        expect(maxAbsDiff(r.scoreSamples(first5), ref.score_samples_first5)).toBeLessThan(1e-8);
      });
    }
  },
);

describe('gmm', () => {
  it('EM never decreases the likelihood and separates anisotropic clusters', () => {
    const { X, y } = mixture(
      [
        [0, 0],
        [0, 3],
      ],
      [60, 60],
      [
        [3, 0.3],
        [0.3, 0.3],
      ],
      5,
    );
    for (const type of ['full', 'diag', 'spherical', 'tied'] as const) {
      const r = gmm(X, { k: 2, covarianceType: type, seed: 1, tol: 1e-8, maxIterations: 500 });
      for (let i = 1; i < r.lowerBoundHistory.length; i++) {
        expect(r.lowerBoundHistory[i]!).toBeGreaterThanOrEqual(r.lowerBoundHistory[i - 1]! - 1e-10);
      }
      let rowErr = 0;
      for (let i = 0; i < X.rows; i++) {
        let s = 0;
        for (let c = 0; c < 2; c++) s += r.responsibilities.get(i, c);
        rowErr = Math.max(rowErr, Math.abs(s - 1));
      }
      expect(rowErr).toBeLessThan(1e-12);
      if (type === 'full' || type === 'diag')
        expect(adjustedRandIndex(y, r.labels)).toBeGreaterThan(0.95);
    }
  });

  it('BIC prefers the true number of components', () => {
    const { X } = mixture(
      [
        [0, 0],
        [8, 0],
        [0, 8],
      ],
      [50, 50, 50],
      [1, 1, 1],
      9,
    );
    const bic = [1, 2, 3, 4, 5].map((k) => gmm(X, { k, seed: 0 }).bic());
    expect(bic.indexOf(Math.min(...bic))).toBe(2);
  });

  it('random init, nInit and seeds are deterministic; input is not mutated', () => {
    const X = randn(80, 3, { seed: 1 });
    const before = X.data.slice();
    const a = gmm(X, { k: 3, init: 'random', nInit: 2, seed: 4 });
    const b = gmm(X, { k: 3, init: 'random', nInit: 2, seed: 4 });
    expect(a.logLikelihood).toBe(b.logLikelihood);
    expect(Array.from(X.data)).toEqual(Array.from(before));
  });

  it('reports non-convergence', () => {
    const X = randn(100, 2, { seed: 3 });
    const r = gmm(X, { k: 4, maxIterations: 2, tol: 0 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
  });

  it('rejects bad input', () => {
    const X = randn(10, 2, { seed: 1 });
    // biome-ignore lint/suspicious/noExplicitAny: hostile input
    expect(() => gmm(X, { k: 2, covarianceType: 'weird' as any })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => gmm(X, { k: 11 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => gmm(X, { k: 2, regCovar: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() =>
      gmm(X, { k: 2, init: { weights: [0.5, 0.5], means: Matrix.from([[0, 0]]) } }),
    ).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    // duplicated points with no ridge: singular covariance
    const D = Matrix.from([
      [1, 1],
      [1, 1],
      [1, 1],
      [2, 2],
    ]);
    expect(() => gmm(D, { k: 2, regCovar: 0, init: 'kmeans' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
