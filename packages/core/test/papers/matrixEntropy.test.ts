import {
  eye,
  InvalidArgumentError,
  Matrix,
  matrixEntropy,
  NonFiniteError,
  randn,
  singularValues,
  zeros,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { fixture, response } from './_papers.js';

describe('matrixEntropy (von Neumann entropy of the trace-normalized Gram matrix)', () => {
  it.each(fixture.cases.map((c) => [`${c.L}×${c.d}`, c] as const))(
    '%s matches numpy (raw, and standardized + normalized)',
    (_, c) => {
      const R = response(c.L, c.d, c.c);
      expect(matrixEntropy(R)).toBeCloseTo(c.entropy, 12);
      expect(matrixEntropy(R.T)).toBeCloseTo(c.entropy, 12);
      expect(matrixEntropy(R, { standardize: true, normalize: true })).toBeCloseTo(
        c.entropyStandardizedNormalized,
        12,
      );
    },
  );

  it('is log r for r equal singular values, 0 for rank one, and in [0, log rank] otherwise', () => {
    expect(matrixEntropy(eye(5))).toBeCloseTo(Math.log(5), 14);
    expect(matrixEntropy(eye(5), { base: 2 })).toBeCloseTo(Math.log2(5), 14);
    expect(matrixEntropy(eye(5), { normalize: true })).toBeCloseTo(1, 14);
    expect(matrixEntropy(eye(3, 7))).toBeCloseTo(Math.log(3), 14);
    const u = randn(6, 1, { seed: 1 });
    const v = randn(1, 4, { seed: 2 });
    const rank1 = new Matrix(new Float64Array(24), 6, 4);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 4; j++) rank1.set(i, j, u.get(i, 0) * v.get(0, j));
    expect(matrixEntropy(rank1)).toBeLessThan(1e-12);
    const A = randn(9, 4, { seed: 3 });
    const S = singularValues(A);
    const t = S.reduce((a, s) => a + s * s, 0);
    const h = -Array.from(S).reduce((a, s) => a + ((s * s) / t) * Math.log((s * s) / t), 0);
    expect(matrixEntropy(A)).toBeCloseTo(h, 13);
    expect(matrixEntropy(A)).toBeLessThanOrEqual(Math.log(4));
    expect(matrixEntropy(Matrix.from([[2]]), { normalize: true })).toBe(0);
  });

  it('validates its input and options', () => {
    expect(() => matrixEntropy(zeros(3, 3))).toThrow(/non-zero matrix/);
    expect(() => matrixEntropy(Matrix.from([[1, 2, 3]]), { standardize: true })).toThrow(
      InvalidArgumentError,
    );
    expect(() => matrixEntropy(Matrix.from([[Number.NaN]]))).toThrow(NonFiniteError);
    expect(() => matrixEntropy(eye(2), { base: 1 })).toThrow(/options.base/);
    expect(() => matrixEntropy(eye(2), { base: -2 })).toThrow(/options.base/);
    expect(() => matrixEntropy(eye(2), { normalize: 'yes' as never })).toThrow(/options.normalize/);
    const A = response(5, 3, 0.5);
    const copy = A.toFloat64Array();
    matrixEntropy(A, { standardize: true });
    expect(A.toFloat64Array()).toEqual(copy);
  });
});
