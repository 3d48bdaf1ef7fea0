import { matmul, randn } from '@lr/core';
import { describe, expect, test } from 'vitest';
import { entryMeasurements, gaussianMeasurements, sensingGD } from '../src/index.js';

function dotArr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

// Slope of log10(error) per iteration, least squares over the recorded points whose
// error lies in (lo, hi) — the linear-convergence phase, before rounding floors it.
function logSlope(
  res: { errorHistory: number[]; iterationHistory: number[] },
  lo = 1e-11,
  hi = 1e-3,
): number {
  const xs: number[] = [];
  const ys: number[] = [];
  res.errorHistory.forEach((e, p) => {
    if (e > lo && e < hi) {
      xs.push(res.iterationHistory[p]!);
      ys.push(Math.log10(e));
    }
  });
  if (xs.length < 3) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

describe('measurement operators', () => {
  test('adjoint: ⟨A(X), r⟩ = ⟨X, A*(r)⟩ (Gaussian, symmetric Gaussian, entries)', () => {
    const X = randn(6, 5, { seed: 1 });
    const Xs = randn(6, 6, { seed: 2 });
    const r = Float64Array.from(randn(1, 40, { seed: 3 }).data);
    for (const [A, Z] of [
      [gaussianMeasurements(40, 6, 5, { seed: 4 }), X],
      [gaussianMeasurements(40, 6, 6, { symmetric: true, seed: 5 }), Xs],
      [entryMeasurements(20, 6, 5, { seed: 6 }), X],
    ] as const) {
      const rr = r.subarray(0, A.count);
      const lhs = dotArr(A.apply(Z), rr);
      const rhs = dotArr(Z.data, A.adjoint(rr).data);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * (1 + Math.abs(lhs)));
    }
  });

  test('near isotropy: ‖A(X)‖ ≈ ‖X‖_F for m ≫ 1, same seed gives same operator', () => {
    const X = randn(8, 8, { seed: 7 });
    const S = matmul(X, X.T);
    const A = gaussianMeasurements(4000, 8, 8, { seed: 8 });
    const B = gaussianMeasurements(4000, 8, 8, { symmetric: true, seed: 8 });
    const ratio = (v: Float64Array, Z: typeof X) =>
      Math.sqrt(dotArr(v, v) / dotArr(Z.data, Z.data));
    expect(Math.abs(ratio(A.apply(X), X) - 1)).toBeLessThan(0.06);
    expect(Math.abs(ratio(B.apply(S), S) - 1)).toBeLessThan(0.1);
    expect(gaussianMeasurements(30, 3, 3, { seed: 1 }).apply(X.block(0, 0, 3, 3))).toEqual(
      gaussianMeasurements(30, 3, 3, { seed: 1 }).apply(X.block(0, 0, 3, 3)),
    );
  });

  test('bad arguments fail fast with codes', () => {
    expect(() => gaussianMeasurements(0, 3, 3)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => gaussianMeasurements(5, 3, 4, { symmetric: true })).toThrow(/n1 = n2/);
    expect(() => entryMeasurements(17, 4, 4)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const A = gaussianMeasurements(5, 3, 3);
    expect(() => A.apply(randn(3, 4))).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => sensingGD(A, new Float64Array(4), { rank: 1 })).toThrow(/length 5/);
    expect(() =>
      sensingGD(A, new Float64Array(5), { rank: 1, parameterization: 'symmetric' }),
    ).toThrow(/symmetric/);
    expect(() => sensingGD(A, new Float64Array([1, 2, Number.NaN, 4, 5]), { rank: 1 })).toThrow(
      /finite/,
    );
    expect(() => sensingGD(A, new Float64Array([1, 2, Number.NaN, 4, 5]), { rank: 1 })).toThrow(
      expect.objectContaining({ code: 'NON_FINITE' }),
    );
  });
});

// #9 (Xiong, Ding & Du 2023) in small: n = 12, r = 2, m = 360 Gaussian measurements,
// M* = X*X*ᵀ/n (‖M*‖ ≈ 1), step 0.2.
describe('#9: over-parameterization slows down GD', () => {
  const n = 12;
  const Xs = randn(n, 2, { seed: 1 });
  const M = matmul(Xs, Xs.T);
  for (let p = 0; p < M.data.length; p++) M.data[p] = M.data[p]! / n;
  const Asym = gaussianMeasurements(360, n, n, { symmetric: true, seed: 2 });
  const A = gaussianMeasurements(360, n, n, { seed: 3 });
  const ySym = Asym.apply(M);
  const y = A.apply(M);
  const common = { stepSize: 0.2, truth: M, recordEvery: 10 };

  test('symmetric XXᵀ: linear when k = r, sublinear (≈ 1/T) when k > r', () => {
    const exact = sensingGD(Asym, ySym, {
      ...common,
      parameterization: 'symmetric',
      rank: 2,
      initScale: 0.1,
      iterations: 600,
    });
    const over = sensingGD(Asym, ySym, {
      ...common,
      parameterization: 'symmetric',
      rank: 4,
      initScale: 0.1,
      iterations: 3000,
    });
    expect(exact.errorHistory.at(-1)!).toBeLessThan(1e-10);
    const e = (t: number) => over.errorHistory[t / 10]!;
    // polynomial decay: log-log slope between T = 1000 and T = 3000 in [-3, -0.5]
    const llSlope = Math.log(e(3000) / e(1000)) / Math.log(3);
    console.log(
      `#9 symmetric k>r: err(1000)=${e(1000).toExponential(2)} err(3000)=${e(3000).toExponential(2)} log-log slope ${llSlope.toFixed(2)}; k=r log10-slope ${logSlope(exact).toFixed(4)}/iter`,
    );
    expect(e(3000)).toBeGreaterThan(1e-6);
    expect(llSlope).toBeLessThan(-0.5);
    expect(llSlope).toBeGreaterThan(-3);
  });

  test('asymmetric FGᵀ: linear with a rate that grows with α; one-step modification removes the dependence', () => {
    const slopes: Record<string, number> = {};
    for (const alpha of [0.5, 0.2]) {
      const plain = sensingGD(A, y, { ...common, rank: 4, initScale: alpha, iterations: 3000 });
      const mod = sensingGD(A, y, {
        ...common,
        rank: 4,
        initScale: alpha,
        iterations: 1200,
        oneStep: true,
      });
      slopes[`plain ${alpha}`] = logSlope(plain);
      slopes[`oneStep ${alpha}`] = logSlope(mod);
      expect(mod.oneStepIteration).toBeGreaterThan(0);
      expect(mod.errorHistory.at(-1)!).toBeLessThan(1e-10);
    }
    const exact = sensingGD(A, y, { ...common, rank: 2, initScale: 0.2, iterations: 1200 });
    slopes['exact k=r'] = logSlope(exact);
    console.log('#9 asymmetric log10-error slopes per iteration:', JSON.stringify(slopes));
    // linear convergence: a clear negative slope even when over-parameterized
    expect(slopes['plain 0.2']!).toBeLessThan(0);
    // rate depends on α as exp(−Ω(α²T)): (0.5/0.2)² = 6.25 predicts the slope ratio
    const ratio = slopes['plain 0.5']! / slopes['plain 0.2']!;
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(12);
    // modified: same rate for both α (within 30%) and faster than plain GD at either α
    const r = slopes['oneStep 0.5']! / slopes['oneStep 0.2']!;
    expect(r).toBeGreaterThan(0.7);
    expect(r).toBeLessThan(1.3);
    expect(slopes['oneStep 0.2']!).toBeLessThan(2 * slopes['plain 0.5']!);
  });
});
