import { eigh, type Matrix, matmul, normFro, qr, randn, svd } from '@lr/core';
import { describe, expect, test } from 'vitest';
import { collectCovariance, corda, pissa } from '../../src/methods/index.js';
import {
  calibration,
  identityTol,
  Q_PROJ,
  reconstruct,
  relDiff,
  WEIGHTS,
  weight,
} from './helpers.js';

function minus(A: Matrix, B: Matrix): Matrix {
  const D = A.clone('float64');
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) D.data[i * A.cols + j] = D.data[i * A.cols + j]! - B.get(i, j);
  return D;
}

function applyNorm(M: Matrix, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < M.rows; i++) {
    let t = 0;
    for (let j = 0; j < M.cols; j++) t += M.get(i, j) * v[j]!;
    s += t * t;
  }
  return Math.sqrt(s);
}

function damped(C: Matrix, damp: number): Matrix {
  const n = C.rows;
  let m = 0;
  for (let i = 0; i < n; i++) m += C.get(i, i);
  const Cd = C.clone('float64');
  for (let i = 0; i < n; i++) Cd.set(i, i, Cd.get(i, i) + (damp * m) / n);
  return Cd;
}

describe('collectCovariance', () => {
  test('C = mean over batches of (X_b/|max X_b|)ᵀ(X_b/|max X_b|), as PEFT', () => {
    const X = calibration(Q_PROJ);
    const b1 = X.rowRange(0, 200);
    const b2 = X.rowRange(200, 512);
    const res = collectCovariance([b1, b2]);
    expect(res.batches).toBe(2);
    expect(res.tokens).toBe(512);
    let expected: Matrix | undefined;
    for (const b of [b1, b2]) {
      let mx = -Infinity;
      for (let i = 0; i < b.rows; i++)
        for (let j = 0; j < b.cols; j++) mx = Math.max(mx, b.get(i, j));
      const G = matmul(b.T, b);
      for (let i = 0; i < G.data.length; i++) G.data[i] = G.data[i]! / (mx * mx) / 2;
      if (expected)
        for (let i = 0; i < G.data.length; i++) expected.data[i] = expected.data[i]! + G.data[i]!;
      else expected = G;
    }
    expect(relDiff(res.covariance, expected!)).toBeLessThan(1e-14);
    const raw = collectCovariance(b1, { scale: 'none' }).covariance;
    expect(relDiff(raw, matmul(b1.T, b1))).toBeLessThan(1e-14);
  });
});

