import { asMatrix, assertNumber, type Matrix, optionsObject, ShapeError } from '@lr/core';
import { _gemm2, gemmGpu } from '../gemm/gemm.js';
import { checkLoraShapes } from '../reference/lora.js';
import { assertF32Tensor } from '../runtime/_check.js';
import type { GpuContext } from '../runtime/context.js';
import type { GpuTensor } from '../runtime/gpuTensor.js';

/** Options of {@link lora} / {@link loraGpu}. */
export interface LoraOptions {
  /** The LoRA scale s (α/r in Hu et al. 2021); default 1. */
  scale?: number;
  /** Output tensor (n×out float32); default a new one. */
  out?: GpuTensor;
}

/**
 * Fused LoRA forward `y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ` on GPU tensors (Hu et al. 2021). Two
 * dispatches of the tiled GEMM kernel: T = s·x·Aᵀ (n×r), then one product over the
 * concatenated depth in + r, [x | T]·[W | B]ᵀ, read straight from the four buffers (no
 * concatenation copy), so the frozen and low-rank paths share one accumulator, the
 * n×out output is written once and x·Wᵀ is never materialised separately.
 *
 * @param x n×in; @param W out×in; @param A r×in; @param B out×r (all float32)
 * @returns n×out float32
 * @throws {ShapeError} shapes that do not chain
 * @example
 * const y = await loraGpu(ctx, ctx.upload(x), ctx.upload(W), ctx.upload(A), ctx.upload(B), { scale: 2 });
 */
export async function loraGpu(
  ctx: GpuContext,
  x: GpuTensor,
  W: GpuTensor,
  A: GpuTensor,
  B: GpuTensor,
  options: LoraOptions = {},
): Promise<GpuTensor> {
  options = optionsObject('options', options);
  const scale = options.scale === undefined ? 1 : assertNumber('options.scale', options.scale);
  assertF32Tensor('lora', 'x', x, 2);
  assertF32Tensor('lora', 'W', W, 2);
  assertF32Tensor('lora', 'A', A, 2);
  assertF32Tensor('lora', 'B', B, 2);
  checkLoraShapes(x, W, A, B);
  const n = x.rows;
  const din = x.cols;
  const dout = W.rows;
  const r = A.rows;
  const out = options.out ?? ctx.empty([n, dout], 'float32', 'lr:lora');
  if (out.shape[0] !== n || out.shape[1] !== dout || out.dtype !== 'float32') {
    throw new ShapeError(`lora: out must be ${n}×${dout} float32, got [${out.shape}]`);
  }
  const T = await gemmGpu(ctx, x, A, { transB: true, alpha: scale });
  try {
    await _gemm2(
      ctx,
      { A1: x, A2: T, B1: W, B2: B, C: out },
      { M: n, N: dout, K1: din, K2: r, transA: false, transB: true, alpha: 1 },
    );
  } finally {
    T.destroy();
  }
  return out;
}

/**
 * Fused LoRA forward for `@lr/core` matrices: uploads, runs {@link loraGpu}, downloads.
 *
 * @returns n×out float32 Matrix
 * @example
 * const y = await lora(ctx, x, W, A, B, { scale: 0.5 });
 */
export async function lora(
  ctx: GpuContext,
  x: Matrix,
  W: Matrix,
  A: Matrix,
  B: Matrix,
  options: LoraOptions = {},
): Promise<Matrix> {
  const mats = [asMatrix('x', x), asMatrix('W', W), asMatrix('A', A), asMatrix('B', B)] as const;
  checkLoraShapes(...mats);
  const ts = mats.map((m) => ctx.upload(m));
  try {
    const y = await loraGpu(ctx, ts[0]!, ts[1]!, ts[2]!, ts[3]!, options);
    try {
      return await ctx.downloadMatrix(y);
    } finally {
      if (y !== options.out) y.destroy();
    }
  } finally {
    for (const t of ts) t.destroy();
  }
}
