import { LrError, Matrix, matmul, Rng, randn } from '@lr/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { crsMatmul } from '../src/index.js';

/** A (m×n) with log-normal column scales, B (n×q) Gaussian: skewed pᵢ ∝ ‖A_{:,i}‖‖B_{i,:}‖. */
function skewed(m: number, n: number, q: number, seed: number): { A: Matrix; B: Matrix } {
  const rng = new Rng(seed);
  const A = new Matrix(new Float64Array(m * n), m, n);
  const B = new Matrix(new Float64Array(n * q), n, q);
  for (let i = 0; i < n; i++) {
    const s = Math.exp(1.5 * rng.normal());
    for (let r = 0; r < m; r++) A.set(r, i, s * rng.normal());
    for (let c = 0; c < q; c++) B.set(i, c, rng.normal());
  }
  return { A, B };
}

describe('crsMatmul', () => {
  it('computes the probabilities, the deterministic set and exact products at k = n', () => {
    const A = randn(5, 8, { seed: 1 });
    const B = randn(8, 4, { seed: 2 });
    const r = crsMatmul(A, B, { k: 3, method: 'crs', seed: 1 });
    let s = 0;
    for (let i = 0; i < 8; i++) {
      let ca = 0;
      let rb = 0;
      for (let t = 0; t < 5; t++) ca += A.get(t, i) ** 2;
      for (let t = 0; t < 4; t++) rb += B.get(i, t) ** 2;
      s += Math.sqrt(ca * rb);
    }
    const ca0 = Math.hypot(...A.colArray(0));
    const rb0 = Math.hypot(...B.rowArray(0));
    expect(r.probabilities[0]).toBeCloseTo((ca0 * rb0) / s, 12);
    expect(r.deterministic).toBe(0);
    expect(r.selected.length).toBe(3);
    // a dominant pair is taken deterministically by WTA-CRS
    const A2 = A.clone();
    for (let t = 0; t < 5; t++) A2.set(t, 4, 1000 * A.get(t, 4));
    const w = crsMatmul(A2, B, { k: 3, method: 'wta-crs', seed: 1 });
    expect(w.deterministic).toBeGreaterThanOrEqual(1);
    expect(w.selected[0]).toBe(4);
    expect(w.scales[0]).toBe(1);
    // with all mass in C the estimate is exact
    const one = new Matrix(new Float64Array(8), 1, 8);
    one.set(0, 2, 3);
    one.set(0, 6, 1);
    const e = crsMatmul(one, B, { k: 3, method: 'wta-crs' });
    const ref = matmul(one, B);
    for (let c = 0; c < 4; c++) expect(e.product.get(0, c)).toBeCloseTo(ref.get(0, c), 12);
  });

  it('validates its inputs', () => {
    const A = randn(3, 6);
    expect(() => crsMatmul(A, randn(5, 2), { k: 2 })).toThrow(LrError);
    expect(() => crsMatmul(A, randn(6, 2), { k: 0 })).toThrow(LrError);
    expect(() => crsMatmul(A, randn(6, 2), { k: 7 })).toThrow(LrError);
    expect(() => crsMatmul(A, randn(6, 2), { k: 2, method: 'topk' as never })).toThrow(LrError);
    expect(() => crsMatmul(new Matrix(new Float64Array(18), 3, 6), randn(6, 2), { k: 2 })).toThrow(
      LrError,
    );
  });
});

describe('claim #20 (WTA-CRS, Liu et al. 2023): unbiased, lower variance than CRS', () => {
  const m = 12;
  const n = 200;
  const q = 8;
  const { A, B } = skewed(m, n, q, 3);
  const AB = matmul(A, B);
  const T = 500;
  const k = 32;
  const run = (method: 'crs' | 'wta-crs') => {
    const sum = new Float64Array(m * q);
    const sumSq = new Float64Array(m * q);
    let mse = 0;
    for (let s = 0; s < T; s++) {
      const P = crsMatmul(A, B, { k, method, seed: s }).product.data;
      for (let t = 0; t < m * q; t++) {
        sum[t]! += P[t]!;
        sumSq[t]! += P[t]! ** 2;
        mse += (P[t]! - AB.data[t]!) ** 2;
      }
    }
    // largest |mean − AB| in units of its standard error, over the m·q entries
    let zmax = 0;
    for (let t = 0; t < m * q; t++) {
      const mean = sum[t]! / T;
      const sd = Math.sqrt(Math.max(0, sumSq[t]! / T - mean * mean) * (T / (T - 1)));
      zmax = Math.max(zmax, Math.abs(mean - AB.data[t]!) / (sd / Math.sqrt(T)));
    }
    let nrm = 0;
    for (const v of AB.data) nrm += v * v;
    return { zmax, relMse: mse / T / nrm };
  };
  let crs = { zmax: 0, relMse: 0 };
  let wta = { zmax: 0, relMse: 0 };
  beforeAll(() => {
    crs = run('crs');
    wta = run('wta-crs');
  });

  it('both estimators are unbiased: every entry’s mean over 500 seeds is within 4.5 standard errors', () => {
    // 96 entries: P(max |z| > 4.5) ≈ 96·6.8e-6 under unbiasedness
    expect(crs.zmax).toBeLessThan(4.5);
    expect(wta.zmax).toBeLessThan(4.5);
  });

  it('WTA-CRS has a clearly smaller mean squared error than CRS at equal k', () => {
    expect(wta.relMse).toBeLessThan(0.7 * crs.relMse);
  });
});
