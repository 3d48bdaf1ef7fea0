import { type Matrix, randn, Tensor, tensorRandn } from '@lr/core';
import { monarchMultiply, randomMonarch } from '@lr/peft';
import { afterAll, describe, expect, it } from 'vitest';
import {
  absMatrix,
  EPS_F32,
  type GpuContext,
  monarch,
  monarchDense,
  monarchGpu,
  monarchReference,
} from '../src/index.js';
import { expectWithin } from './_check.js';
import { closeGpu, openGpu } from './_gpu.js';

afterAll(closeGpu);

// Tolerance: z = x·R-blocks sums p products (≤ (p + 1)·ε·|w1|·|x|), y sums r products of
// w2 with z (≤ (r + 1)·ε·|w2|·|z| plus |w2|·|Δz|): |Δy| ≤ (p + r + 3)·ε·monarch(|x|, |w1|, |w2|).
const gammaFor = (p: number, r: number) => (p + r + 3) * EPS_F32;

const abs3 = (t: Tensor) => new Tensor(Float64Array.from(t.data, Math.abs), t.shape);
const f32 = (t: Tensor) => new Tensor(Float32Array.from(t.data), t.shape);

const CASES: [number, number, number, number, number, number, number][] = [
  // batch, k, q, p, l, s, r   (n = k·p, l·r = k·q)
  [1, 1, 1, 1, 1, 1, 1],
  [7, 4, 4, 4, 4, 4, 4],
  [33, 3, 5, 7, 5, 2, 3],
  [65, 8, 8, 8, 8, 8, 8],
  [5, 2, 6, 13, 4, 9, 3],
];

describe('Monarch multiply', () => {
  let ctx: GpuContext;
  it('opens the GPU', async () => {
    ctx = await openGpu();
  });
  for (const [batch, k, q, p, l, s, r] of CASES) {
    it(`batch=${batch} w1=[${k},${q},${p}] w2=[${l},${s},${r}]`, async () => {
      const x = randn(batch, k * p, { seed: batch, dtype: 'float32' });
      const w1 = f32(tensorRandn([k, q, p], { seed: 11 + k }));
      const w2 = f32(tensorRandn([l, s, r], { seed: 12 + l }));
      const y = await monarch(ctx, x, w1, w2);
      expect(y.shape).toEqual([batch, s * l]);
      const ref = monarchReference(x, w1, w2);
      const bound = monarchReference(absMatrix(x), abs3(w1), abs3(w2));
      expectWithin('monarch', y, ref, bound, gammaFor(p, r));
    });
  }

  it('the reference is x·Mᵀ for the dense M', () => {
    const w1 = tensorRandn([3, 2, 4], { seed: 1 });
    const w2 = tensorRandn([2, 5, 3], { seed: 2 });
    const x = randn(4, 12, { seed: 3 });
    const M = monarchDense(w1, w2);
    const y = monarchReference(x, w1, w2);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 10; j++) {
        let t = 0;
        for (let c = 0; c < 12; c++) t += x.get(i, c) * M.get(j, c);
        expect(y.get(i, j)).toBeCloseTo(t, 12);
      }
  });

  // @lr/peft's CPU Monarch (M = Pᵀ·L·P·R, b blocks of s×s) is the square case of this
  // layout when b = s (n = b²): w1 = R, w2 = L.
  for (const n of [16, 49]) {
    it(`agrees with @lr/peft monarchMultiply (n = ${n}, nblocks = √n)`, async () => {
      const b = Math.round(Math.sqrt(n));
      const m = randomMonarch(n, { nblocks: b, seed: 7 });
      const w1 = f32(m.R);
      const w2 = f32(m.L);
      const X = randn(n, 5, { seed: 8, dtype: 'float32' }); // peft multiplies columns
      const ref = monarchMultiply({ ...m, R: w1, L: w2 }, X) as Matrix;
      const got = await monarch(ctx, X.T, w1, w2);
      const bound = monarchReference(absMatrix(X.T), abs3(w1), abs3(w2));
      expectWithin('monarch vs peft', got, ref.T, bound, gammaFor(b, b));
    });
  }

  it('keeps data on the GPU and rejects bad sizes', async () => {
    const x = ctx.upload(randn(2, 6, { seed: 1 }));
    const w1 = ctx.upload(tensorRandn([2, 3, 3], { seed: 2 }));
    const w2 = ctx.upload(tensorRandn([3, 2, 2], { seed: 3 }));
    const y = await monarchGpu(ctx, x, w1, w2);
    expect(y.shape).toEqual([2, 6]);
    const x5 = ctx.upload(randn(2, 5, { seed: 4 }));
    await expect(monarchGpu(ctx, x5, w1, w2)).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    const w3 = ctx.upload(tensorRandn([4, 2, 2], { seed: 5 }));
    await expect(monarchGpu(ctx, x, w1, w3)).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    for (const t of [x, x5, w1, w2, w3, y]) t.destroy();
    await expect(
      monarch(ctx, randn(2, 5), tensorRandn([2, 2, 2]), tensorRandn([2, 2, 2])),
    ).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
  });
});
