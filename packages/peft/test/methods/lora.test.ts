import { describe, expect, test } from 'vitest';
import { lora } from '../../src/methods/index.js';
import { Q_PROJ, WEIGHTS, weight } from './helpers.js';

describe('lora (PEFT default init)', () => {
  for (const name of WEIGHTS) {
    const W = weight(name);
    test(`${name}: B = 0, A ~ U(−1/√in, 1/√in), no residual`, () => {
      const init = lora(W);
      expect(init.rank).toBe(8);
      expect(init.alpha).toBe(8);
      expect(init.scaling).toBe(1);
      expect(init.A.shape).toEqual([8, W.cols]);
      expect(init.B.shape).toEqual([W.rows, 8]);
      expect(init.residual).toBeUndefined();
      expect(init.B.data.every((v) => v === 0)).toBe(true);
      const bound = 1 / Math.sqrt(W.cols);
      expect(init.diagnostics.bound).toBe(bound);
      let maxAbs = 0;
      let sum = 0;
      let sq = 0;
      for (const v of init.A.data) {
        maxAbs = Math.max(maxAbs, Math.abs(v));
        sum += v;
        sq += v * v;
      }
      expect(maxAbs).toBeLessThan(bound);
      expect(maxAbs).toBeGreaterThan(0.9 * bound); // fills the interval
      const n = init.A.data.length;
      // mean 0 and variance bound²/3 of the uniform law, within 5 standard errors
      expect(Math.abs(sum / n)).toBeLessThan((5 * bound) / Math.sqrt(3 * n));
      expect(sq / n).toBeGreaterThan((bound * bound) / 3 - (5 * bound * bound) / Math.sqrt(n));
      expect(sq / n).toBeLessThan((bound * bound) / 3 + (5 * bound * bound) / Math.sqrt(n));
      expect(init.diagnostics.energy).toBe(0);
      expect(init.diagnostics.relativeError).toBe(0);
      expect(init.diagnostics.trainableParameters).toBe(8 * (W.rows + W.cols));
    });
  }

  test('seeded determinism and rsLoRA scaling', () => {
    const W = weight(Q_PROJ);
    const a = lora(W, { rank: 4, alpha: 16, seed: 11 });
    const b = lora(W, { rank: 4, alpha: 16, seed: 11 });
    const c = lora(W, { rank: 4, alpha: 16, seed: 12 });
    expect(Array.from(a.A.data)).toEqual(Array.from(b.A.data));
    expect(Array.from(a.A.data)).not.toEqual(Array.from(c.A.data));
    expect(a.scaling).toBe(4);
    expect(lora(W, { rank: 4, alpha: 16, useRslora: true }).scaling).toBe(8);
  });
});
