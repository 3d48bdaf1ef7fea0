import { Matrix, randn } from '@lr/core';
import { afterAll, describe, expect, it } from 'vitest';
import { absMatrix, EPS_F32, type GpuContext, gemm, gemmGpu, gemmReference } from '../src/index.js';
import { expectWithin } from './_check.js';
import { closeGpu, openGpu } from './_gpu.js';

afterAll(closeGpu);

// Tolerance: any summation order of K products in f32 satisfies
// |ĉ − c| ≤ γ_K·(|A|·|B|) with γ_K = K·u/(1 − K·u), u = ε/2 (Higham, Accuracy and Stability
// of Numerical Algorithms, §3.5). We assert the slightly larger K·ε·(|A|·|B|) plus one
// rounding of the α-scaled store: γ = (K + 2)·ε. The reference is float64 on the same
// float32-rounded inputs, so it is exact to far below this.
const gammaFor = (K: number) => (K + 2) * EPS_F32;

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [7, 1, 33],
  [1, 65, 7],
  [33, 7, 65],
  [65, 130, 33],
  [130, 33, 129],
  [64, 64, 64],
];

describe('tiled GEMM (f32)', () => {
  let ctx: GpuContext;
  it('opens the GPU', async () => {
    ctx = await openGpu();
  });

  for (const [M, N, K] of SIZES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`M=${M} N=${N} K=${K} transA=${transA} transB=${transB}`, async () => {
          const A = randn(transA ? K : M, transA ? M : K, { seed: M * 7 + K, dtype: 'float32' });
          const B = randn(transB ? N : K, transB ? K : N, { seed: N * 13 + K, dtype: 'float32' });
          const C = await gemm(ctx, A, B, { transA, transB });
          const ref = gemmReference(A, B, { transA, transB });
          const bound = gemmReference(absMatrix(A), absMatrix(B), { transA, transB });
          expect(C.dtype).toBe('float32');
          expectWithin('gemm', C, ref, bound, gammaFor(K));
        });
      }
    }
  }

  it('scales by alpha, handles K = 0 and strided views, and chains on the GPU', async () => {
    const A = randn(9, 5, { seed: 1, dtype: 'float32' });
    const B = randn(5, 11, { seed: 2, dtype: 'float32' });
    const C = await gemm(ctx, A, B, { alpha: -0.5 });
    const bound = gemmReference(absMatrix(A), absMatrix(B), { alpha: 0.5 });
    expectWithin('gemm alpha', C, gemmReference(A, B, { alpha: -0.5 }), bound, gammaFor(5));
    const Z = await gemm(
      ctx,
      new Matrix(new Float32Array(0), 3, 0),
      new Matrix(new Float32Array(0), 0, 4),
    );
    expect(Array.from(Z.data)).toEqual(new Array(12).fill(0));
    // a column slice of a float64 matrix (non-contiguous view)
    const big = randn(12, 12, { seed: 3 });
    const view = big.block(1, 2, 7, 5);
    const D = await gemm(ctx, view, B);
    const v32 = Matrix.fromData(Float32Array.from(view.contiguous().data), 7, 5);
    expectWithin(
      'gemm view',
      D,
      gemmReference(v32, B),
      gemmReference(absMatrix(v32), absMatrix(B)),
      gammaFor(5),
    );
    // (A·B)·Bᵀ without leaving the GPU
    const a = ctx.upload(A);
    const b = ctx.upload(B);
    const ab = await gemmGpu(ctx, a, b);
    const abbt = await gemmGpu(ctx, ab, b, { transB: true });
    expect(abbt.shape).toEqual([9, 5]);
    const got = await ctx.downloadMatrix(abbt);
    const ab32 = await ctx.downloadMatrix(ab);
    const ref = gemmReference(ab32, B, { transB: true });
    expectWithin(
      'gemm chain',
      got,
      ref,
      gemmReference(absMatrix(ab32), absMatrix(B), { transB: true }),
      gammaFor(11),
    );
    for (const t of [a, b, ab, abbt]) t.destroy();
  });

  it('rejects mismatched shapes with SHAPE_MISMATCH', async () => {
    await expect(gemm(ctx, randn(3, 4), randn(5, 2))).rejects.toMatchObject({
      code: 'SHAPE_MISMATCH',
    });
  });
});

describe('tiled GEMM (f16 storage)', () => {
  it('runs when the adapter has shader-f16, otherwise refuses with UNSUPPORTED (logged)', async () => {
    const ctx = await openGpu();
    const A = randn(33, 17, { seed: 5, dtype: 'float32' });
    const B = randn(17, 9, { seed: 6, dtype: 'float32' });
    if (!ctx.hasF16) {
      console.warn(
        `[gpu-kernels] f16 GEMM not available: adapter '${ctx.info.description}' lacks 'shader-f16' (SwiftShader has none); checked that it refuses instead`,
      );
      await expect(gemm(ctx, A, B, { dtype: 'float16' })).rejects.toMatchObject({
        code: 'UNSUPPORTED',
      });
      return;
    }
    // Inputs are rounded to f16 on upload (the reference uses the same rounded values);
    // products of two halves are exact in f32 and accumulate in f32: γ = (K + 2)·ε_f32.
    const { roundToHalf } = await import('../src/index.js');
    const Ah = Matrix.fromData(roundToHalf(A.data), 33, 17);
    const Bh = Matrix.fromData(roundToHalf(B.data), 17, 9);
    const C = await gemm(ctx, A, B, { dtype: 'float16' });
    expectWithin(
      'gemm f16',
      C,
      gemmReference(Ah, Bh),
      gemmReference(absMatrix(Ah), absMatrix(Bh)),
      gammaFor(17),
    );
  });
});
