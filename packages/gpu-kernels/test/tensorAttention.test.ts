import { LrError, Matrix, rand, randn } from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../src/runtime/context.js';
import { getGpu } from '../src/runtime/getGpu.js';
import { evalPoly } from '../src/tensorAttention/_expPoly.js';
import {
  tensorAttention,
  tensorAttentionCpu,
  tensorAttentionPoly,
  tensorAttentionTensors,
} from '../src/tensorAttention/index.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

function expectCode(fn: () => unknown, code: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(LrError);
  expect((err as LrError).code).toBe(code);
}

/** Uniform entries in [−B, B]. */
function uniform(rows: number, cols: number, B: number, seed: number): Matrix {
  const U = rand(rows, cols, { seed });
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out[i * cols + j] = B * (2 * U.get(i, j) - 1);
  return new Matrix(out, rows, cols);
}

/** The textbook formula, no max shift (inputs kept small): float64. */
function naive(
  Q: Matrix,
  K1: Matrix,
  K2: Matrix,
  V1: Matrix,
  V2: Matrix,
  scale: number,
  weight: (x: number) => number = Math.exp,
): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < Q.rows; i++) {
    const num = new Array<number>(V1.cols).fill(0);
    let den = 0;
    for (let j = 0; j < K1.rows; j++)
      for (let l = 0; l < K2.rows; l++) {
        let s = 0;
        for (let c = 0; c < Q.cols; c++) s += Q.get(i, c) * K1.get(j, c) * K2.get(l, c);
        const a = weight(scale * s);
        den += a;
        for (let c = 0; c < V1.cols; c++) num[c]! += a * V1.get(j, c) * V2.get(l, c);
      }
    out.push(num.map((x) => x / den));
  }
  return out;
}

function maxAbsDiff(a: number[][], b: Matrix): number {
  let m = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a[i]!.length; j++) m = Math.max(m, Math.abs(a[i]![j]! - b.get(i, j)));
  return m;
}

function infNorm(m: Matrix): number {
  let x = 0;
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) x = Math.max(x, Math.abs(m.get(i, j)));
  return x;
}

/** A problem of the paper's shape with entries bounded by B: Q, K1, K2, V1, V2 of n × d. */
function problem(n: number, d: number, B: number, seed: number) {
  return {
    Q: uniform(n, d, B, seed),
    K1: uniform(n, d, B, seed + 1),
    K2: uniform(n, d, B, seed + 2),
    V1: randn(n, d, { seed: seed + 3 }),
    V2: randn(n, d, { seed: seed + 4 }),
  };
}

