import { type Matrix, matmul, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { chooseBits, dequantizeNf, lqDecompose, quantizeNf } from '../../src/compress/index.js';
import { codeOf, fro, froDiff, storiesWeights } from './helpers.js';

describe('lqDecompose (LQ-LoRA) on stories260K', () => {
  const ws = storiesWeights();
  const names = ['model.layers.0.self_attn.q_proj.weight', 'model.layers.2.mlp.up_proj.weight'];
  for (const name of names) {
    for (const bits of [2, 3, 4]) {
      it(`${name.split('.').slice(-2, -1)[0]} ${bits}-bit rank 8: below quantisation alone, non-increasing until stop`, () => {
        const W = ws.get(name)!;
        const r = lqDecompose(W, { rank: 8, bits, seed: 1 });
        // quantisation alone at the same bits
        const qOnly = froDiff(W, dequantizeNf(quantizeNf(W, { bits })));
        expect(r.quantizationError).toBeCloseTo(qOnly, 12);
        expect(r.error).toBeLessThan(qOnly);
        // history non-increasing up to the returned iterate; the stop is a rise or the cap
        for (let i = 1; i < r.bestIteration; i++)
          expect(r.history[i]!).toBeLessThanOrEqual(r.history[i - 1]!);
        expect(r.history[r.bestIteration - 1]).toBe(r.error);
        if (r.stopReason === 'error-rose') {
          expect(r.iterations).toBe(r.bestIteration + 1);
          expect(r.history[r.iterations - 1]!).toBeGreaterThan(r.error);
        } else expect(r.stopReason === 'max-iter' ? r.iterations : 100).toBe(100);
        // the reported error is the measured one
        const recon = matmul(r.L1, r.L2);
        for (let i = 0; i < recon.data.length; i++) recon.data[i]! += r.Q.data[i]!;
        expect(Math.abs(froDiff(W, recon) - r.error)).toBeLessThan(1e-12 * fro(W));
        expect(r.L1.rows).toBe(W.rows);
        expect(r.L2.cols).toBe(W.cols);
        expect(r.bitsPerParam).toBeCloseTo(
          r.quantized.bitsPerParam + (16 * 8 * (W.rows + W.cols)) / (W.rows * W.cols),
          12,
        );
      });
    }
  }

  it('chooseBits: fits the budget and equals the brute-force optimum', () => {
    const pick = [
      'model.layers.1.self_attn.q_proj.weight',
      'model.layers.1.self_attn.k_proj.weight',
      'model.layers.1.mlp.down_proj.weight',
    ].map((n) => [n, ws.get(n)!] as [string, Matrix]);
    const res = chooseBits(pick, {
      budgetBitsPerParam: 3.3,
      rank: 4,
      maxIter: 10,
      resolution: 1_000_000,
    });
    expect(res.bitsPerParam).toBeLessThanOrEqual(3.3);
    // brute force over 4^3 choices with exact memory
    const N = pick.reduce((a, [, W]) => a + W.rows * W.cols, 0);
    let best = Infinity;
    const c = res.choices.map((x) => x.candidates);
    for (const a of c[0]!)
      for (const b of c[1]!)
        for (const d of c[2]!) {
          if (a.memoryBits + b.memoryBits + d.memoryBits > 3.3 * N) continue;
          best = Math.min(best, a.squaredError + b.squaredError + d.squaredError);
        }
    expect(res.totalSquaredError).toBe(best);
    expect(new Set(res.choices.map((x) => x.bits)).size).toBeGreaterThan(1);
  });

  it('bad input gives documented codes', () => {
    const W = randn(6, 5, { seed: 1 });
    const nan = W.clone();
    nan.data[0] = Number.NaN;
    expect(codeOf(() => lqDecompose(nan, { rank: 2 }))).toBe('NON_FINITE');
    expect(codeOf(() => lqDecompose(W, { rank: 6 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => lqDecompose(W, { rank: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => lqDecompose(W, { rank: 2, bits: 5.5 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => lqDecompose(W, { rank: 2, bits: 1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => chooseBits([['w', W]], { budgetBitsPerParam: 1, rank: 2 }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      codeOf(() => chooseBits([['w', W]], { budgetBitsPerParam: 4, candidates: [4, 9] })),
    ).toBe('INVALID_ARGUMENT');
    const ctl = new AbortController();
    ctl.abort();
    expect(codeOf(() => lqDecompose(W, { rank: 2, signal: ctl.signal }))).toBe('ABORTED');
    // a bad seed fails during validation, before any work (not at the first SVD)
    expect(codeOf(() => lqDecompose(W, { rank: 2, seed: 1.5, signal: ctl.signal }))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
