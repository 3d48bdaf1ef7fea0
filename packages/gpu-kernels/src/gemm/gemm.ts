import {
  asMatrix,
  assertNumber,
  InvalidArgumentError,
  type Matrix,
  optionsObject,
  ShapeError,
} from '@lr/core';
import type { GpuContext } from '../runtime/context.js';
import { GpuTensor } from '../runtime/gpuTensor.js';
import { TILE, TILE_K, tiledMatmulWgsl, tiledWorkgroups } from './_tiled.js';

/** Options of {@link gemm} / {@link gemmGpu}. */
export interface GpuGemmOptions {
  /** Use Aᵀ (A is stored K×M); default false. Costs nothing: only the load index changes. */
  transA?: boolean;
  /** Use Bᵀ (B is stored N×K); default false. */
  transB?: boolean;
  /** Scale of the product; default 1. */
  alpha?: number;
  /**
   * Element type of A and B on the GPU (`float16` needs `shader-f16`; the product still
   * accumulates and stores in f32); default `'float32'`. Only used by {@link gemm}, which
   * uploads; {@link gemmGpu} takes the dtype of its inputs.
   */
  dtype?: 'float32' | 'float16';
  /** Output tensor to write into (M×N float32); default a new one. */
  out?: GpuTensor;
}

const PARAMS = /* wgsl */ `
struct Params { M: u32, N: u32, K1: u32, K2: u32, transA: u32, transB: u32, alpha: f32, p0: u32 }
@group(0) @binding(5) var<uniform> P: Params;
fn dims() -> vec3<u32> { return vec3<u32>(P.M, P.N, P.K1 + P.K2); }
fn store(i: u32, j: u32, v: f32) { C[i * P.N + j] = P.alpha * v; }
fn loadA(i: u32, k: u32) -> f32 {
  if (k < P.K1) {
    if (P.transA != 0u) { return f32(A1[k * P.M + i]); }
    return f32(A1[i * P.K1 + k]);
  }
  let kk = k - P.K1;
  if (P.transA != 0u) { return f32(A2[kk * P.M + i]); }
  return f32(A2[i * P.K2 + kk]);
}
fn loadB(k: u32, j: u32) -> f32 {
  if (k < P.K1) {
    if (P.transB != 0u) { return f32(B1[j * P.K1 + k]); }
    return f32(B1[k * P.N + j]);
  }
  let kk = k - P.K1;
  if (P.transB != 0u) { return f32(B2[j * P.K2 + kk]); }
  return f32(B2[kk * P.N + j]);
}`;

/**
 * The product kernel over a depth split in two segments: C = α·[op(A1) | op(A2)]·
 * [op(B1); op(B2)], i.e. α·(op(A1)·op(B1) + op(A2)·op(B2)) in one accumulator. Plain
 * GEMM is the case K2 = 0; the fused LoRA pass is [x | s·x·Aᵀ]·[W | B]ᵀ. One pipeline
 * serves both (compiling a tiled kernel costs seconds on SwiftShader).
 */
function gemmWgsl(elem: 'f32' | 'f16'): string {
  return tiledMatmulWgsl({
    header: elem === 'f16' ? 'enable f16;' : '',
    body: `
@group(0) @binding(0) var<storage, read> A1: array<${elem}>;
@group(0) @binding(1) var<storage, read> A2: array<${elem}>;
@group(0) @binding(2) var<storage, read> B1: array<${elem}>;
@group(0) @binding(3) var<storage, read> B2: array<${elem}>;
@group(0) @binding(4) var<storage, read_write> C: array<f32>;
${PARAMS}`,
  });
}

/** WGSL of the f32 tiled GEMM (for inspection and the benchmarks). */
export const GEMM_F32_WGSL = gemmWgsl('f32');
/** WGSL of the f16-storage GEMM (f32 accumulation); compiles only with `shader-f16`. */
export const GEMM_F16_WGSL = gemmWgsl('f16');

/** @internal One dispatch of the two-segment product (validated input). */
export async function _gemm2(
  ctx: GpuContext,
  a: { A1: GpuTensor; A2: GpuTensor; B1: GpuTensor; B2: GpuTensor; C: GpuTensor },
  d: {
    M: number;
    N: number;
    K1: number;
    K2: number;
    transA: boolean;
    transB: boolean;
    alpha: number;
  },
): Promise<void> {
  const params = new ArrayBuffer(32);
  new Uint32Array(params).set([d.M, d.N, d.K1, d.K2, d.transA ? 1 : 0, d.transB ? 1 : 0]);
  new Float32Array(params, 24, 1)[0] = d.alpha;
  await ctx.dispatch({
    code: a.A1.dtype === 'float16' ? GEMM_F16_WGSL : GEMM_F32_WGSL,
    bindings: [a.A1, a.A2, a.B1, a.B2, a.C, new Uint8Array(params)],
    workgroups: tiledWorkgroups(d.M, d.N),
    label: 'lr:gemm',
  });
}

