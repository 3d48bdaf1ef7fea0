import {
  assertInt,
  describe,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  ShapeError,
  UnsupportedError,
} from '@lr/core';
import { now } from '../runtime/_time.js';
import type { GpuContext } from '../runtime/context.js';
import { GpuTensor } from '../runtime/gpuTensor.js';
import { planBitSerial, planLayout } from './_plan.js';
import { BIT_SERIAL_WGSL } from './_shader.js';
import type { BitSerialMatmulOptions } from './bitSerialMatmulCpu.js';
import { assertBipolarMatrix, type BipolarMatrix } from './quantizeBipolar.js';

/**
 * A {@link BipolarMatrix} whose planes and scales live on the GPU: the operand type of
 * {@link bitSerialMatmulTensors}. Make one with {@link uploadBipolar}.
 */
export interface BipolarGpuMatrix {
  /** Packed planes, uint32 `[bits, rows, wordsPerRow]` (layout of {@link BipolarMatrix}). */
  planes: GpuTensor;
  /** Scales, float32 `[rows, groups]`. */
  scales: GpuTensor;
  bits: number;
  rows: number;
  cols: number;
  /** Elements per scale (`cols` for one scale per row). */
  groupSize: number;
}

/** Result of {@link bitSerialMatmulTensors}: tensors owned by the caller (`destroy()` them). */
export interface BitSerialGpuTensors {
  /** C, float32 `[M, N]`. */
  c: GpuTensor;
  /**
   * With `returnAccumulators`: uint32 `[M, N, segments]` holding the i32 bit patterns of
   * the exact integer dots (read as `new Int32Array(u32.buffer)`).
   */
  accumulators?: GpuTensor;
  segments: number;
  segmentSize: number;
}

/** Result of {@link bitSerialMatmul}. */
export interface BitSerialMatmulGpuResult {
  /** C = Â·B̂ᵀ, float32 `M × N`. */
  c: Matrix;
  /** With `returnAccumulators`: exact integer dots per segment, `[M, N, segments]`. */
  accumulators?: Int32Array;
  segments: number;
  segmentSize: number;
  planePairs: number;
  /** Seconds from upload to download (includes both transfers). */
  seconds: number;
}

/**
 * Uploads a bipolar matrix's planes (uint32) and scales (float32) to the GPU.
 *
 * @param ctx a GpuContext (`await getGpu()`)
 * @param q a {@link BipolarMatrix} (e.g. from {@link quantizeBipolar})
 * @returns a {@link BipolarGpuMatrix}; `destroy()` its `planes` and `scales` when done
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if `q` is not a consistent BipolarMatrix
 * @throws {UnsupportedError} `UNSUPPORTED` if the context is lost or a buffer exceeds the limits
 * @example
 * import { Matrix } from '@lr/core';
 * const ctx = await getGpu();
 * const g = uploadBipolar(ctx, quantizeBipolar(Matrix.from([[1, -1]]), { bits: 1 }));
 * g.planes.shape; // [1, 1, 1]
 */
export function uploadBipolar(ctx: GpuContext, q: BipolarMatrix): BipolarGpuMatrix {
  assertBipolarMatrix('q', q);
  const planes = ctx.upload(q.planes, {
    shape: [q.bits, q.rows, q.wordsPerRow],
    dtype: 'uint32',
    label: 'lr:bipolar-planes',
  });
  const scales = ctx.upload(q.scales, {
    shape: [q.rows, q.groups],
    dtype: 'float32',
    label: 'lr:bipolar-scales',
  });
  return { planes, scales, bits: q.bits, rows: q.rows, cols: q.cols, groupSize: q.groupSize };
}

