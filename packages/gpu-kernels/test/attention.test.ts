import { asMatrix, Matrix, randn } from '@lr/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  absMatrix,
  attention,
  attentionGpu,
  attentionReference,
  type GpuContext,
} from '../src/index.js';
import { expectWithin, attentionGamma as gammaFor } from './_check.js';
import { closeGpu, openGpu } from './_gpu.js';

afterAll(closeGpu);

const CASES: [number, number, number, number][] = [
  // n, m, d, dv
  [1, 1, 1, 1],
  [7, 7, 8, 8],
  [33, 33, 16, 7],
  [65, 65, 33, 65],
  [130, 130, 32, 16],
  [7, 130, 8, 9],
];

describe('softmax attention', () => {
  let ctx: GpuContext;
  it('opens the GPU', async () => {
    ctx = await openGpu();
  });
  for (const [n, m, d, dv] of CASES) {
    for (const causal of [false, true]) {
      if (causal && m < n) continue;
      it(`n=${n} m=${m} d=${d} dv=${dv} causal=${causal}`, async () => {
        const Q = randn(n, d, { seed: n + d, dtype: 'float32' });
        const K = randn(m, d, { seed: m + 2 * d, dtype: 'float32' });
        const V = randn(m, dv, { seed: m + dv, dtype: 'float32' });
        const O = await attention(ctx, Q, K, V, { causal });
        const scale = Math.fround(1 / Math.sqrt(d));
        const ref = attentionReference(Q, K, V, { causal, scale });
        const bound = attentionReference(Q, K, absMatrix(V), { causal, scale });
        expectWithin('attention', O, ref, bound, gammaFor(Q, K, scale, causal));
      });
    }
  }

  it('is stable for large scores (no overflow: max subtracted before exp)', async () => {
    const Q = asMatrix('Q', randn(9, 4, { seed: 1, dtype: 'float32' }));
    const K = randn(70, 4, { seed: 2, dtype: 'float32' });
    const V = randn(70, 3, { seed: 3, dtype: 'float32' });
    const scale = 40; // scores of several hundred: exp would overflow f32 without the shift
    const O = await attention(ctx, Q, K, V, { scale });
    for (const v of O.data) expect(Number.isFinite(v)).toBe(true);
    const ref = attentionReference(Q, K, V, { scale });
    const bound = attentionReference(Q, K, absMatrix(V), { scale });
    expectWithin('attention large', O, ref, bound, gammaFor(Q, K, scale, false));
  });

  it('causal row 0 copies v_0; GPU tensors in and out; bad shapes rejected', async () => {
    const Q = randn(4, 2, { seed: 4, dtype: 'float32' });
    const K = randn(4, 2, { seed: 5, dtype: 'float32' });
    const V = randn(4, 3, { seed: 6, dtype: 'float32' });
    const t = [Q, K, V].map((x) => ctx.upload(x));
    const o = await attentionGpu(ctx, t[0]!, t[1]!, t[2]!, { causal: true });
    const O = await ctx.downloadMatrix(o);
    for (let c = 0; c < 3; c++) expect(O.get(0, c)).toBe(V.get(0, c));
    for (const x of [...t, o]) x.destroy();
    await expect(attention(ctx, randn(3, 2), randn(4, 3), randn(4, 2))).rejects.toMatchObject({
      code: 'SHAPE_MISMATCH',
    });
    await expect(
      attention(ctx, randn(5, 2), randn(4, 2), randn(4, 2), { causal: true }),
    ).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    void Matrix;
  });
});