describe('tensorAttentionCpu (exact)', () => {
  it('equals the float64 triple-sum formula (n1 ≠ n2, dv ≠ d)', () => {
    const Q = randn(7, 5, { seed: 1 });
    const K1 = randn(6, 5, { seed: 2 });
    const K2 = randn(9, 5, { seed: 3 });
    const V1 = randn(6, 3, { seed: 4 });
    const V2 = randn(9, 3, { seed: 5 });
    const r = tensorAttentionCpu(Q, K1, K2, V1, V2);
    expect(r.output.shape).toEqual([7, 3]);
    const ref = naive(Q, K1, K2, V1, V2, 1 / 5);
    expect(maxAbsDiff(ref, r.output)).toBeLessThan(1e-13);
    // log D_i against the direct sum
    for (let i = 0; i < 7; i++) {
      let D = 0;
      for (let j = 0; j < 6; j++)
        for (let l = 0; l < 9; l++) {
          let s = 0;
          for (let c = 0; c < 5; c++) s += Q.get(i, c) * K1.get(j, c) * K2.get(l, c);
          D += Math.exp(s / 5);
        }
      expect(r.logNormalizer[i]).toBeCloseTo(Math.log(D), 12);
    }
    const r2 = tensorAttentionCpu(Q, K1, K2, V1, V2, { scale: 0.7 });
    expect(maxAbsDiff(naive(Q, K1, K2, V1, V2, 0.7), r2.output)).toBeLessThan(1e-13);
  });

  it('reproduces the documented 2×2 example', () => {
    const X = Matrix.from([
      [1, 0],
      [0, 1],
    ]);
    const e = Math.exp(0.5);
    const out = tensorAttentionCpu(X, X, X, X, X).output.toArray();
    expect(out[0]![0]).toBeCloseTo(e / (e + 3), 15);
    expect(out[0]![1]).toBeCloseTo(1 / (e + 3), 15);
  });

  it('is stable for huge scores (max-subtracted): finite, shift-invariant', () => {
    const { Q, K1, K2, V1, V2 } = problem(6, 3, 1, 40);
    const big = tensorAttentionCpu(Q, K1, K2, V1, V2, { scale: 3000 });
    for (const v of big.output.data) expect(Number.isFinite(v)).toBe(true);
    for (const v of big.logNormalizer) expect(Number.isFinite(v)).toBe(true);
    // an extra all-ones column of Q, K1, K2 adds the constant `scale` to every score of a row:
    // the output must not change, log D must shift by exactly that constant
    const addOnes = (M: Matrix) => Matrix.from(M.toArray().map((row) => [...row, 1]));
    const shifted = tensorAttentionCpu(addOnes(Q), addOnes(K1), addOnes(K2), V1, V2, {
      scale: 3000,
    });
    for (let i = 0; i < big.output.data.length; i++)
      expect(shifted.output.data[i]).toBeCloseTo(big.output.data[i]!, 9);
    for (let i = 0; i < 6; i++)
      expect(shifted.logNormalizer[i]! - big.logNormalizer[i]!).toBeCloseTo(3000, 6);
  });

  it('rejects bad input with documented codes', () => {
    const A = randn(4, 3, { seed: 1 });
    const B = randn(4, 2, { seed: 2 });
    expectCode(() => tensorAttentionCpu(A, B, A, A, A), 'SHAPE_MISMATCH');
    expectCode(() => tensorAttentionCpu(A, A, B, A, A), 'SHAPE_MISMATCH');
    expectCode(() => tensorAttentionCpu(A, A, A, randn(3, 3), A), 'SHAPE_MISMATCH');
    expectCode(() => tensorAttentionCpu(A, A, A, A, B), 'SHAPE_MISMATCH');
    const empty = new Matrix(new Float64Array(0), 0, 3);
    expectCode(() => tensorAttentionCpu(A, empty, A, empty, A), 'SHAPE_MISMATCH');
    const nan = A.clone() as Matrix;
    nan.set(2, 1, Number.NaN);
    expectCode(() => tensorAttentionCpu(nan, A, A, A, A), 'NON_FINITE');
    expectCode(() => tensorAttentionCpu(A, A, A, A, nan), 'NON_FINITE');
    expectCode(() => tensorAttentionCpu(A, A, A, A, A, { scale: Number.NaN }), 'INVALID_ARGUMENT');
    expectCode(() => tensorAttentionCpu([[1]] as never, A, A, A, A), 'INVALID_ARGUMENT');
    // zero query rows are fine
    const none = tensorAttentionCpu(new Matrix(new Float64Array(0), 0, 3), A, A, A, A);
    expect(none.output.shape).toEqual([0, 3]);
  });
});