function assertGpuOperand(name: string, g: unknown): BipolarGpuMatrix {
  if (g === null || typeof g !== 'object')
    throw new InvalidArgumentError(`${name}: expected a BipolarGpuMatrix, got ${describe(g)}`);
  const q = g as BipolarGpuMatrix;
  const bits = assertInt(`${name}.bits`, q.bits, 1, 8);
  const rows = assertInt(`${name}.rows`, q.rows);
  const cols = assertInt(`${name}.cols`, q.cols);
  const gs = assertInt(`${name}.groupSize`, q.groupSize, cols === 0 ? 0 : 1);
  if (gs > cols || (gs < cols && gs % 32 !== 0))
    throw new InvalidArgumentError(
      `${name}.groupSize: expected cols (${cols}) or a multiple of 32 below it, got ${gs}`,
    );
  const words = Math.ceil(cols / 32);
  const groups = cols === 0 ? 0 : Math.ceil(cols / gs);
  if (!(q.planes instanceof GpuTensor) || q.planes.dtype !== 'uint32')
    throw new InvalidArgumentError(`${name}.planes: expected a uint32 GpuTensor`);
  if (!(q.scales instanceof GpuTensor) || q.scales.dtype !== 'float32')
    throw new InvalidArgumentError(`${name}.scales: expected a float32 GpuTensor`);
  if (q.planes.size !== bits * rows * words)
    throw new ShapeError(
      `${name}.planes: expected [${bits}, ${rows}, ${words}], got shape [${q.planes.shape.join(', ')}]`,
    );
  if (q.scales.size !== rows * groups)
    throw new ShapeError(
      `${name}.scales: expected [${rows}, ${groups}], got shape [${q.scales.shape.join(', ')}]`,
    );
  return q;
}

/**
 * GPU-level bit-serial product C = A·Bᵀ on tensors already on the device (no transfers):
 * the WGSL kernel of {@link bitSerialMatmul}. Output tensors are new and owned by the
 * caller. Exact integer accumulation needs |Σ_segment q_A·q_B| < 2^31, guaranteed when
 * segmentSize·(2^b_A − 1)(2^b_B − 1) < 2^31 (e.g. K ≤ 33 025 at 8×8 bits per segment).
 *
 * @param ctx a GpuContext
 * @param a A on the GPU, `M × K` ({@link uploadBipolar})
 * @param b B on the GPU, `N × K`
 * @param options `returnAccumulators` (default false)
 * @returns `c` (float32 `[M, N]`), optional `accumulators`, segment layout
 * @throws {ShapeError} `SHAPE_MISMATCH` if a.cols ≠ b.cols or a tensor's size is wrong
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for malformed operands or group sizes
 * that do not nest
 * @throws {UnsupportedError} `UNSUPPORTED` if the integer range above would be exceeded, or
 * the device is lost
 * @example
 * import { Matrix } from '@lr/core';
 * const ctx = await getGpu();
 * const a = uploadBipolar(ctx, quantizeBipolar(Matrix.from([[1, -3]]), { bits: 2 }));
 * const b = uploadBipolar(ctx, quantizeBipolar(Matrix.from([[1, 1]]), { bits: 1 }));
 * const { c } = await bitSerialMatmulTensors(ctx, a, b);
 * await ctx.download(c); // Float32Array [-2]
 */
