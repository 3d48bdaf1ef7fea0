import { LrError, Matrix, rand, randn } from '@lr/core';
import { afterAll, describe, expect, it } from 'vitest';
import { evalPoly } from '../src/tensorAttention/_expPoly.js';
import {
  type TensorAttentionPolyOptions,
  tensorAttentionCpu,
  tensorAttentionPoly,
  tensorAttentionPolyGpu,
  tensorAttentionPolyTensors,
} from '../src/tensorAttention/index.js';
import { closeGpu, openGpu } from './_gpu.js';

// No skip: each test opens the shared context itself, so without an adapter openGpu()
// rejects and every test here fails (not a beforeAll error that reports them as skipped).
afterAll(closeGpu);

const u = 2 ** -24;

/** Uniform entries in [−B, B]. */
function uniform(rows: number, cols: number, B: number, seed: number): Matrix {
  const U = rand(rows, cols, { seed });
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out[i * cols + j] = B * (2 * U.get(i, j) - 1);
  return new Matrix(out, rows, cols);
}

/** The float32-rounded matrix (what the GPU sees), as float64. */
const f32 = (M: Matrix): Matrix =>
  new Matrix(Float64Array.from(Float32Array.from(M.toArray().flat())), M.rows, M.cols);

function maxAbsDiff(a: Matrix, b: Matrix): number {
  let m = 0;
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)));
  return m;
}

function infNorm(m: Matrix): number {
  let x = 0;
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) x = Math.max(x, Math.abs(m.get(i, j)));
  return x;
}

/**
 * Float32 budget of the GPU polynomial method against the float64 CPU one on the same
 * (float32-rounded) inputs, per query row, in units of max|V1∘V2|. Every term
 * w_α·Q_i^α·K1_j^α·K2_l^α·v is computed with relative error ≤ ε_t = (3g + n1 + n2 + r)·u:
 * each monomial |α| − 1 ≤ g − 1 products (the power-of-two prescaling is exact), the float32
 * weight 1, the Hadamard product 2, and the three inner products γ_n1, γ_n2, γ_r (any
 * summation order). So numerator and denominator move by ≤ ε_t·T_i with
 * T_i = Σ_{j,l} Σ_α |w_α (Q_i∘K1_j∘K2_l)^α| = Σ_{j,l} p̄(|scale|·Σ_c |Q_ic K1_jc K2_lc|),
 * p̄ = Σ_m |c_m| xᵐ, and the ratio (|out| ≤ max|V1∘V2|) by ≤ 2ε_t·T_i/D̃_i, D̃_i = Σ_{j,l} p(x_ijl);
 * plus u for the division. 2× margin for second-order terms.
 */
function budgets(
  Q: Matrix,
  K1: Matrix,
  K2: Matrix,
  r: { coefficients: Float64Array; features: number },
  scale: number,
): number[] {
  const g = r.coefficients.length - 1;
  const pbar = r.coefficients.map(Math.abs);
  const et = (3 * g + K1.rows + K2.rows + r.features) * u;
  const out: number[] = [];
  for (let i = 0; i < Q.rows; i++) {
    let T = 0;
    let D = 0;
    for (let j = 0; j < K1.rows; j++)
      for (let l = 0; l < K2.rows; l++) {
        let s = 0;
        let sa = 0;
        for (let k = 0; k < Q.cols; k++) {
          const t = Q.get(i, k) * K1.get(j, k) * K2.get(l, k);
          s += t;
          sa += Math.abs(t);
        }
        T += evalPoly(pbar, Math.abs(scale) * sa);
        D += evalPoly(r.coefficients, scale * s);
      }
    out.push(2 * ((2 * et * T) / D + u));
  }
  return out;
}

/** max_i max_c |a − b| / budget_i: ≤ 1 when within budget. */
function budgetRatio(a: Matrix, b: Matrix, bud: number[], vmax: number): number {
  let m = 0;
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++)
      m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)) / (bud[i]! * vmax));
  return m;
}

/** max over the actual scores of |p(x)e^(−x) − 1|. */
function actualDelta(Q: Matrix, K1: Matrix, K2: Matrix, c: Float64Array, scale: number): number {
  let delta = 0;
  for (let i = 0; i < Q.rows; i++)
    for (let j = 0; j < K1.rows; j++)
      for (let l = 0; l < K2.rows; l++) {
        let s = 0;
        for (let k = 0; k < Q.cols; k++) s += Q.get(i, k) * K1.get(j, k) * K2.get(l, k);
        const x = scale * s;
        delta = Math.max(delta, Math.abs(evalPoly(c, x) * Math.exp(-x) - 1));
      }
  return delta;
}