describe('corda on real weights with real-ish activations', () => {
  for (const name of WEIGHTS) {
    const W = weight(name);
    const X = calibration(name);
    const { covariance: C } = collectCovariance(X);
    const k = Math.min(W.rows, W.cols);

    test(`${name}: W = W_res + s·B·A for both modes; full rank gives W = U·S·Vᵀ exactly`, () => {
      for (const mode of ['ipm', 'kpm'] as const) {
        const init = corda(W, C, { rank: 8, alpha: 16, mode });
        expect(init.A.shape).toEqual([8, W.cols]);
        expect(init.B.shape).toEqual([W.rows, 8]);
        expect(init.diagnostics.damp).toBe(0.01); // PEFT's first damping suffices here
        expect(init.diagnostics.inverseError).toBeLessThan(0.05);
        const back = reconstruct(init.residual, init.B, init.A, init.scaling);
        expect(relDiff(back, W)).toBeLessThan(identityTol(W));
        expect(init.diagnostics.relativeError).toBeLessThan(identityTol(W));
        // all k components: the adapter is W itself (V = (V̂ᵀC'⁻¹)ᵀ inverts the C' of the SVD)
        const all = corda(W, C, { rank: k, mode });
        expect(normFro(all.residual) / normFro(W)).toBeLessThan(1e3 * identityTol(W));
      }
    });

    test(`${name}: KPM leaves W·C''s top k − r singular triplets frozen and the principal covariance directions untouched`, () => {
      const r = 8;
      const kpm = corda(W, C, { rank: r, mode: 'kpm' });
      const ipm = corda(W, C, { rank: r, mode: 'ipm' });
      const Cd = damped(C, kpm.diagnostics.damp as number);
      const f = svd(matmul(W, Cd));
      // exact statement: W_res·C' = Σ_{i ≤ k−r} u_i s_i v̂_iᵀ
      const kept = svd(matmul(kpm.residual, Cd), { valuesOnly: true }).S;
      for (let i = 0; i < k - r; i++) {
        expect(Math.abs(kept[i]! - f.S[i]!)).toBeLessThan(1e3 * Number.EPSILON * f.S[0]!);
      }
      for (let i = 0; i < r; i++) {
        expect(Math.abs(kpm.singularValues[i]! - f.S[k - r + i]!)).toBeLessThan(
          1e3 * Number.EPSILON * f.S[0]!,
        );
      }
      // a covariance eigenvector q (C q = λ q): ‖(W − W_res) q‖ ≤ s_{k−r+1} / (λ + δ·mean diag C)
      const { values, vectors } = eigh(C);
      const n = C.rows;
      let meanDiag = 0;
      for (let i = 0; i < n; i++) meanDiag += C.get(i, i) / n;
      const dW = minus(W, kpm.residual);
      const dWi = minus(W, ipm.residual);
      for (let t = 0; t < 3; t++) {
        const q = vectors!.colArray(n - 1 - t);
        const lam = values[n - 1 - t]!;
        const moved = applyNorm(dW, q);
        const bound = f.S[k - r]! / (lam + (kpm.diagnostics.damp as number) * meanDiag);
        expect(moved).toBeLessThanOrEqual(bound * (1 + 1e-10));
        // measured: 3e-7 … 2e-2 of ‖W q‖ for KPM, ≈ 1 for IPM
        expect(moved / applyNorm(W, q)).toBeLessThan(0.02);
        expect(applyNorm(dWi, q) / applyNorm(W, q)).toBeGreaterThan(0.99);
      }
      // on the calibration data the frozen W_res keeps W's outputs far better than PiSSA's
      const outLost = (R: Matrix) => normFro(matmul(minus(W, R), X.T)) / normFro(matmul(W, X.T));
      const lostK = outLost(kpm.residual);
      const lostP = outLost(pissa(W, { rank: r }).residual);
      const lostI = outLost(ipm.residual);
      expect(lostK).toBeLessThan(0.1);
      expect(lostK).toBeLessThan(lostP / 5);
      expect(lostI).toBeGreaterThan(lostP);
    });
  }

  test('damping doubles until C′·C′⁻¹ ≈ I (a covariance that is not PSD)', () => {
    // mean diag = (3 − x)/4; x chosen so that C + 0.01·mean·I is exactly singular in its last pivot
    const x = 0.03 / 4.01;
    const W = weight(Q_PROJ).block(0, 0, 6, 4);
    const D = damped(W.block(0, 0, 4, 4), 0); // 4×4 work matrix
    D.data.fill(0);
    D.set(0, 0, 1);
    D.set(1, 1, 1);
    D.set(2, 2, 1);
    D.set(3, 3, -x);
    // rotate so that C + 0.01·mean·I is numerically singular but not diagonal
    const Q = qr(randn(4, 4, { seed: 5 })).Q!;
    const C = matmul(matmul(Q, D), Q.T);
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) C.set(i, j, C.get(j, i)); // exactly symmetric
    const init = corda(W, C, { rank: 2 });
    expect(init.diagnostics.dampDoublings).toBeGreaterThanOrEqual(1);
    expect(init.diagnostics.damp).toBeGreaterThanOrEqual(0.02);
    expect(init.diagnostics.inverseError).toBeLessThan(0.05);
    expect(init.diagnostics.relativeError).toBeLessThan(identityTol(W));
  });
});
