import {
  assertNumber,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  UnsupportedError,
} from '@lr/core';
import { gemmGpu } from '../gemm/gemm.js';
import { now } from '../runtime/_time.js';
import type { GpuContext } from '../runtime/context.js';
import type { GpuTensor } from '../runtime/gpuTensor.js';
import { tensorAttentionArgs } from './_args.js';
import {
  POLY_APPEND_ONE_WGSL,
  POLY_FEATURES_WGSL,
  POLY_HADAMARD_WGSL,
  POLY_NORMALIZE_WGSL,
} from './_polyShaders.js';
import { tensorAttentionOperands } from './_tensorArgs.js';
import {
  buildFeatures,
  parsePolyOptions,
  polyPlan,
  type TensorAttentionPolyOptions,
  type TensorAttentionPolyResult,
} from './tensorAttentionPoly.js';

/** Options of {@link tensorAttentionPolyTensors}. */
export interface TensorAttentionPolyTensorsOptions {
  /** Monomial coefficients c_0..c_g of p(x) ≈ eˣ (e.g. `tensorAttentionPoly(...).coefficients`). */
  coefficients: ArrayLike<number>;
  /** Score scale; default 1/d. */
  scale?: number;
  /**
   * Positive divisors ρ_Q, ρ_K1, ρ_K2 applied to the operands before the monomials (then
   * folded back into the weights): keeps the features in [−1, 1] in float32 when each ρ
   * bounds its operand's entries. Powers of two are exact. Default [1, 1, 1].
   */
  featureScales?: readonly [number, number, number];
}

/** Result of {@link tensorAttentionPolyTensors}: tensors owned by the caller. */
export interface TensorAttentionPolyGpuTensors {
  /** float32 `[nq, dv]`: D̃⁻¹·Ã·(V1 ⊘ V2). */
  output: GpuTensor;
  /** float32 `[nq]`: the approximate normaliser D̃_i (≤ 0 only when the degree is far too low). */
  normalizer: GpuTensor;
  /** r = C(d + g, g). */
  features: number;
}

/** Result of {@link tensorAttentionPolyGpu}: as {@link TensorAttentionPolyResult}, float32 output. */
export type TensorAttentionPolyGpuResult = TensorAttentionPolyResult;

const F32_MAX = 3.4028234663852886e38;

function params(u: readonly number[], f?: number): Uint8Array {
  const b = new ArrayBuffer(16);
  new Uint32Array(b).set(u);
  if (f !== undefined) new Float32Array(b, 12, 1)[0] = f;
  return new Uint8Array(b);
}

/**
 * The polynomial method of {@link tensorAttentionPoly} on float32 tensors already on the
 * device (no transfers; the caller picks the polynomial). With the multi-indices α,
 * |α| ≤ g = coefficients.length − 1, in the CPU version's order:
 * 1. Φ(X)[i, α] = (X_i/ρ_X)^α for X = Q, K1, K2 (WGSL, from an uploaded exponent table);
 * 2. G1 = Φ(K1)ᵀ·[V1 | 1], G2 = Φ(K2)ᵀ·[V2 | 1] (`gemmGpu`, transA), `[r, dv + 1]`;
 * 3. H = w ∘ G1 ∘ G2 with w_α = c_|α|·scale^|α|·(|α|!/α!)·(ρ_Q ρ_K1 ρ_K2)^|α| (WGSL);
 * 4. Y = Φ(Q)·H (`gemmGpu`), then out = Y[:, :dv] / Y[:, dv] (WGSL).
 *
 * @param ctx a GpuContext
 * @param Q `[nq, d]`, K1 `[n1, d]`, K2 `[n2, d]`, V1 `[n1, dv]`, V2 `[n2, dv]` (float32 GpuTensors)
 * @param options `coefficients` (required), `scale` (1/d), `featureScales` ([1, 1, 1])
 * @returns new `output` `[nq, dv]` and `normalizer` `[nq]` tensors and the feature count r
 * @throws {ShapeError} `SHAPE_MISMATCH` if the shapes do not fit, d = 0, n1 or n2 = 0
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a non-float32 tensor or a bad option
 * @throws {UnsupportedError} `UNSUPPORTED` if a weight overflows float32, or the device is lost
 * @example
 * const { output } = await tensorAttentionPolyTensors(ctx, q, k1, k2, v1, v2, {
 *   coefficients: [1, 1, 0.5, 1 / 6],
 * });
 */
