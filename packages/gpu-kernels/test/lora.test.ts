import { Matrix, randn } from '@lr/core';
import { afterAll, describe, expect, it } from 'vitest';
import { absMatrix, EPS_F32, type GpuContext, lora, loraGpu, loraReference } from '../src/index.js';
import { expectWithin } from './_check.js';
import { closeGpu, openGpu } from './_gpu.js';

afterAll(closeGpu);

// Tolerance: T = fl(s·x·Aᵀ) errs by ≤ (in + 2)·ε·|s|·|x|·|A|ᵀ (depth in, plus the scaling);
// the fused pass sums in + r products: ≤ (in + r + 2)·ε·(|x|·|W|ᵀ + |T|·|B|ᵀ); and T's
// error reaches y through |B|ᵀ. Together |Δy| ≤ (2·in + r + 6)·ε·bound with
// bound = |x|·|W|ᵀ + |s|·|x|·|A|ᵀ·|B|ᵀ (Higham §3.5 for each product).
const gammaFor = (din: number, r: number) => (2 * din + r + 6) * EPS_F32;

const CASES: [number, number, number, number][] = [
  // n, in, out, r
  [1, 1, 1, 1],
  [7, 33, 5, 1],
  [33, 7, 65, 4],
  [65, 130, 33, 8],
  [130, 65, 7, 3],
];

describe('fused LoRA y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ', () => {
  let ctx: GpuContext;
  it('opens the GPU', async () => {
    ctx = await openGpu();
  });
  for (const [n, din, dout, r] of CASES) {
    it(`n=${n} in=${din} out=${dout} r=${r}`, async () => {
      const s = 0.75;
      const x = randn(n, din, { seed: n + 1, dtype: 'float32' });
      const W = randn(dout, din, { seed: din + 2, dtype: 'float32' });
      const A = randn(r, din, { seed: r + 3, dtype: 'float32' });
      const B = randn(dout, r, { seed: dout + 4, dtype: 'float32' });
      const y = await lora(ctx, x, W, A, B, { scale: s });
      const ref = loraReference(x, W, A, B, s);
      const bound = loraReference(
        absMatrix(x),
        absMatrix(W),
        absMatrix(A),
        absMatrix(B),
        Math.abs(s),
      );
      expectWithin('lora', y, ref, bound, gammaFor(din, r));
    });
  }

  it('with B = 0 equals the frozen product; stays on the GPU through loraGpu', async () => {
    const x = randn(9, 12, { seed: 1, dtype: 'float32' });
    const W = randn(6, 12, { seed: 2, dtype: 'float32' });
    const A = randn(2, 12, { seed: 3, dtype: 'float32' });
    const B = Matrix.fromData(new Float32Array(12), 6, 2);
    const t = [x, W, A, B].map((m) => ctx.upload(m));
    const y = await loraGpu(ctx, t[0]!, t[1]!, t[2]!, t[3]!, { scale: 3 });
    const got = await ctx.downloadMatrix(y);
    const ref = loraReference(x, W, A, B, 3);
    expectWithin(
      'lora B=0',
      got,
      ref,
      loraReference(absMatrix(x), absMatrix(W), absMatrix(A), absMatrix(B)),
      gammaFor(12, 2),
    );
    for (const g of [...t, y]) g.destroy();
  });

  it('rejects shapes that do not chain', async () => {
    await expect(
      lora(ctx, randn(3, 4), randn(5, 4), randn(2, 3), randn(5, 2)),
    ).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
  });
});
