import { eigh, Matrix, Rng } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { _projectPsdTrace, _psdState } from '../src/_blockAdmm.js';
import { adjustedRandIndex, kmeans, misclusteringRate, sdpKmeans } from '../src/index.js';
import { _projectBM } from '../src/sdpKmeans.js';
import { mixture } from './_data.js';
import { hasTable, loadTable, maxAbsDiff } from './_fixtures.js';

/** max |Z − Z*| with Z* = Σ_c 1_c1_cᵀ/|C_c| the ideal membership matrix. */
function distanceToIdeal(Z: Matrix, y: Int32Array): number {
  const size = new Map<number, number>();
  for (const v of y) size.set(v, (size.get(v) ?? 0) + 1);
  let m = 0;
  for (let i = 0; i < y.length; i++)
    for (let j = 0; j < y.length; j++) {
      const ideal = y[i] === y[j] ? 1 / size.get(y[i]!)! : 0;
      m = Math.max(m, Math.abs(Z.get(i, j) - ideal));
    }
  return m;
}

describe('sdpKmeans: exact recovery above the separation threshold (Peng–Wei SDP)', () => {
  // 3 unit-variance spherical clusters of 15 in ℝ², centers at distance Δ
  const data = (sep: number) =>
    mixture(
      [
        [0, 0],
        [sep, 0],
        [sep / 2, (sep * Math.sqrt(3)) / 2],
      ],
      [15, 15, 15],
      [1, 1, 1],
      21,
    );

  let cached: ReturnType<typeof sdpKmeans> | undefined;
  const admm8 = () => {
    cached ??= sdpKmeans(data(8).X, { k: 3 });
    return cached;
  };

  it('ADMM: Z equals the ideal block matrix, zero mis-clustering, certificate closes the gap', () => {
    const { y } = data(8);
    const r = admm8();
    expect(r.converged).toBe(true);
    expect(misclusteringRate(y, r.labels)).toBe(0);
    expect(distanceToIdeal(r.Z!, y)).toBeLessThan(1e-3 * (1 / 15));
    const c = r.certificate;
    expect(Math.abs(c.relativeGap!)).toBeLessThan(1e-4);
    expect(c.rowSumResidual).toBeLessThan(1e-4);
    expect(c.nonnegativityResidual).toBeLessThan(1e-4);
    expect(c.traceResidual).toBeLessThan(1e-10);
  });

  it('Burer–Monteiro: UUᵀ equals the ideal block matrix with U ≥ 0', () => {
    const { X, y } = data(8);
    const r = sdpKmeans(X, { k: 3, solver: 'burer-monteiro', seed: 2 });
    expect(misclusteringRate(y, r.labels)).toBe(0);
    expect(r.U!.cols).toBe(6);
    expect(Math.min(...r.U!.data)).toBeGreaterThanOrEqual(0);
    expect(distanceToIdeal(r.Z!, y)).toBeLessThan(1e-2 * (1 / 15));
    expect(r.certificate.rowSumResidual).toBeLessThan(1e-3);
    expect(r.certificate.traceResidual).toBeLessThan(1e-10);
  });

  it('below the threshold the relaxation is not tight (Z is not the block matrix)', () => {
    const { X, y } = data(1.5);
    const r = sdpKmeans(X, { k: 3, maxIterations: 400, tol: 1e-4 });
    expect(distanceToIdeal(r.Z!, y)).toBeGreaterThan(0.01);
    expect(misclusteringRate(y, r.labels)).toBeGreaterThan(0.1);
  });

  it('both solvers reach the same objective; BM never forms Z beyond maxDenseN', () => {
    const { X } = data(8);
    const a = admm8();
    const b = sdpKmeans(X, { k: 3, solver: 'burer-monteiro', maxDenseN: 10 });
    expect(b.Z).toBeNull();
    expect(
      Math.abs(a.certificate.objective - b.certificate.objective) / a.certificate.objective,
    ).toBeLessThan(1e-3);
    expect(b.certificate.objective).toBeLessThanOrEqual(a.certificate.dualBound! * (1 + 1e-4));
  });

  it('reports non-convergence and rejects bad input', () => {
    const { X } = data(3);
    const r = sdpKmeans(X, { k: 3, maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    // biome-ignore lint/suspicious/noExplicitAny: hostile input
    expect(() => sdpKmeans(X, { k: 3, solver: 'cvx' as any })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => sdpKmeans(X, { k: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => sdpKmeans(Matrix.from([[Number.POSITIVE_INFINITY]]), { k: 1 })).toThrow(
      expect.objectContaining({ code: 'NON_FINITE' }),
    );
  });
});

describe.skipIf(!hasTable('breast_cancer.csv'))('sdpKmeans (Burer–Monteiro) on real data', () => {
  it('breast cancer (n = 569, standardized): the relaxation value is at least the k-means partition value', () => {
    const { X: X0 } = loadTable('breast_cancer.csv');
    const n = X0.rows;
    const d = X0.cols;
    const Z = new Float64Array(n * d);
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += X0.get(i, j) / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (X0.get(i, j) - m) ** 2 / n;
      for (let i = 0; i < n; i++) Z[i * d + j] = (X0.get(i, j) - m) / Math.sqrt(v);
    }
    const X = Matrix.fromData(Z, n, d);
    const km = kmeans(X, { k: 2, nInit: 10 });
    // ⟨XcXcᵀ, Z_km⟩ = ‖Xc‖²_F − inertia for the block matrix of the k-means partition
    let total = 0;
    for (const v of Z) total += v * v;
    const partitionValue = total - km.inertia;
    const r = sdpKmeans(X, { k: 2, solver: 'burer-monteiro', maxDenseN: 0 });
    expect(r.converged).toBe(true);
    expect(r.certificate.rowSumResidual).toBeLessThan(1e-3);
    expect(r.certificate.objective).toBeGreaterThanOrEqual(partitionValue * (1 - 1e-3));
    expect(adjustedRandIndex(km.labels, r.labels)).toBeGreaterThan(0.8);
  });
});

describe('Burer–Monteiro at scale (regressions of issue #8)', () => {
  it('projection onto {U ≥ 0, ‖U‖²_F = k} of an all-negative U is √k at its largest entry', () => {
    // the old fallback filled U uniformly; for centered data that U is a fixed point of
    // projected gradient (A·1 = 0), where BM stalled on digits with UUᵀ1 = k·1
    const U = Float64Array.from([-3, -0.5, -2, -1]);
    _projectBM(U, 4);
    expect(Array.from(U)).toEqual([0, 2, 0, 0]);
    const V = Float64Array.from([3, -1, 4, 0]);
    _projectBM(V, 1);
    expect(maxAbsDiff(V, [0.6, 0, 0.8, 0])).toBeLessThan(1e-15);
  });

  it('n = 5000 (k = 2 in ℝ³): converges in a few seconds, never forms Z, recovers the clusters', () => {
    const k = 2;
    const d = 3;
    const rng = new Rng(7);
    const centers = Array.from({ length: k }, () =>
      Array.from({ length: d }, () => 5 * rng.normal()),
    );
    const { X, y } = mixture(centers, [2500, 2500], [1, 1], 5);
    const r = sdpKmeans(X, { k, solver: 'burer-monteiro', seed: 0 });
    // measured: converged after 13 multiplier updates, row-sum residual 7.7e-6
    expect(r.converged).toBe(true);
    expect(r.Z).toBeNull();
    expect(r.U!.rows).toBe(5000);
    expect(adjustedRandIndex(y, r.labels)).toBe(1);
    expect(r.certificate.rowSumResidual).toBeLessThan(1e-3);
    expect(r.certificate.traceResidual).toBeLessThan(1e-10);
  });
});

describe('ADMM: partial (Lanczos) PSD projection', () => {
  it('equals the full-eigh projection and is used once the iterate is low rank', () => {
    const n = 120;
    const rng = new Rng(3);
    // near-low-rank symmetric M: 3 large eigen-directions plus small noise
    const M = new Float64Array(n * n);
    for (let c = 0; c < 3; c++) {
      const v = Float64Array.from({ length: n }, () => rng.normal());
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) M[i * n + j]! += ((c + 2) * v[i]! * v[j]!) / n;
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const e = 0.01 * rng.normal();
        M[i * n + j]! += e;
        if (j !== i) M[j * n + i]! += e;
      }
    const full = _projectPsdTrace(M, n, 2);
    const state = _psdState();
    const part = _projectPsdTrace(M, n, 2, state);
    expect(state.partial).toBe(1);
    expect(state.full).toBe(0);
    let diff = 0;
    let tr = 0;
    for (let i = 0; i < n * n; i++) diff = Math.max(diff, Math.abs(full[i]! - part[i]!));
    for (let i = 0; i < n; i++) tr += part[i * n + i]!;
    expect(diff).toBeLessThan(1e-9);
    expect(Math.abs(tr - 2)).toBeLessThan(1e-12);
    expect(eigh(Matrix.fromData(part, n, n), { valuesOnly: true }).values[0]!).toBeGreaterThan(
      -1e-12,
    );
  });

  it('sdpKmeans (ADMM, n = 90) does its projections by Lanczos and still closes the gap', () => {
    const { X, y } = mixture(
      [
        [0, 0],
        [8, 0],
        [4, 7],
      ],
      [30, 30, 30],
      [1, 1, 1],
      4,
    );
    const r = sdpKmeans(X, { k: 3 });
    expect(r.converged).toBe(true);
    expect(r.projections!.partial).toBeGreaterThan(0.9 * r.iterations);
    expect(misclusteringRate(y, r.labels)).toBe(0);
    expect(Math.abs(r.certificate.relativeGap!)).toBeLessThan(1e-4);
  });
});
