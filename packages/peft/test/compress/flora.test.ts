import { Tensor, tensorRandn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { flora, floraDelta, floraParams } from '../../src/compress/index.js';
import { codeOf } from './helpers.js';

describe('FLoRA', () => {
  const W = tensorRandn([16, 8, 3, 3], { seed: 1 });

  it('is exactly zero at init (both inits), so W + ΔW = W', () => {
    for (const init of ['zero-core', 'zero-factor'] as const) {
      const a = flora(W, { ranks: [4, 4, 2, 2], init, seed: 2 });
      const d = floraDelta(a);
      expect(d.shape).toEqual([16, 8, 3, 3]);
      for (const v of d.data) expect(v).toBe(0);
      const sum = W.data.map((w, i) => w + d.data[i]!);
      expect(sum).toEqual(W.data);
      // the non-zero parts are really random (trainable from a useful start)
      const nonzero = init === 'zero-core' ? a.factors[0]!.data : a.core.data;
      expect(nonzero.some((v) => v !== 0)).toBe(true);
    }
  });

  it('floraDelta is the Tucker product s·G ×₀ U₀ ×₁ U₁ ×₂ U₂ ×₃ U₃ (explicit sum)', () => {
    const a = flora(W, { ranks: [3, 2, 2, 1], alpha: 0.5, seed: 3 });
    const g = tensorRandn(a.ranks, { seed: 4 });
    const trained = { ...a, core: g };
    const d = floraDelta(trained);
    const [I0, I1, I2, I3] = a.shape as [number, number, number, number];
    const U = a.factors;
    let maxErr = 0;
    for (let i = 0; i < I0; i++)
      for (let j = 0; j < I1; j++)
        for (let k = 0; k < I2; k++)
          for (let l = 0; l < I3; l++) {
            let s = 0;
            for (let p = 0; p < 3; p++)
              for (let q = 0; q < 2; q++)
                for (let r = 0; r < 2; r++)
                  s +=
                    g.at(p, q, r, 0) *
                    U[0]!.get(i, p) *
                    U[1]!.get(j, q) *
                    U[2]!.get(k, r) *
                    U[3]!.get(l, 0);
            maxErr = Math.max(maxErr, Math.abs(0.5 * s - d.at(i, j, k, l)));
          }
    expect(maxErr).toBeLessThan(1e-14);
  });

  it('has fewer parameters than flatten + LoRA at the same output rank (conv shapes)', () => {
    for (const [shape, ranks] of [
      [
        [64, 32, 3, 3],
        [8, 8, 3, 3],
      ],
      [
        [256, 256, 3, 3],
        [16, 16, 3, 3],
      ],
      [
        [128, 64, 5, 5],
        [8, 8, 3, 3],
      ],
      [
        [64, 64, 3, 3, 3],
        [8, 8, 2, 2, 2],
      ],
    ] as [number[], number[]][]) {
      const a = flora(new Tensor(new Float64Array(shape.reduce((x, y) => x * y, 1)), shape), {
        ranks,
      });
      expect(a.params).toBe(floraParams(shape, ranks));
      expect(a.params).toBeLessThan(a.flattenLoraParams);
    }
    expect(floraParams([64, 32, 3, 3], [8, 8, 3, 3])).toBe(1362);
    expect(flora(tensorRandn([64, 32, 3, 3]), { ranks: [8, 8, 3, 3] }).flattenLoraParams).toBe(
      2816,
    );
    // rank shorthand caps at the mode size
    expect(flora(W, { rank: 4 }).ranks).toEqual([4, 4, 3, 3]);
  });

  it('bad input gives documented codes', () => {
    expect(codeOf(() => flora(W, {}))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => flora(W, { ranks: [4, 4, 4, 2] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => flora(W, { ranks: [4, 4] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => flora(tensorRandn([5]), { rank: 1 }))).toBe('INVALID_ARGUMENT');
    const bad = W.clone();
    bad.data[7] = Number.NaN;
    expect(codeOf(() => flora(bad, { rank: 2 }))).toBe('NON_FINITE');
  });
});