export async function tensorAttentionPolyTensors(
  ctx: GpuContext,
  Q: GpuTensor,
  K1: GpuTensor,
  K2: GpuTensor,
  V1: GpuTensor,
  V2: GpuTensor,
  options: TensorAttentionPolyTensorsOptions,
): Promise<TensorAttentionPolyGpuTensors> {
  const opts = optionsObject('options', options);
  const { q, k1, k2, v1, v2, nq, n1, n2, d, dv } = tensorAttentionOperands(Q, K1, K2, V1, V2);
  const cl = opts.coefficients as ArrayLike<number> | undefined;
  if (cl === undefined || cl === null || typeof cl.length !== 'number' || cl.length < 1)
    throw new InvalidArgumentError('options.coefficients: expected at least one coefficient');
  const coeffs = new Float64Array(cl.length);
  for (let m = 0; m < cl.length; m++) coeffs[m] = assertNumber(`options.coefficients[${m}]`, cl[m]);
  const scale = opts.scale === undefined ? 1 / d : assertNumber('options.scale', opts.scale);
  const fs = opts.featureScales ?? [1, 1, 1];
  if (!Array.isArray(fs) || fs.length !== 3)
    throw new InvalidArgumentError('options.featureScales: expected three positive numbers');
  const rho = fs.map((x, k) =>
    assertNumber(`options.featureScales[${k}]`, x, Number.MIN_VALUE),
  ) as [number, number, number];

  const g = coeffs.length - 1;
  let r = 1;
  for (let m = 1; m <= g; m++) r = (r * (d + m)) / m;
  r = Math.round(r);
  const tree = buildFeatures(d, g, r, coeffs, scale);
  const exps = new Uint32Array(r * d);
  const deg = new Int32Array(r);
  for (let f = 1; f < r; f++) {
    const p = tree.parent[f]!;
    exps.set(exps.subarray(p * d, p * d + d), f * d);
    exps[f * d + tree.last[f]!]! += 1;
    deg[f] = deg[p]! + 1;
  }
  const rr = rho[0] * rho[1] * rho[2];
  const w = new Float32Array(r);
  for (let f = 0; f < r; f++) {
    const x = tree.weight[f]! * rr ** deg[f]!;
    if (!(Math.abs(x) <= F32_MAX))
      throw new UnsupportedError(
        `tensorAttentionPolyTensors: feature weight ${x} overflows float32 (degree ${g}; entries too large)`,
      );
    w[f] = x;
  }

  const m = dv + 1;
  const temps: GpuTensor[] = [];
  const tmp = (t: GpuTensor): GpuTensor => {
    temps.push(t);
    return t;
  };
  const output = ctx.empty([nq, dv], 'float32', 'lr:tensor-attention-poly-out');
  const normalizer = ctx.empty([nq], 'float32', 'lr:tensor-attention-poly-den');
  try {
    const expT = tmp(ctx.upload(exps, { shape: [r, d], label: 'lr:tap-exponents' }));
    const wT = tmp(ctx.upload(w, { shape: [r], label: 'lr:tap-weights' }));
    const phi = async (x: GpuTensor, n: number, inv: number): Promise<GpuTensor> => {
      const t = tmp(ctx.empty([n, r], 'float32', 'lr:tap-features'));
      await ctx.dispatch({
        code: POLY_FEATURES_WGSL,
        bindings: [params([n, d, r], inv), x, expT, t],
        workgroups: Math.ceil((n * r) / 64),
        label: 'lr:tensorAttentionPoly:features',
      });
      return t;
    };
    const keySide = async (k: GpuTensor, v: GpuTensor, n: number, inv: number) => {
      const pk = await phi(k, n, inv);
      const ve = tmp(ctx.empty([n, m], 'float32', 'lr:tap-values'));
      await ctx.dispatch({
        code: POLY_APPEND_ONE_WGSL,
        bindings: [params([n, dv]), v, ve],
        workgroups: Math.ceil((n * m) / 64),
        label: 'lr:tensorAttentionPoly:appendOne',
      });
      return tmp(await gemmGpu(ctx, pk, ve, { transA: true })); // [r, m]
    };
    const G1 = await keySide(k1, v1, n1, 1 / rho[1]);
    const G2 = await keySide(k2, v2, n2, 1 / rho[2]);
    const H = tmp(ctx.empty([r, m], 'float32', 'lr:tap-H'));
    await ctx.dispatch({
      code: POLY_HADAMARD_WGSL,
      bindings: [params([r, m]), wT, G1, G2, H],
      workgroups: Math.ceil((r * m) / 64),
      label: 'lr:tensorAttentionPoly:hadamard',
    });
    if (nq > 0) {
      const pq = await phi(q, nq, 1 / rho[0]);
      const Y = tmp(await gemmGpu(ctx, pq, H)); // [nq, m]
      await ctx.dispatch({
        code: POLY_NORMALIZE_WGSL,
        bindings: [params([nq, dv]), Y, output, normalizer],
        workgroups: Math.ceil((nq * m) / 64),
        label: 'lr:tensorAttentionPoly:normalize',
      });
    }
  } catch (e) {
    output.destroy();
    normalizer.destroy();
    throw e;
  } finally {
    for (const t of temps) t.destroy();
  }
  return { output, normalizer, features: r };
}

