import {
  decomposeProjection,
  LrError,
  matrixEntropy,
  matrixNuclearNorm,
  nuclearNorm,
  nuclearNormApprox,
  randn,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { HOSTILE_NUMBERS } from '../helpers.js';

describe('papers: hostile inputs', () => {
  const A = randn(4, 3, { seed: 1 });
  const calls: [string, (v: unknown) => unknown, boolean][] = [
    ['nuclearNormApprox topD', (v) => nuclearNormApprox(A, { topD: v as number }), true],
    ['matrixNuclearNorm topD', (v) => matrixNuclearNorm(A, { topD: v as number }), true],
    ['matrixEntropy base', (v) => matrixEntropy(A, { base: v as number }), true],
    ['nuclearNorm A', (v) => nuclearNorm(v as never), false],
    ['nuclearNormApprox A', (v) => nuclearNormApprox(v as never), false],
    ['matrixNuclearNorm R', (v) => matrixNuclearNorm(v as never), false],
    ['matrixEntropy A', (v) => matrixEntropy(v as never), false],
    ['decomposeProjection P', (v) => decomposeProjection(v as never), false],
  ];
  for (const [name, call, optional] of calls) {
    it(name, () => {
      for (const v of HOSTILE_NUMBERS) {
        if (optional && v === undefined) continue;
        if (name === 'matrixEntropy base' && v === 1.5) continue; // a legal base
        expect(() => call(v), `${name} with ${String(v)}`).toThrow(LrError);
      }
    });
  }
});
