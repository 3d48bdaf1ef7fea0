import { gemm, LrError, type Matrix, normFro, randn, sub, zeros } from '@lr/core';
import {
  Adam,
  CoreAdapterLinear,
  crossEntropy,
  DenseLinear,
  DiagonalAdapterLinear,
  LoraLinear,
  Mlp,
  param,
  trainClassifier,
} from '@lr/peft';
import { describe, expect, it } from 'vitest';

const EPS = Number.EPSILON;
const rel = (a: Matrix, b: Matrix) => normFro(sub(a, b)) / Math.max(normFro(b), 1e-300);
const vec = (p: Float64Array, r: number, c: number) => {
  const m = zeros(r, c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) m.set(i, j, p[i * c + j]!);
  return m;
};

/** dL/dW_eff for L = Σ dy ∘ y: what full fine-tuning of the merged weight would see. */
function denseGrad(x: Matrix, dy: Matrix): Matrix {
  const g = zeros(dy.cols, x.cols);
  gemm(dy, x, g, { transA: true });
  return g;
}

describe('LoRA layer: gradients without forming the out×in update (#25)', () => {
  const n = 37;
  const din = 24;
  const dout = 19;
  const r = 4;
  const W = randn(dout, din, { seed: 1 });
  const A = randn(r, din, { seed: 2 });
  const B = randn(dout, r, { seed: 3 });
  const x = randn(n, din, { seed: 4 });
  const dy = randn(n, dout, { seed: 5 });

  it('forward equals the merged dense layer and gradients equal the chain rule through ΔW', () => {
    const s = 0.75;
    const lora = new LoraLinear(W, A, B, { scaling: s });
    const dense = new DenseLinear(lora.effectiveWeight());
    expect(rel(lora.forward(x), dense.forward(x))).toBeLessThan(100 * EPS);
    const dxL = lora.backward(dy);
    const dxD = dense.backward(dy);
    expect(rel(dxL, dxD)).toBeLessThan(100 * EPS);
    const G = denseGrad(x, dy);
    // dL/dB = s·G·Aᵀ, dL/dA = s·Bᵀ·G
    const wantB = zeros(dout, r);
    gemm(G, A, wantB, { transB: true, alpha: s });
    const wantA = zeros(r, din);
    gemm(B, G, wantA, { transA: true, alpha: s });
    const [pA, pB] = lora.parameters;
    expect(rel(vec(pA!.grad, r, din), wantA)).toBeLessThan(100 * EPS);
    expect(rel(vec(pB!.grad, dout, r), wantB)).toBeLessThan(100 * EPS);
    expect(lora.cachedActivations).toBe(n * (din + r));
  });

  it('WTA-CRS keeps k rows of activations and stays unbiased', () => {
    const k = 8;
    const exact = new LoraLinear(W, A, B);
    exact.forward(x);
    exact.backward(dy);
    const wantA = vec(exact.parameters[0]!.grad, r, din);
    const mean = zeros(r, din);
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const l = new LoraLinear(W, A, B, { wtaCrs: { k, seed: t } });
      l.forward(x);
      expect(l.cachedActivations).toBe(k * (din + r));
      l.backward(dy);
      const g = vec(l.parameters[0]!.grad, r, din);
      for (let i = 0; i < r; i++)
        for (let j = 0; j < din; j++) mean.set(i, j, mean.get(i, j) + g.get(i, j) / trials);
    }
    // Monte-Carlo mean of an unbiased estimator: error ~ 1/√trials of its spread.
    expect(rel(mean, wantA)).toBeLessThan(0.15);
  });
});

