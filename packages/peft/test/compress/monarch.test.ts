import { matmul, randn, Tensor } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Monarch,
  monarchMultiply,
  monarchParams,
  monarchToDense,
  projectToMonarch,
  randomMonarch,
} from '../../src/compress/index.js';
import { codeOf, EPS64, fro, froDiff, storiesWeights } from './helpers.js';

function perturb(m: Monarch, eps: number, seed: number): Monarch {
  const dR = randn(1, m.R.size, { seed });
  const dL = randn(1, m.L.size, { seed: seed + 1 });
  const R = Float64Array.from(m.R.data, (v, i) => v + eps * dR.data[i]!);
  const L = Float64Array.from(m.L.data, (v, i) => v + eps * dL.data[i]!);
  return { ...m, R: new Tensor(R, m.R.shape), L: new Tensor(L, m.L.shape) };
}

describe('Monarch', () => {
  it('multiply equals the dense product of monarchToDense (n = 64, 144; b = 2, 3, 4)', () => {
    for (const [n, b] of [
      [64, 4],
      [64, 2],
      [144, 3],
      [144, 4],
    ] as const) {
      if (n % (b * b) !== 0) continue;
      const m = randomMonarch(n, { nblocks: b, seed: n + b });
      const M = monarchToDense(m);
      const X = randn(n, 5, { seed: 1 });
      const Y = monarchMultiply(m, X) as ReturnType<typeof matmul>;
      const Yd = matmul(M, X);
      expect(froDiff(Y, Yd)).toBeLessThan(10 * n * EPS64 * fro(M) * fro(X));
      const y = monarchMultiply(m, X.colArray(0)) as Float64Array;
      for (let i = 0; i < n; i++) expect(y[i]).toBe(Y.get(i, 0));
    }
  });

  it('the dense matrix mixes every input block into every output block (not block-diagonal)', () => {
    const M = monarchToDense(randomMonarch(64, { seed: 2 }));
    for (let I = 0; I < 4; I++)
      for (let J = 0; J < 4; J++) expect(fro(M.block(16 * I, 16 * J, 16, 16))).toBeGreaterThan(0.1);
  });

  it('projecting a Monarch matrix recovers it exactly; params are 2n²/b', () => {
    for (const b of [2, 4]) {
      const M = monarchToDense(randomMonarch(64, { nblocks: b, seed: 7 }));
      const p = projectToMonarch(M, { nblocks: b });
      const M2 = monarchToDense(p.monarch);
      expect(froDiff(M, M2)).toBeLessThan(100 * 64 * EPS64 * fro(M));
      expect(p.relativeError).toBeLessThan(1e-12);
      expect(p.monarch.R.size + p.monarch.L.size).toBe(monarchParams(64, b));
      expect(monarchParams(64, b)).toBe((2 * 64 * 64) / b);
    }
  });

  it('projection error is reported exactly and is optimal against random Monarch perturbations (property)', () => {
    const W = storiesWeights().get('model.layers.1.self_attn.o_proj.weight')!; // real 64×64
    const p = projectToMonarch(W);
    const M = monarchToDense(p.monarch);
    const measured = froDiff(W, M);
    expect(Math.abs(measured - p.error)).toBeLessThan(1e-10 * fro(W));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 1e-4, max: 0.3, noNaN: true }),
        (seed, eps) => {
          const Mq = monarchToDense(perturb(p.monarch, eps, seed));
          return froDiff(W, Mq) >= measured * (1 - 1e-12);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('bad input gives documented codes', () => {
    expect(codeOf(() => projectToMonarch(randn(8, 9)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => projectToMonarch(randn(24, 24), { nblocks: 4 }))).toBe('INVALID_ARGUMENT');
    const nan = randn(16, 16);
    nan.data[5] = Number.NaN;
    expect(codeOf(() => projectToMonarch(nan))).toBe('NON_FINITE');
    const m = randomMonarch(16);
    expect(codeOf(() => monarchMultiply(m, randn(15, 2)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => monarchMultiply({ ...m, n: 17 }, randn(16, 2)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => randomMonarch(16, { nblocks: 3 }))).toBe('INVALID_ARGUMENT');
  });
});
