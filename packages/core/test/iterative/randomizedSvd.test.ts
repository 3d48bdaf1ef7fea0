import { type LinearOperator, Matrix, matmul, randomizedSvd, svd } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { orthogonalityError } from '../helpers.js';
import { fixtures, lowRankPlusNoise, maxDiff, withSpectrum } from './_problems.js';

/** ‖A − U·diag(S)·Vt‖₂ through an exact SVD of the residual. */
function spectralError(A: Matrix, U: Matrix, S: Float64Array, Vt: Matrix): number {
  const US = U.clone();
  for (let i = 0; i < U.rows; i++)
    for (let j = 0; j < U.cols; j++) US.set(i, j, U.get(i, j) * S[j]!);
  const R = matmul(US, Vt);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) R.set(i, j, A.get(i, j) - R.get(i, j));
  return svd(R, { valuesOnly: true }).S[0]!;
}

describe('randomizedSvd', () => {
  // σ_i = 1/√(1+i): a known, slowly decaying spectrum, where power iterations matter
  // (measured ‖A − USVt‖₂/σ₁₁ without them: 1.48, 1.43, 1.65 for seeds 3, 4, 5; with q = 4: 1.000)
  const m = 120;
  const n = 90;
  const sigma = Array.from({ length: n }, (_, i) => 1 / Math.sqrt(1 + i));
  const A = withSpectrum(m, n, sigma, 1);

  it('without power iterations the error is within the HMT (2011, Thm 10.6) expectation bound', () => {
    const k = 10;
    const p = 10;
    const { U, S, Vt, powerIterations } = randomizedSvd(A, {
      rank: k,
      oversample: p,
      powerIterations: 0,
      seed: 3,
    });
    expect(powerIterations).toBe(0);
    const tail = Math.sqrt(sigma.slice(k).reduce((s, v) => s + v * v, 0));
    // E‖A − QQᵀA‖ ≤ (1 + √(k/(p−1)))σ_{k+1} + e√(k+p)/p·(Σ_{j>k} σ_j²)^{1/2}; truncating
    // QQᵀA to rank k adds at most σ_{k+1} (HMT §9.4)
    const bound =
      (1 + Math.sqrt(k / (p - 1))) * sigma[k]! +
      ((Math.E * Math.sqrt(k + p)) / p) * tail +
      sigma[k]!;
    const err = spectralError(A, U, S, Vt);
    expect(err).toBeGreaterThanOrEqual(sigma[k]! * (1 - 1e-9)); // Eckart–Young: nobody beats σ_{k+1}
    expect(err).toBeLessThan(bound);
  });

  it('with the default power iterations the error is within 1.01·σ_{k+1}, and power iterations help', () => {
    const k = 10;
    const r = randomizedSvd(A, { rank: k, seed: 3 });
    expect(r.powerIterations).toBe(4); // 10 ≥ 0.1·90 → sklearn's 4
    const err = spectralError(A, r.U, r.S, r.Vt);
    expect(err).toBeLessThan(1.01 * sigma[k]!);
    const r0 = randomizedSvd(A, { rank: k, seed: 3, powerIterations: 0 });
    expect(1.2 * err).toBeLessThan(spectralError(A, r0.U, r0.S, r0.Vt));
    expect(maxDiff(r.S, sigma.slice(0, k))).toBeLessThan(1e-3);
    expect(orthogonalityError(r.U)).toBeLessThan(100);
    expect(orthogonalityError(r.Vt.T)).toBeLessThan(100);
  });

  it("matches numpy's top singular values on a low-rank + noise matrix", () => {
    const f = fixtures.lowRank;
    const L = lowRankPlusNoise(f.seed, f.m, f.n, f.r, f.noise);
    const r = randomizedSvd(L, { rank: 10, seed: 7 });
    // relative: the signal directions to rounding, σ₁₀ (near the noise level 5e-3) to 1e-8
    for (let i = 0; i < 9; i++) expect(Math.abs(r.S[i]! - f.s[i]!)).toBeLessThan(1e-12 * f.s[0]!);
    expect(Math.abs(r.S[9]! - f.s[9]!) / f.s[9]!).toBeLessThan(1e-8);
  });

  it('is deterministic for a fixed seed; another seed gives other bits but the same values', () => {
    const a = randomizedSvd(A, { rank: 5, seed: 11 });
    const b = randomizedSvd(A, { rank: 5, seed: 11 });
    const c = randomizedSvd(A, { rank: 5, seed: 12 });
    expect(a.U.data).toEqual(b.U.data);
    expect(a.S).toEqual(b.S);
    expect(a.Vt.data).toEqual(b.Vt.data);
    expect(a.S).not.toEqual(c.S);
    expect(maxDiff(a.S, c.S)).toBeLessThan(1e-6);
  });

  it("resolves scikit-learn's 'auto' defaults as documented", () => {
    const tall = withSpectrum(
      200,
      100,
      Array.from({ length: 30 }, (_, i) => 1 / (i + 1)),
      4,
    );
    const r1 = randomizedSvd(tall, { rank: 5 });
    expect([r1.powerIterations, r1.normalizer, r1.transpose, r1.oversample]).toEqual([
      7,
      'lu',
      false,
      10,
    ]);
    const r2 = randomizedSvd(tall, { rank: 10 }); // 10 ≥ 0.1·100
    expect([r2.powerIterations, r2.normalizer]).toEqual([4, 'lu']);
    const r3 = randomizedSvd(tall, { rank: 5, powerIterations: 2 });
    expect(r3.normalizer).toBe('none');
    const r4 = randomizedSvd(tall.T, { rank: 5 }); // wide → works on Aᵀ
    expect(r4.transpose).toBe(true);
    expect(randomizedSvd(tall, { rank: 95 }).oversample).toBe(5); // capped at min(m, n)
  });

  it('gives the same answer for every normalizer, transpose choice, strided views and operators', () => {
    const k = 6;
    // faster decay (0.8^i), so that every variant reaches the exact values to 1e-8
    const A = withSpectrum(
      m,
      n,
      Array.from({ length: n }, (_, i) => 0.8 ** i),
      1,
    );
    const ref = svd(A).S.slice(0, k);
    for (const normalizer of ['qr', 'lu', 'none'] as const) {
      for (const transpose of [true, false]) {
        const r = randomizedSvd(A, { rank: k, normalizer, transpose, powerIterations: 6, seed: 2 });
        expect(maxDiff(r.S, ref)).toBeLessThan(1e-8);
        expect(r.U.rows).toBe(m);
        expect(r.Vt.cols).toBe(n);
      }
    }
    // a transposed view (strided) and a matvec-only operator
    const rt = randomizedSvd(A.T, { rank: k, seed: 2 });
    expect(maxDiff(rt.S, ref)).toBeLessThan(1e-8);
    const op: LinearOperator = {
      rows: m,
      cols: n,
      matvec: (x) => matmul(A, Matrix.fromData(Float64Array.from(x), n, 1)).toFloat64Array(),
      rmatvec: (y) => matmul(A.T, Matrix.fromData(Float64Array.from(y), m, 1)).toFloat64Array(),
    };
    const ro = randomizedSvd(op, { rank: k, seed: 2 });
    const rm = randomizedSvd(A, { rank: k, seed: 2 });
    expect(maxDiff(ro.S, rm.S)).toBeLessThan(1e-12);
    expect(maxDiff(ro.U.data, rm.U.data)).toBeLessThan(1e-9);
  });

  it('fixes signs as sklearn svd_flip: the largest-magnitude entry of each U column is positive', () => {
    const r = randomizedSvd(A, { rank: 4, seed: 1 });
    for (let j = 0; j < 4; j++) {
      const col = r.U.colArray(j);
      const at = col.reduce((b, v, i) => (Math.abs(v) > Math.abs(col[b]!) ? i : b), 0);
      expect(col[at]!).toBeGreaterThan(0);
    }
  });

  it('stops with ABORTED when the signal has fired', () => {
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => randomizedSvd(A, { rank: 3, signal: ctrl.signal })).toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
  });
});
