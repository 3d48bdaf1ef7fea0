import { eigh, type Matrix, map, matmul, normFro, svd, svdReconstruct } from '@lr/core';
import { describe, expect, test } from 'vitest';
import { eora } from '../../src/methods/index.js';
import { calibration, GATE_PROJ, product, relDiff, WEIGHTS, weight } from './helpers.js';

/** Symmetric 4-bit round-to-nearest per output row (absmax scale, levels −7…7). */
function quantize4(W: Matrix): Matrix {
  const out = W.clone('float64');
  for (let i = 0; i < W.rows; i++) {
    let mx = 0;
    for (let j = 0; j < W.cols; j++) mx = Math.max(mx, Math.abs(W.get(i, j)));
    const step = mx / 7;
    for (let j = 0; j < W.cols; j++)
      out.set(i, j, step > 0 ? Math.round(W.get(i, j) / step) * step : 0);
  }
  return out;
}

/** ‖M·Xᵀ‖_F. */
function actNorm(M: Matrix, X: Matrix): number {
  return normFro(matmul(M, X.T));
}

function minus(A: Matrix, B: Matrix): Matrix {
  const D = A.clone('float64');
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) D.data[i * A.cols + j] = D.data[i * A.cols + j]! - B.get(i, j);
  return D;
}

describe('eora on real weights with real-ish activations', () => {
  for (const name of WEIGHTS) {
    const W = weight(name);
    const X = calibration(name);
    const k = Math.min(W.rows, W.cols);

    for (const [label, Wc] of [
      ['4-bit rounding', quantize4(W)],
      ['rank-k/2 truncation', svdReconstruct(svd(W), { rank: k / 2 })],
    ] as const) {
      test(`${name}, ${label}: lower activation-weighted error than SVD of the raw error at equal rank`, () => {
        const dW = minus(W, Wc);
        for (const r of [4, 16]) {
          const res = eora(W, Wc, X, { rank: r });
          expect(res.A.shape).toEqual([r, W.cols]);
          expect(res.B.shape).toEqual([W.rows, r]);
          expect(res.scaling).toBe(1);
          expect(relDiff(res.residual, Wc)).toBe(0); // the base stays the compressed weight
          // measured independently on X: ‖(ΔW − B·A)·Xᵀ‖ vs ‖(ΔW − SVD_r(ΔW))·Xᵀ‖
          const eoraErr = actNorm(minus(dW, product(res.B, res.A)), X);
          const svdErr = actNorm(minus(dW, svdReconstruct(svd(dW), { rank: r })), X);
          const before = actNorm(dW, X);
          expect(eoraErr).toBeLessThan(svdErr);
          expect(res.diagnostics.activationError).toBeCloseTo(eoraErr / before, 10);
          expect(res.diagnostics.activationErrorSvd).toBeCloseTo(svdErr / before, 10);
          // optimality: the remaining activation error is the tail of ΔW·S̃'s singular values
          const { values, vectors } = eigh(matmul(X.T, X));
          const St = vectors!.clone();
          for (let i = 0; i < St.rows; i++)
            for (let j = 0; j < St.cols; j++)
              St.set(i, j, St.get(i, j) * Math.sqrt(Math.max(0, values[j]!)));
          const S = svd(matmul(dW, St), { valuesOnly: true }).S;
          let tail = 0;
          for (let i = r; i < S.length; i++) tail += S[i]! ** 2;
          expect(Math.abs(eoraErr - Math.sqrt(tail)) / before).toBeLessThan(1e-9);
          // the identity error is the remaining weight error, measured
          const weightErr = normFro(minus(dW, product(res.B, res.A))) / normFro(W);
          expect(res.diagnostics.relativeError).toBeCloseTo(weightErr, 12);
        }
      });
    }
  }

  test('a Gram matrix gives the same adapter as the inputs; default rank is min(256, out, in); alpha rescales S', () => {
    const W = weight(GATE_PROJ);
    const Wc = map(W, (v) => Math.round(v * 8) / 8);
    const X = calibration(GATE_PROJ);
    const G = matmul(X.T, X);
    const a = eora(W, Wc, X, { rank: 8 });
    const b = eora(W, Wc, { gram: G }, { rank: 8 });
    expect(relDiff(product(a.B, a.A), product(b.B, b.A))).toBeLessThan(1e-10);
    expect(eora(W, Wc, X).rank).toBe(64);
    const c = eora(W, Wc, X, { rank: 8, alpha: 32 });
    expect(c.scaling).toBe(4);
    expect(relDiff(product(c.B, c.A, c.scaling), product(a.B, a.A))).toBeLessThan(1e-13);
    expect(
      Number.isNaN(eora(W, Wc, X, { rank: 8, compareSvd: false }).diagnostics.activationErrorSvd),
    ).toBe(true);
  });
});