describe('diagonal (SVFit/LoLDU) and core (FLoRA) adapters', () => {
  const W = randn(9, 11, { seed: 6 });
  const x = randn(13, 11, { seed: 7 });
  const dy = randn(13, 9, { seed: 8 });

  it('diagonal adapter: dz_j = s·a_jᵀ G b_j and dx matches the merged layer', () => {
    const A = randn(3, 11, { seed: 9 });
    const B = randn(9, 3, { seed: 10 });
    const z = [0.5, -1, 2];
    const l = new DiagonalAdapterLinear(W, A, B, z, { scaling: 2 });
    const dense = new DenseLinear(l.effectiveWeight());
    expect(rel(l.forward(x), dense.forward(x))).toBeLessThan(100 * EPS);
    expect(rel(l.backward(dy), dense.backward(dy))).toBeLessThan(100 * EPS);
    const G = denseGrad(x, dy);
    for (let j = 0; j < 3; j++) {
      let want = 0;
      for (let o = 0; o < 9; o++)
        for (let i = 0; i < 11; i++) want += B.get(o, j) * G.get(o, i) * A.get(j, i);
      expect(l.parameters[0]!.grad[j]).toBeCloseTo(2 * want, 10);
    }
    expect(l.parameters).toHaveLength(1);
  });

  it('core adapter: exact at init with G = 0, gradients by the chain rule', () => {
    const A = randn(3, 11, { seed: 11 });
    const B = randn(9, 3, { seed: 12 });
    const l0 = new CoreAdapterLinear(W, A, zeros(3, 3), B);
    expect(rel(l0.effectiveWeight(), W)).toBe(0);
    const Gc = randn(3, 3, { seed: 13 });
    const l = new CoreAdapterLinear(W, A, Gc, B, { scaling: 0.5 });
    const dense = new DenseLinear(l.effectiveWeight());
    expect(rel(l.forward(x), dense.forward(x))).toBeLessThan(100 * EPS);
    expect(rel(l.backward(dy), dense.backward(dy))).toBeLessThan(100 * EPS);
    const G = denseGrad(x, dy);
    // dL/dcore = s·Bᵀ G Aᵀ
    const BG = zeros(3, 11);
    gemm(B, G, BG, { transA: true });
    const want = zeros(3, 3);
    gemm(BG, A, want, { transB: true, alpha: 0.5 });
    expect(rel(vec(l.parameters[1]!.grad, 3, 3), want)).toBeLessThan(100 * EPS);
  });

  it('rejects factors that do not fit', () => {
    expect(() => new LoraLinear(W, randn(3, 10), randn(9, 3))).toThrow(LrError);
    expect(() => new DiagonalAdapterLinear(W, randn(3, 11), randn(9, 3), [1, 2])).toThrow(LrError);
  });
});

describe('MLP backward and Adam', () => {
  it('matches central finite differences of the cross-entropy', () => {
    const m = new Mlp([DenseLinear.init(5, 7, 1), DenseLinear.init(7, 3, 2)]);
    const x = randn(6, 5, { seed: 3 });
    const y = [0, 1, 2, 1, 0, 2];
    const loss = () => crossEntropy(m.forward(x), y).loss;
    for (const p of m.parameters) p.grad.fill(0);
    m.backward(crossEntropy(m.forward(x, true), y).grad);
    for (const p of m.parameters) {
      for (const i of [0, Math.floor(p.value.length / 2), p.value.length - 1]) {
        const v = p.value[i]!;
        const h = 1e-6;
        p.value[i] = v + h;
        const lp = loss();
        p.value[i] = v - h;
        const lm = loss();
        p.value[i] = v;
        expect(Math.abs((lp - lm) / (2 * h) - p.grad[i]!)).toBeLessThan(1e-7);
      }
    }
  });

  it('trainClassifier fails fast on NaN inputs and wrong widths', () => {
    const m = new Mlp([DenseLinear.init(5, 3, 1)]);
    const X = randn(4, 5, { seed: 1 });
    X.set(2, 3, Number.NaN);
    expect(() => trainClassifier(m, X, [0, 1, 2, 0])).toThrow(
      expect.objectContaining({ code: 'NON_FINITE' }),
    );
    expect(() => trainClassifier(m, randn(4, 6), [0, 1, 2, 0])).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
  });

  it('Adam takes PyTorch’s first step (sign of the gradient times lr) and AdamW decays', () => {
    const p = param('w', randn(2, 2, { seed: 1 }));
    const before = Float64Array.from(p.value);
    p.grad.set([1, -2, 3e-3, -4]);
    new Adam([p], { lr: 0.1 }).step();
    for (let i = 0; i < 4; i++) {
      const g = p.grad[i]!;
      // m̂ = g, v̂ = g²: step = lr·g/(|g| + eps)
      expect(p.value[i]).toBeCloseTo(before[i]! - (0.1 * g) / (Math.abs(g) + 1e-8), 12);
    }
    const q = param('w', randn(1, 1, { seed: 2 }));
    const q0 = q.value[0]!;
    new Adam([q], { lr: 0.1, weightDecay: 0.5 }).step();
    expect(q.value[0]).toBeCloseTo(q0 * (1 - 0.05), 12);
    expect(() => new Adam([q], { lr: -1 })).toThrow(LrError);
  });
});