export async function bitSerialMatmulTensors(
  ctx: GpuContext,
  a: BipolarGpuMatrix,
  b: BipolarGpuMatrix,
  options?: BitSerialMatmulOptions,
): Promise<BitSerialGpuTensors> {
  const opts = optionsObject('options', options);
  assertGpuOperand('a', a);
  assertGpuOperand('b', b);
  if (a.cols !== b.cols)
    throw new ShapeError(
      `b: expected ${a.cols} columns to match a (C = A·Bᵀ), got [${b.rows}, ${b.cols}]`,
    );
  const plan = planLayout(a, b);
  const full = (2 ** a.bits - 1) * (2 ** b.bits - 1);
  if (plan.segSize * full >= 2 ** 31)
    throw new UnsupportedError(
      `bitSerialMatmul: segment of ${plan.segSize} columns at ${a.bits}×${b.bits} bits can exceed the i32 accumulator (needs segmentSize·(2^bA−1)(2^bB−1) < 2^31); use a smaller groupSize`,
    );
  const { M, N } = plan;
  const keep = opts.returnAccumulators === true;
  const c = ctx.empty([M, N], 'float32', 'lr:bitserial-C');
  const acc = keep
    ? ctx.empty([M, N, plan.nSeg], 'uint32', 'lr:bitserial-acc')
    : ctx.empty([1], 'uint32', 'lr:bitserial-acc-unused');
  const params = new Uint32Array([
    M,
    N,
    plan.K,
    plan.words,
    a.bits,
    b.bits,
    plan.segSize,
    plan.nSeg,
    plan.segWords,
    a.cols === 0 ? 0 : Math.ceil(a.cols / a.groupSize),
    Math.max(a.groupSize, 1),
    b.cols === 0 ? 0 : Math.ceil(b.cols / b.groupSize),
    Math.max(b.groupSize, 1),
    keep ? 1 : 0,
    0,
    0,
  ]);
  try {
    await ctx.dispatch({
      code: BIT_SERIAL_WGSL,
      bindings: [params, a.planes, b.planes, a.scales, b.scales, c, acc],
      workgroups: [Math.ceil(N / 64), Math.ceil(M / 64), 1],
      label: 'lr:bitSerialMatmul',
    });
  } catch (e) {
    c.destroy();
    acc.destroy();
    throw e;
  }
  const out: BitSerialGpuTensors = { c, segments: plan.nSeg, segmentSize: plan.segSize };
  if (keep) out.accumulators = acc;
  else acc.destroy();
  return out;
}

/**
 * Bit-serial bipolar-INT product C = A·Bᵀ on the GPU (WGSL, XOR + `countOneBits`): uploads
 * both operands, runs {@link bitSerialMatmulTensors}, downloads C and frees the buffers.
 * Same arithmetic as {@link bitSerialMatmulCpu}: the integer part is exact, the result is
 * Σ_segments s_A·s_B·acc rounded to float32.
 *
 * @param ctx a GpuContext (`await getGpu()`)
 * @param qa A, `M × K` bipolar ({@link quantizeBipolar})
 * @param qb B, `N × K` bipolar
 * @param options `returnAccumulators` (default false)
 * @returns `c` (float32 `M × N` Matrix), optional `accumulators` (Int32Array), timing
 * @throws {ShapeError} `SHAPE_MISMATCH` if qa.cols ≠ qb.cols
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for malformed operands
 * @throws {UnsupportedError} `UNSUPPORTED` without a usable device, or past the i32 range
 * @example
 * import { Matrix } from '@lr/core';
 * const ctx = await getGpu();
 * const qa = quantizeBipolar(Matrix.from([[1, -3], [3, 3]]), { bits: 2 });
 * const qb = quantizeBipolar(Matrix.from([[1, 1]]), { bits: 1 });
 * (await bitSerialMatmul(ctx, qa, qb)).c.toArray(); // [[-2], [6]]
 */
export async function bitSerialMatmul(
  ctx: GpuContext,
  qa: BipolarMatrix,
  qb: BipolarMatrix,
  options?: BitSerialMatmulOptions,
): Promise<BitSerialMatmulGpuResult> {
  const t0 = now();
  const opts = optionsObject('options', options);
  planBitSerial(qa, qb); // validate everything before touching the device
  const a = uploadBipolar(ctx, qa);
  const b = uploadBipolar(ctx, qb);
  let res: BitSerialGpuTensors | undefined;
  try {
    res = await bitSerialMatmulTensors(ctx, a, b, opts);
    const cData = (await ctx.download(res.c)) as Float32Array;
    const out: BitSerialMatmulGpuResult = {
      c: new Matrix(cData, qa.rows, qb.rows),
      segments: res.segments,
      segmentSize: res.segmentSize,
      planePairs: qa.bits * qb.bits,
      seconds: 0,
    };
    if (res.accumulators) {
      const u = (await ctx.download(res.accumulators)) as Uint32Array;
      out.accumulators = new Int32Array(u.buffer, u.byteOffset, u.length);
    }
    out.seconds = (now() - t0) / 1000;
    return out;
  } finally {
    a.planes.destroy();
    a.scales.destroy();
    b.planes.destroy();
    b.scales.destroy();
    res?.c.destroy();
    res?.accumulators?.destroy();
  }
}