/** The smallest power of two ≥ max|x| over float32-rounded x (1 for an all-zero operand). */
function pow2Bound(x: Float64Array): number {
  let mx = 0;
  for (let i = 0; i < x.length; i++) mx = Math.max(mx, Math.abs(Math.fround(x[i]!)));
  return mx > 0 ? 2 ** Math.ceil(Math.log2(mx)) : 1;
}

/**
 * Tensor attention by the polynomial method on the GPU: the same degree, coefficients
 * and factorisation as {@link tensorAttentionPoly} (chosen on the CPU from the float64
 * operands, same options and errors), evaluated in float32 by
 * {@link tensorAttentionPolyTensors}: WGSL monomial features, `gemmGpu` for the key sums
 * Φ(K)ᵀ·[V | 1] and the query product, WGSL for the weighted Hadamard product and the
 * division by the normaliser column. Each operand is divided by the power of two ≥ its
 * largest entry before the monomials (exact; folded back into the weights), so the
 * features stay in [−1, 1] and cannot overflow float32.
 *
 * @param ctx a GpuContext (`await getGpu()`)
 * @param Q queries `[nq, d]`
 * @param K1 first keys `[n1, d]`
 * @param K2 second keys `[n2, d]`
 * @param V1 first values `[n1, dv]`
 * @param V2 second values `[n2, dv]`
 * @param options as {@link tensorAttentionPoly}: `epsilon`, `degree`, `maxDegree`, `bound`,
 * `method`, `scale`, `maxFeatures`
 * @returns the fields of {@link tensorAttentionPoly}; `output` is a float32 `nq × dv` Matrix
 * @throws {ShapeError} `SHAPE_MISMATCH` if the shapes do not fit
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity in an operand
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad option, or entries above `bound`
 * @throws {UnsupportedError} `UNSUPPORTED` as {@link tensorAttentionPoly}, or without a device
 * @example
 * import { rand } from '@lr/core';
 * const [Q, K1, K2, V1, V2] = [1, 2, 3, 4, 5].map((seed) => rand(64, 4, { seed }));
 * const r = await tensorAttentionPolyGpu(await getGpu(), Q, K1, K2, V1, V2, { epsilon: 1e-6 });
 */
export async function tensorAttentionPolyGpu(
  ctx: GpuContext,
  Q: Matrix,
  K1: Matrix,
  K2: Matrix,
  V1: Matrix,
  V2: Matrix,
  options?: TensorAttentionPolyOptions,
): Promise<TensorAttentionPolyGpuResult> {
  const t0 = now();
  const o = parsePolyOptions(options);
  const a = tensorAttentionArgs(Q, K1, K2, V1, V2, o.scale);
  const plan = polyPlan('tensorAttentionPolyGpu', a, o);
  const ts = [
    ctx.upload(a.q, { shape: [a.nq, a.d] }),
    ctx.upload(a.k1, { shape: [a.n1, a.d] }),
    ctx.upload(a.k2, { shape: [a.n2, a.d] }),
    ctx.upload(a.v1, { shape: [a.n1, a.dv] }),
    ctx.upload(a.v2, { shape: [a.n2, a.dv] }),
  ] as const;
  let res: TensorAttentionPolyGpuTensors | undefined;
  try {
    res = await tensorAttentionPolyTensors(ctx, ...ts, {
      coefficients: plan.coefficients,
      scale: a.scale,
      featureScales: [pow2Bound(a.q), pow2Bound(a.k1), pow2Bound(a.k2)],
    });
    const out = (await ctx.download(res.output)) as Float32Array;
    const den = (await ctx.download(res.normalizer)) as Float32Array;
    let nonPositiveNormalizers = 0;
    for (let i = 0; i < a.nq; i++) if (!(den[i]! > 0)) nonPositiveNormalizers++;
    return {
      output: new Matrix(out, a.nq, a.dv),
      degree: plan.degree,
      coefficients: plan.coefficients,
      features: plan.features,
      radius: plan.radius,
      entryBound: plan.entryBound,
      polyRelativeError: plan.polyRelativeError,
      method: plan.method,
      nonPositiveNormalizers,
      seconds: (now() - t0) / 1000,
    };
  } finally {
    for (const t of ts) t.destroy();
    res?.output.destroy();
    res?.normalizer.destroy();
  }
}