describe('tensorAttentionPoly (polynomial method, bounded entries)', () => {
  it('equals the exact triple sum with exp replaced by the same polynomial (the factorisation is exact)', () => {
    const { Q, K1, K2, V1, V2 } = problem(9, 3, 1.2, 50);
    for (const degree of [0, 1, 2, 5, 9]) {
      const r = tensorAttentionPoly(Q, K1, K2, V1, V2, { degree });
      expect(r.features).toBe(
        [1, 4, 10, 56, 220][[0, 1, 2, 5, 9].indexOf(degree)], // C(3 + g, g)
      );
      const ref = naive(Q, K1, K2, V1, V2, 1 / 3, (x) => evalPoly(r.coefficients, x));
      expect(maxAbsDiff(ref, r.output)).toBeLessThan(1e-11);
    }
  });

  it('meets the 2δ/(1−δ)·max|V1∘V2| output bound with δ the polynomial error on the actual scores', () => {
    for (const method of ['chebyshev', 'taylor'] as const)
      for (const B of [0.5, 1, 1.5]) {
        const { Q, K1, K2, V1, V2 } = problem(20, 4, B, 60);
        const epsilon = 1e-7;
        const r = tensorAttentionPoly(Q, K1, K2, V1, V2, { epsilon, method });
        const exact = tensorAttentionCpu(Q, K1, K2, V1, V2);
        // δ over the scores that occur
        let delta = 0;
        for (let i = 0; i < 20; i++)
          for (let j = 0; j < 20; j++)
            for (let l = 0; l < 20; l++) {
              let s = 0;
              for (let c = 0; c < 4; c++) s += Q.get(i, c) * K1.get(j, c) * K2.get(l, c);
              const x = s / 4;
              expect(Math.abs(x)).toBeLessThanOrEqual(r.radius);
              delta = Math.max(delta, Math.abs(evalPoly(r.coefficients, x) * Math.exp(-x) - 1));
            }
        expect(delta).toBeLessThanOrEqual(epsilon * 1.0001);
        expect(r.polyRelativeError).toBeLessThanOrEqual(epsilon);
        const vmax = infNorm(V1) * infNorm(V2);
        const err = maxAbsDiff(exact.output.toArray(), r.output);
        expect(err).toBeLessThanOrEqual(((2 * delta) / (1 - delta)) * vmax + 1e-12);
        expect(r.radius).toBeLessThanOrEqual(B ** 3 + 1e-12);
      }
  });

  it('runs the documented example', () => {
    const [Q, K1, K2, V1, V2] = [1, 2, 3, 4, 5].map((seed) => rand(64, 4, { seed })) as [
      Matrix,
      Matrix,
      Matrix,
      Matrix,
      Matrix,
    ];
    const fast = tensorAttentionPoly(Q, K1, K2, V1, V2, { epsilon: 1e-8 });
    const exact = tensorAttentionCpu(Q, K1, K2, V1, V2);
    expect(maxAbsDiff(exact.output.toArray(), fast.output)).toBeLessThan(1e-7);
    expect(fast.nonPositiveNormalizers).toBe(0);
  });

  it('error grows with the entry bound B at a fixed degree (as the paper says)', () => {
    const errs: number[] = [];
    for (const B of [0.25, 0.5, 1, 1.5, 2]) {
      const { Q, K1, K2, V1, V2 } = problem(24, 4, B, 70);
      const exact = tensorAttentionCpu(Q, K1, K2, V1, V2);
      const r = tensorAttentionPoly(Q, K1, K2, V1, V2, { degree: 4, bound: B });
      expect(r.radius).toBeCloseTo(B ** 3, 12); // R = scale·d·B³ = B³
      errs.push(maxAbsDiff(exact.output.toArray(), r.output));
    }
    for (let k = 1; k < errs.length; k++) expect(errs[k]).toBeGreaterThan(errs[k - 1]!);
    expect(errs[0]).toBeLessThan(1e-6);
    expect(errs[4]).toBeGreaterThan(1e-3);
  });

  it('the degree needed for a fixed ε grows with B, and large B is refused', () => {
    let prev = -1;
    for (const B of [0.25, 0.5, 1, 1.5, 2]) {
      const { Q, K1, K2, V1, V2 } = problem(8, 4, B, 80);
      const r = tensorAttentionPoly(Q, K1, K2, V1, V2, { bound: B, epsilon: 1e-6 });
      expect(r.degree).toBeGreaterThan(prev);
      prev = r.degree;
    }
    const { Q, K1, K2, V1, V2 } = problem(8, 4, 4, 90);
    expectCode(() => tensorAttentionPoly(Q, K1, K2, V1, V2, { bound: 4 }), 'UNSUPPORTED');
    expectCode(
      () => tensorAttentionPoly(Q, K1, K2, V1, V2, { degree: 12, maxFeatures: 100 }),
      'UNSUPPORTED',
    );
  });

  it('rejects bad options and entries above the stated bound', () => {
    const { Q, K1, K2, V1, V2 } = problem(5, 3, 1, 100);
    expectCode(() => tensorAttentionPoly(Q, K1, K2, V1, V2, { bound: 0.5 }), 'INVALID_ARGUMENT');
    expectCode(() => tensorAttentionPoly(Q, K1, K2, V1, V2, { epsilon: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => tensorAttentionPoly(Q, K1, K2, V1, V2, { degree: -1 }), 'INVALID_ARGUMENT');
    expectCode(
      () => tensorAttentionPoly(Q, K1, K2, V1, V2, { method: 'pade' as never }),
      'INVALID_ARGUMENT',
    );
    expectCode(
      () => tensorAttentionPoly(Q, K1, K2, V1, V2, { bound: Number.NaN }),
      'INVALID_ARGUMENT',
    );
    const nan = Q.clone() as Matrix;
    nan.set(0, 0, Number.NaN);
    expectCode(() => tensorAttentionPoly(nan, K1, K2, V1, V2), 'NON_FINITE');
    expectCode(() => tensorAttentionPoly(Q, K1, randn(5, 2), V1, V2), 'SHAPE_MISMATCH');
  });
});

describe('tensorAttention (WebGPU, exact)', () => {
  let ctx: GpuContext;
  beforeAll(async () => {
    // Test-only: point Dawn at SwiftShader when nothing else is configured. No adapter
    // makes getGpu throw UNSUPPORTED, which fails these tests (they do not skip).
    process.env.VK_ICD_FILENAMES ??= SWIFTSHADER;
    ctx = await getGpu();
  }, 60_000);
  afterAll(() => ctx?.dispose());

  /**
   * Float32 error budget of the kernel for one output row, in units of max|V1∘V2|: the
   * weights are off by a relative δ_w ≤ (d + 2)·u·R (score rounding) + (3 + 2·2R)·ulp (WGSL
   * exp accuracy, 3 + 2|x| ULP) + (n1·n2/64 + 7)·u (the sums), and a weighted mean moves by
   * ≤ 2δ_w (first order); 2× margin.
   */
  function budget(R: number, d: number, n1: number, n2: number): number {
    const u = 2 ** -24;
    const dw = (d + 2) * u * R + (3 + 4 * R) * 2 * u + ((n1 * n2) / 64 + 7) * u;
    return 2 * 2 * dw;
  }

  it('matches the CPU reference (odd sizes, n1 ≠ n2, dv ≠ d) within float32 rounding', async () => {
    const cases = [
      { nq: 7, n1: 6, n2: 9, d: 5, dv: 3, B: 1 },
      { nq: 70, n1: 33, n2: 17, d: 8, dv: 64, B: 1.5 },
      { nq: 1, n1: 1, n2: 1, d: 1, dv: 1, B: 2 },
    ];
    for (const { nq, n1, n2, d, dv, B } of cases) {
      const Q = uniform(nq, d, B, nq);
      const K1 = uniform(n1, d, B, n1 + 100);
      const K2 = uniform(n2, d, B, n2 + 200);
      const V1 = randn(n1, dv, { seed: 3 });
      const V2 = randn(n2, dv, { seed: 4 });
      // reference on the float32-rounded inputs the GPU sees
      const f32 = (M: Matrix) =>
        new Matrix(Float64Array.from(Float32Array.from(M.toArray().flat())), M.rows, M.cols);
      const cpu = tensorAttentionCpu(f32(Q), f32(K1), f32(K2), f32(V1), f32(V2));
      const gpu = await tensorAttention(ctx, Q, K1, K2, V1, V2);
      const vmax = infNorm(V1) * infNorm(V2);
      const R = B ** 3;
      const err = maxAbsDiff(cpu.output.toArray(), gpu.output);
      expect(err).toBeLessThanOrEqual(budget(R, d, n1, n2) * vmax);
      for (let i = 0; i < nq; i++)
        expect(Math.abs(gpu.logNormalizer[i]! - cpu.logNormalizer[i]!)).toBeLessThanOrEqual(
          budget(R, d, n1, n2) * Math.max(1, Math.abs(cpu.logNormalizer[i]!)),
        );
    }
  });

  it('stays finite and correct for huge scores (scale 2000)', async () => {
    const { Q, K1, K2, V1, V2 } = problem(5, 3, 1, 7);
    const f32 = (M: Matrix) =>
      new Matrix(Float64Array.from(Float32Array.from(M.toArray().flat())), M.rows, M.cols);
    const cpu = tensorAttentionCpu(f32(Q), f32(K1), f32(K2), f32(V1), f32(V2), { scale: 2000 });
    const gpu = await tensorAttention(ctx, Q, K1, K2, V1, V2, { scale: 2000 });
    for (const v of gpu.output.data) expect(Number.isFinite(v)).toBe(true);
    // scores up to 2000·3/… : the weight error is dominated by exp's 2|x| ULP term
    const vmax = infNorm(V1) * infNorm(V2);
    expect(maxAbsDiff(cpu.output.toArray(), gpu.output)).toBeLessThanOrEqual(
      budget(2000 * 3, 3, 5, 5) * vmax,
    );
  });

  it('runs on device tensors and rejects bad input', async () => {
    const X = ctx.upload(
      Matrix.from([
        [1, 0],
        [0, 1],
      ]),
    );
    const r = await tensorAttentionTensors(ctx, X, X, X, X, X);
    const e = Math.exp(0.5);
    const out = await ctx.download(r.output);
    expect(out[0]).toBeCloseTo(e / (e + 3), 6);
    expect(out[1]).toBeCloseTo(1 / (e + 3), 6);
    r.output.destroy();
    r.logNormalizer.destroy();
    const Y = ctx.upload(Matrix.from([[1, 0, 2]]));
    let err: unknown;
    try {
      await tensorAttentionTensors(ctx, X, Y, X, X, X);
    } catch (x) {
      err = x;
    }
    expect((err as LrError).code).toBe('SHAPE_MISMATCH');
    X.destroy();
    Y.destroy();
    const A = randn(3, 2, { seed: 1 });
    const wide = randn(3, 65, { seed: 2 });
    await expect(tensorAttention(ctx, A, A, A, wide, wide)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    const nan = A.clone() as Matrix;
    nan.set(0, 0, Number.NaN);
    await expect(tensorAttention(ctx, nan, A, A, A, A)).rejects.toMatchObject({
      code: 'NON_FINITE',
    });
  });
});