/**
 * C = α·op(A)·op(B) on the GPU with inputs and output as {@link GpuTensor}s, so chained
 * products never leave the device. Tiled: 64×64 output tiles, 16-deep k slabs in
 * workgroup memory, a 4×4 register block per thread; any M, N, K.
 *
 * @param A 2-D, M×K (K×M with `transA`), float32 or float16 (then B must match)
 * @param B 2-D, K×N (N×K with `transB`)
 * @returns the M×N float32 product (`options.out` when given)
 * @throws {ShapeError} inner dimensions or `out` disagree
 * @throws {UnsupportedError} float16 without `shader-f16`, or a grid over the limits
 * @example
 * const a = ctx.upload(randn(33, 7, { seed: 1 }));
 * const b = ctx.upload(randn(7, 65, { seed: 2 }));
 * const c = await gemmGpu(ctx, a, b); // 33×65, still on the GPU
 * const C = await ctx.downloadMatrix(c);
 */
export async function gemmGpu(
  ctx: GpuContext,
  A: GpuTensor,
  B: GpuTensor,
  options: GpuGemmOptions = {},
): Promise<GpuTensor> {
  options = optionsObject('options', options);
  if (!(A instanceof GpuTensor) || !(B instanceof GpuTensor))
    throw new InvalidArgumentError('gemm: expected GpuTensors A and B');
  const alpha = options.alpha === undefined ? 1 : assertNumber('options.alpha', options.alpha);
  if (A.shape.length !== 2 || B.shape.length !== 2) {
    throw new ShapeError(`gemm: expected 2-D A and B, got [${A.shape}] and [${B.shape}]`);
  }
  if (A.dtype !== B.dtype || (A.dtype !== 'float32' && A.dtype !== 'float16')) {
    throw new ShapeError(
      `gemm: A and B must both be float32 or float16, got ${A.dtype}, ${B.dtype}`,
    );
  }
  ctx.assertDType(A.dtype);
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const M = transA ? A.shape[1]! : A.shape[0]!;
  const K = transA ? A.shape[0]! : A.shape[1]!;
  const Kb = transB ? B.shape[1]! : B.shape[0]!;
  const N = transB ? B.shape[0]! : B.shape[1]!;
  if (K !== Kb) {
    throw new ShapeError(`gemm: op(A) is ${M}×${K} but op(B) is ${Kb}×${N}`);
  }
  const out = options.out ?? ctx.empty([M, N], 'float32', 'lr:gemm');
  if (
    out.shape.length !== 2 ||
    out.shape[0] !== M ||
    out.shape[1] !== N ||
    out.dtype !== 'float32'
  ) {
    throw new ShapeError(
      `gemm: out must be a ${M}×${N} float32 tensor, got [${out.shape}] ${out.dtype}`,
    );
  }
  await _gemm2(
    ctx,
    { A1: A, A2: A, B1: B, B2: B, C: out },
    { M, N, K1: K, K2: 0, transA, transB, alpha },
  );
  return out;
}

/**
 * C = α·op(A)·op(B) on the GPU for `@lr/core` matrices (any strides and dtype; uploaded
 * as float32, or float16 with `dtype: 'float16'`). Returns a float32 Matrix.
 *
 * @throws {ShapeError} inner dimensions disagree
 * @throws {UnsupportedError} float16 without `shader-f16`
 * @example
 * const ctx = await getGpu();
 * const C = await gemm(ctx, randn(64, 32, { seed: 1 }), randn(16, 32, { seed: 2 }), { transB: true });
 */
export async function gemm(
  ctx: GpuContext,
  A: Matrix,
  B: Matrix,
  options: GpuGemmOptions = {},
): Promise<Matrix> {
  options = optionsObject('options', options);
  const a0 = asMatrix('A', A);
  const b0 = asMatrix('B', B);
  const ka = options.transA ? a0.rows : a0.cols;
  const kb = options.transB ? b0.cols : b0.rows;
  if (ka !== kb) {
    throw new ShapeError(`gemm: inner dimensions differ (${ka} and ${kb})`);
  }
  const dtype = options.dtype ?? 'float32';
  ctx.assertDType(dtype);
  const a = ctx.upload(a0, { dtype });
  const b = ctx.upload(b0, { dtype });
  try {
    const c = await gemmGpu(ctx, a, b, options);
    try {
      return await ctx.downloadMatrix(c);
    } finally {
      if (c !== options.out) c.destroy();
    }
  } finally {
    a.destroy();
    b.destroy();
  }
}

/** Tile sizes of the GEMM kernel (rows/cols per workgroup, k per slab). */
export const GEMM_TILE = { rows: TILE, cols: TILE, k: TILE_K } as const;
