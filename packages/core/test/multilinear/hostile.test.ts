import {
  fold,
  hosvd,
  LrError,
  modeProduct,
  randn,
  tensorRandn,
  tucker,
  tuckerReconstruct,
  unfold,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { HOSTILE_NUMBERS } from '../helpers.js';

describe('multilinear: hostile inputs', () => {
  const X = tensorRandn([2, 3, 2], { seed: 1 });
  const calls: [string, (v: unknown) => unknown, boolean][] = [
    ['unfold mode', (v) => unfold(X, v as number), false],
    ['fold mode', (v) => fold(unfold(X, 0), v as number, X.shape), false],
    ['modeProduct mode', (v) => modeProduct(X, randn(2, 2), v as number), false],
    ['hosvd ranks', (v) => hosvd(X, { ranks: v as number }), true],
    ['tucker ranks', (v) => tucker(X, { ranks: v as number }), true],
    ['tucker maxIterations', (v) => tucker(X, { maxIterations: v as number }), true],
    ['tucker tol', (v) => tucker(X, { tol: v as number }), true],
    ['unfold tensor', (v) => unfold(v as never, 0), false],
    ['tuckerReconstruct core', (v) => tuckerReconstruct(v as never, []), false],
  ];
  for (const [name, call, optional] of calls) {
    it(name, () => {
      for (const v of HOSTILE_NUMBERS) {
        if (optional && v === undefined) continue;
        // -1 is a valid tolerance floor violation; 1.5 is a legal tol
        if (name === 'tucker tol' && v === 1.5) continue;
        expect(() => call(v), `${name} with ${String(v)}`).toThrow(LrError);
      }
    });
  }
});