describe('tensorAttentionPolyGpu (WebGPU polynomial method)', () => {
  it('matches the CPU polynomial method within the float32 budget, and the exact result within the polynomial bound', async () => {
    const cases: {
      nq: number;
      n1: number;
      n2: number;
      d: number;
      dv: number;
      B: number;
      opts: TensorAttentionPolyOptions;
    }[] = [
      { nq: 1, n1: 1, n2: 1, d: 2, dv: 2, B: 1, opts: {} },
      { nq: 7, n1: 7, n2: 7, d: 3, dv: 3, B: 1, opts: { method: 'taylor', epsilon: 1e-5 } },
      { nq: 33, n1: 33, n2: 33, d: 4, dv: 4, B: 1.2, opts: {} },
      { nq: 7, n1: 33, n2: 1, d: 3, dv: 5, B: 0.8, opts: { scale: 0.5 } },
      { nq: 33, n1: 7, n2: 33, d: 2, dv: 1, B: 1.5, opts: { degree: 6 } },
    ];
    const ctx = await openGpu();
    const report: string[] = [];
    for (const { nq, n1, n2, d, dv, B, opts } of cases) {
      const Q = f32(uniform(nq, d, B, 10 + nq));
      const K1 = f32(uniform(n1, d, B, 20 + n1));
      const K2 = f32(uniform(n2, d, B, 30 + n2));
      const V1 = f32(randn(n1, dv, { seed: 40 + d }));
      const V2 = f32(randn(n2, dv, { seed: 50 + d }));
      const cpu = tensorAttentionPoly(Q, K1, K2, V1, V2, opts);
      const gpu = await tensorAttentionPolyGpu(ctx, Q, K1, K2, V1, V2, opts);
      // same plan as the CPU version
      expect(gpu.degree).toBe(cpu.degree);
      expect(gpu.features).toBe(cpu.features);
      expect(gpu.radius).toBe(cpu.radius);
      expect(gpu.method).toBe(cpu.method);
      expect(Array.from(gpu.coefficients)).toEqual(Array.from(cpu.coefficients));
      expect(gpu.nonPositiveNormalizers).toBe(0);
      expect(gpu.output.rows).toBe(nq);
      expect(gpu.output.cols).toBe(dv);
      const vmax = infNorm(V1) * infNorm(V2);
      const scale = opts.scale ?? 1 / d;
      const buds = budgets(Q, K1, K2, cpu, scale);
      const errPoly = maxAbsDiff(cpu.output, gpu.output);
      const ratio = budgetRatio(cpu.output, gpu.output, buds, vmax);
      expect(ratio).toBeLessThanOrEqual(1);
      const bud = Math.max(...buds) * vmax;
      // vs exact: the CPU test's bound 2δ/(1−δ)·max|V1∘V2| (δ on the actual scores) + the budget
      const exact = tensorAttentionCpu(Q, K1, K2, V1, V2, { scale });
      const delta = actualDelta(Q, K1, K2, cpu.coefficients, scale);
      const errExact = maxAbsDiff(exact.output, gpu.output);
      expect(errExact).toBeLessThanOrEqual(((2 * delta) / (1 - delta)) * vmax + bud);
      report.push(
        `n=${nq}/${n1}/${n2} d=${d} g=${cpu.degree} r=${cpu.features}: |gpu−cpuPoly|=${errPoly.toExponential(2)} (max budget ${bud.toExponential(2)}, err/budget ${ratio.toExponential(2)}), |gpu−exact|=${errExact.toExponential(2)} (bound ${(((2 * delta) / (1 - delta)) * vmax + bud).toExponential(2)})`,
      );
    }
    console.log(report.join('\n'));
  }, 60_000);

  it('runs on device tensors with given coefficients', async () => {
    const ctx = await openGpu();
    const Q = f32(uniform(5, 3, 1, 1));
    const K1 = f32(uniform(4, 3, 1, 2));
    const K2 = f32(uniform(6, 3, 1, 3));
    const V1 = f32(randn(4, 2, { seed: 4 }));
    const V2 = f32(randn(6, 2, { seed: 5 }));
    const cpu = tensorAttentionPoly(Q, K1, K2, V1, V2, { degree: 5 });
    const ts = [Q, K1, K2, V1, V2].map((M) => ctx.upload(M));
    const [q, k1, k2, v1, v2] = ts as [
      (typeof ts)[0],
      (typeof ts)[0],
      (typeof ts)[0],
      (typeof ts)[0],
      (typeof ts)[0],
    ];
    const res = await tensorAttentionPolyTensors(ctx, q, k1, k2, v1, v2, {
      coefficients: cpu.coefficients,
    });
    expect(res.features).toBe(56);
    expect(res.output.shape).toEqual([5, 2]);
    const out = new Matrix((await ctx.download(res.output)) as Float32Array, 5, 2);
    const den = await ctx.download(res.normalizer);
    for (const x of den) expect(x).toBeGreaterThan(0);
    expect(
      budgetRatio(cpu.output, out, budgets(Q, K1, K2, cpu, 1 / 3), infNorm(V1) * infNorm(V2)),
    ).toBeLessThanOrEqual(1);
    res.output.destroy();
    res.normalizer.destroy();
    const bad = [
      () => tensorAttentionPolyTensors(ctx, q, k1, k2, v1, v2, { coefficients: [] }),
      () =>
        tensorAttentionPolyTensors(ctx, q, k1, k2, v1, v2, {
          coefficients: [1],
          featureScales: [1, 0, 1],
        }),
      () =>
        tensorAttentionPolyTensors(ctx, q, k1, k2, v1, v2, {
          coefficients: [1, Number.NaN],
        }),
    ];
    for (const b of bad) await expect(b()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      tensorAttentionPolyTensors(ctx, q, q, k2, v1, v2, { coefficients: [1] }),
    ).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    for (const t of ts) t.destroy();
  }, 30_000);

  it('rejects bad input with the same codes as the CPU version', async () => {
    const ctx = await openGpu();
    const P = (n: number, d: number, B: number, s: number) => ({
      Q: uniform(n, d, B, s),
      K1: uniform(n, d, B, s + 1),
      K2: uniform(n, d, B, s + 2),
      V1: randn(n, d, { seed: s + 3 }),
      V2: randn(n, d, { seed: s + 4 }),
    });
    const { Q, K1, K2, V1, V2 } = P(5, 3, 1, 100);
    const big = P(8, 4, 4, 90);
    const nan = Q.clone() as Matrix;
    nan.set(0, 0, Number.NaN);
    const cases: [Matrix[], TensorAttentionPolyOptions | undefined, string][] = [
      [[Q, K1, K2, V1, V2], { bound: 0.5 }, 'INVALID_ARGUMENT'],
      [[Q, K1, K2, V1, V2], { epsilon: 0 }, 'INVALID_ARGUMENT'],
      [[Q, K1, K2, V1, V2], { degree: -1 }, 'INVALID_ARGUMENT'],
      [[Q, K1, K2, V1, V2], { method: 'pade' as never }, 'INVALID_ARGUMENT'],
      [[Q, K1, K2, V1, V2], { bound: Number.NaN }, 'INVALID_ARGUMENT'],
      [[nan, K1, K2, V1, V2], undefined, 'NON_FINITE'],
      [[Q, K1, randn(5, 2), V1, V2], undefined, 'SHAPE_MISMATCH'],
      [[Q, K1, K2, randn(4, 3), V2], undefined, 'SHAPE_MISMATCH'],
      [[big.Q, big.K1, big.K2, big.V1, big.V2], { bound: 4 }, 'UNSUPPORTED'],
      [[Q, K1, K2, V1, V2], { degree: 12, maxFeatures: 100 }, 'UNSUPPORTED'],
    ];
    for (const [m, opts, code] of cases) {
      const [a, b, c, d, e] = m as [Matrix, Matrix, Matrix, Matrix, Matrix];
      let cpuErr: unknown;
      try {
        tensorAttentionPoly(a, b, c, d, e, opts);
      } catch (x) {
        cpuErr = x;
      }
      expect(cpuErr).toBeInstanceOf(LrError);
      expect((cpuErr as LrError).code).toBe(code);
      await expect(tensorAttentionPolyGpu(ctx, a, b, c, d, e, opts)).rejects.toMatchObject({
        code,
      });
    }
  }, 30_000);
});
