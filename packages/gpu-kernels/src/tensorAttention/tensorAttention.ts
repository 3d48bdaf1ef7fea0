import { assertNumber, Matrix, optionsObject, UnsupportedError } from '@lr/core';
import { now } from '../runtime/_time.js';
import type { GpuContext } from '../runtime/context.js';
import type { GpuTensor } from '../runtime/gpuTensor.js';
import { tensorAttentionArgs } from './_args.js';
import { TENSOR_ATTENTION_MAX_DV, TENSOR_ATTENTION_WGSL } from './_shader.js';
import { tensorAttentionOperands } from './_tensorArgs.js';
import type { TensorAttentionOptions } from './tensorAttentionCpu.js';

/** Result of {@link tensorAttentionTensors}: tensors owned by the caller. */
export interface TensorAttentionGpuTensors {
  /** float32 `[nq, dv]`. */
  output: GpuTensor;
  /** float32 `[nq]`: log D_i. */
  logNormalizer: GpuTensor;
}

/** Result of {@link tensorAttention}. */
export interface TensorAttentionGpuResult {
  /** D⁻¹·A·(V1 ⊘ V2), float32 `nq × dv`. */
  output: Matrix;
  /** log D_i, length nq. */
  logNormalizer: Float32Array;
  /** Seconds from upload to download. */
  seconds: number;
}

/**
 * GPU-level exact tensor attention on float32 tensors already on the device (the WGSL
 * kernel of {@link tensorAttention}; no transfers). One 64-thread workgroup per query row
 * walks all n1·n2 key pairs with an online (max-subtracted) softmax.
 *
 * @param ctx a GpuContext
 * @param Q `[nq, d]`, K1 `[n1, d]`, K2 `[n2, d]`, V1 `[n1, dv]`, V2 `[n2, dv]` (float32 GpuTensors)
 * @param options `scale` (default 1/d)
 * @returns new `output` `[nq, dv]` and `logNormalizer` `[nq]` tensors
 * @throws {ShapeError} `SHAPE_MISMATCH` if the shapes do not fit, d = 0, n1 or n2 = 0
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a non-float32 tensor or a bad scale
 * @throws {UnsupportedError} `UNSUPPORTED` if dv > 64 or n1·n2 ≥ 2^32, or the device is lost
 * @example
 * import { Matrix } from '@lr/core';
 * const ctx = await getGpu();
 * const X = ctx.upload(Matrix.from([[1, 0], [0, 1]]));
 * const { output } = await tensorAttentionTensors(ctx, X, X, X, X, X);
 * await ctx.download(output); // ≈ [0.3547, 0.2151, 0.2151, 0.3547]
 */
export async function tensorAttentionTensors(
  ctx: GpuContext,
  Q: GpuTensor,
  K1: GpuTensor,
  K2: GpuTensor,
  V1: GpuTensor,
  V2: GpuTensor,
  options?: TensorAttentionOptions,
): Promise<TensorAttentionGpuTensors> {
  const opts = optionsObject('options', options);
  const { q, k1, k2, v1, v2, nq, n1, n2, d, dv } = tensorAttentionOperands(Q, K1, K2, V1, V2);
  if (dv > TENSOR_ATTENTION_MAX_DV)
    throw new UnsupportedError(
      `tensorAttention: dv = ${dv} exceeds the kernel's ${TENSOR_ATTENTION_MAX_DV} value columns`,
    );
  if (n1 * n2 >= 2 ** 32)
    throw new UnsupportedError(`tensorAttention: n1·n2 = ${n1 * n2} pairs exceed u32 indexing`);
  const scale = opts.scale === undefined ? 1 / d : assertNumber('options.scale', opts.scale);
  const params = new Uint32Array(8);
  params.set([nq, n1, n2, d, dv]);
  new Float32Array(params.buffer, 20, 1)[0] = scale;
  const output = ctx.empty([nq, dv], 'float32', 'lr:tensor-attention-out');
  const logNormalizer = ctx.empty([nq], 'float32', 'lr:tensor-attention-logD');
  try {
    await ctx.dispatch({
      code: TENSOR_ATTENTION_WGSL,
      bindings: [params, q, k1, k2, v1, v2, output, logNormalizer],
      workgroups: nq,
      label: 'lr:tensorAttention',
    });
  } catch (e) {
    output.destroy();
    logNormalizer.destroy();
    throw e;
  }
  return { output, logNormalizer };
}

/**
 * Exact tensor (triple-wise) attention on the GPU (WGSL): the same quantity as
 * {@link tensorAttentionCpu}, out_i = D_i⁻¹ Σ_{j,l} exp(scale·⟨Q_i, K1_j ∘ K2_l⟩)·(V1_j ∘ V2_l),
 * computed in float32 with max-subtraction. Uploads the operands (float64 is rounded to
 * float32), runs {@link tensorAttentionTensors}, downloads and frees the buffers.
 *
 * @param ctx a GpuContext (`await getGpu()`)
 * @param Q queries `[nq, d]`
 * @param K1 first keys `[n1, d]`
 * @param K2 second keys `[n2, d]`
 * @param V1 first values `[n1, dv]` (dv ≤ 64)
 * @param V2 second values `[n2, dv]`
 * @param options `scale` (default 1/d, the paper's)
 * @returns `output` (float32 `nq × dv` Matrix), `logNormalizer`, `seconds`
 * @throws {ShapeError} `SHAPE_MISMATCH` if the shapes do not fit
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity in an operand
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a non-Matrix operand or bad scale
 * @throws {UnsupportedError} `UNSUPPORTED` if dv > 64, or without a usable device
 * @example
 * import { Matrix } from '@lr/core';
 * const ctx = await getGpu();
 * const X = Matrix.from([[1, 0], [0, 1]]);
 * (await tensorAttention(ctx, X, X, X, X, X)).output.get(0, 0); // ≈ 0.3547
 */
export async function tensorAttention(
  ctx: GpuContext,
  Q: Matrix,
  K1: Matrix,
  K2: Matrix,
  V1: Matrix,
  V2: Matrix,
  options?: TensorAttentionOptions,
): Promise<TensorAttentionGpuResult> {
  const t0 = now();
  const opts = optionsObject('options', options);
  // Validate shapes, finiteness and options before touching the device.
  const a = tensorAttentionArgs(Q, K1, K2, V1, V2, opts.scale);
  if (a.dv > TENSOR_ATTENTION_MAX_DV)
    throw new UnsupportedError(
      `tensorAttention: dv = ${a.dv} exceeds the kernel's ${TENSOR_ATTENTION_MAX_DV} value columns`,
    );
  const ts = [
    ctx.upload(a.q, { shape: [a.nq, a.d] }),
    ctx.upload(a.k1, { shape: [a.n1, a.d] }),
    ctx.upload(a.k2, { shape: [a.n2, a.d] }),
    ctx.upload(a.v1, { shape: [a.n1, a.dv] }),
    ctx.upload(a.v2, { shape: [a.n2, a.dv] }),
  ] as const;
  let res: TensorAttentionGpuTensors | undefined;
  try {
    res = await tensorAttentionTensors(ctx, ...ts, { scale: a.scale });
    const out = (await ctx.download(res.output)) as Float32Array;
    const logD = (await ctx.download(res.logNormalizer)) as Float32Array;
    return {
      output: new Matrix(out, a.nq, a.dv),
      logNormalizer: logD,
      seconds: (now() - t0) / 1000,
    };
  } finally {
    for (const t of ts) t.destroy();
    res?.output.destroy();
    res?.logNormalizer.destroy();
  }
}
