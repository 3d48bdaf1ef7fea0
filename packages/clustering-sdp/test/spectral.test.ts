import { Matrix } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, spectralClustering } from '../src/index.js';
import { fx, hasTable, loadTable } from './_fixtures.js';

/** Two concentric rings: k-means cannot separate them, spectral clustering can. */
function rings(m: number): { X: Matrix; y: Int32Array } {
  const X = new Float64Array(2 * m * 2);
  const y = new Int32Array(2 * m);
  for (let i = 0; i < 2 * m; i++) {
    const r = i < m ? 1 : 4;
    const t = (2 * Math.PI * (i % m)) / m;
    X[2 * i] = r * Math.cos(t);
    X[2 * i + 1] = r * Math.sin(t);
    y[i] = i < m ? 0 : 1;
  }
  return { X: Matrix.fromData(X, 2 * m, 2), y };
}

describe.skipIf(!hasTable('iris.csv'))('spectralClustering vs scikit-learn (iris)', () => {
  it('rbf, γ = 0.5: same partition as SpectralClustering', () => {
    const { X } = loadTable('iris.csv');
    const r = spectralClustering(X, { k: 3, gamma: 0.5 });
    expect(adjustedRandIndex(r.labels, fx.spectral_iris.rbf_gamma_0_5)).toBe(1);
  });
});

describe('spectralClustering', () => {
  const { X, y } = rings(40);
  it('reports progress through every stage and stops on an AbortSignal', () => {
    for (const eigenSolver of ['eigh', 'lanczos'] as const) {
      const stages: string[] = [];
      spectralClustering(X, {
        k: 2,
        affinity: 'nearest_neighbors',
        eigenSolver,
        onProgress: (p) => stages.push(p.stage),
      });
      expect(stages[0]).toBe('affinity');
      expect(stages).toContain('embedding');
      expect(stages.at(-1)).toBe('kmeans');
    }
    const ac = new AbortController();
    ac.abort();
    expect(() => spectralClustering(X, { k: 2, signal: ac.signal })).toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
    // fired during the embedding: stops before k-means runs
    const late = new AbortController();
    const seen: string[] = [];
    expect(() =>
      spectralClustering(X, {
        k: 2,
        eigenSolver: 'lanczos',
        signal: late.signal,
        onProgress: (p) => {
          seen.push(p.stage);
          if (p.stage === 'affinity') late.abort();
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'ABORTED' }));
    expect(seen).not.toContain('kmeans');
  });
  it('separates concentric rings with a k-NN graph and with rbf', () => {
    expect(
      adjustedRandIndex(
        y,
        spectralClustering(X, { k: 2, affinity: 'nearest_neighbors', nNeighbors: 5 }).labels,
      ),
    ).toBe(1);
    expect(adjustedRandIndex(y, spectralClustering(X, { k: 2, gamma: 2 }).labels)).toBe(1);
  });

  it('rbf works with fewer than nNeighbors points (regression: nNeighbors was checked for rbf)', () => {
    const P = Matrix.from([
      [0, 0],
      [0, 0.5],
      [0.3, 0.2],
      [6, 6],
      [6, 6.4],
      [6.2, 5.9],
    ]);
    expect(
      adjustedRandIndex([0, 0, 0, 1, 1, 1], spectralClustering(P, { k: 2, gamma: 0.5 }).labels),
    ).toBe(1);
  });

  it('eigh and lanczos give the same embedding eigenvalues and partition (connected graph)', () => {
    // a disconnected k-NN graph has eigenvalue 1 repeated, which a single-vector Lanczos may
    // see only once (documented in @lr/core); the rbf graph is connected
    const a = spectralClustering(X, { k: 2, gamma: 2, eigenSolver: 'eigh' });
    const b = spectralClustering(X, { k: 2, gamma: 2, eigenSolver: 'lanczos' });
    for (let c = 0; c < 2; c++) expect(b.eigenvalues[c]!).toBeCloseTo(a.eigenvalues[c]!, 8);
    expect(adjustedRandIndex(a.labels, b.labels)).toBe(1);
  });

  it('precomputed affinity: block matrix gives its blocks; rejects bad input', () => {
    const n = 6;
    const A = Matrix.from(
      Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => (i < 3 === j < 3 ? 1 : 0.01)),
      ),
    );
    expect(
      adjustedRandIndex(
        [0, 0, 0, 1, 1, 1],
        spectralClustering(A, { k: 2, affinity: 'precomputed' }).labels,
      ),
    ).toBe(1);
    expect(() =>
      spectralClustering(Matrix.from([[0, 1]]), { k: 1, affinity: 'precomputed' }),
    ).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() =>
      spectralClustering(
        Matrix.from([
          [0, -1],
          [-1, 0],
        ]),
        { k: 1, affinity: 'precomputed' },
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    // biome-ignore lint/suspicious/noExplicitAny: hostile input
    expect(() => spectralClustering(X, { k: 2, affinity: 'cosine' as any })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
