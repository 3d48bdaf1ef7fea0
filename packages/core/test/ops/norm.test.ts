import { Matrix, norm, norm1, normFro, normInf, normMax, Tensor, tensor } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbLayout, arbValues, codeOf, makeMatrix } from './arb.js';

describe('norms', () => {
  it('Frobenius, 1, ∞, max and their negative variants match the definitions on every layout', () => {
    fc.assert(
      fc.property(arbValues(1, 7), arbLayout, ({ vals, m, n }, layout) => {
        const A = makeMatrix(vals, n, layout);
        const colSums = Array.from({ length: n }, (_, j) =>
          vals.reduce((s, r) => s + Math.abs(r[j]!), 0),
        );
        const rowSums = vals.map((r) => r.reduce((s, v) => s + Math.abs(v), 0));
        const fro = Math.sqrt(vals.flat().reduce((s, v) => s + v * v, 0));
        expect(normFro(A)).toBeCloseTo(fro, 12);
        expect(norm(A)).toBeCloseTo(fro, 12);
        expect(norm1(A)).toBe(Math.max(...colSums));
        expect(norm(A, 1)).toBe(Math.max(...colSums));
        expect(norm(A, -1)).toBe(Math.min(...colSums));
        expect(normInf(A)).toBe(Math.max(...rowSums));
        expect(norm(A, 'inf')).toBe(Math.max(...rowSums));
        expect(norm(A, -Infinity)).toBe(Math.min(...rowSums));
        expect(normMax(A)).toBe(Math.max(...vals.flat().map(Math.abs)));
        // transposition swaps the 1- and ∞-norms
        expect(norm1(A.T)).toBe(normInf(A));
        expect(m).toBe(A.rows);
      }),
      { seed: 4, numRuns: 150 },
    );
  });

  it('does not overflow or underflow (scaled sum of squares, as dnrm2)', () => {
    expect(normFro(Matrix.from([[3e200, 4e200]]))).toBeCloseTo(5e200, -188);
    expect(normFro(Matrix.from([[3e200], [4e200]]).T) / 5e200).toBeCloseTo(1, 14);
    expect(normFro(Matrix.from([[3e-200, 4e-200]])) / 5e-200).toBeCloseTo(1, 14);
    expect(
      norm(tensor([3e300, 4e300], [2]), 3) / (3e300 * (1 + (4 / 3) ** 3) ** (1 / 3)),
    ).toBeCloseTo(1, 14);
  });

  it('vector norms for any p', () => {
    const x = tensor([3, -4, 0, 1], [4]);
    expect(norm(x, 2)).toBeCloseTo(Math.sqrt(26), 14);
    expect(norm(x, 1)).toBe(8);
    expect(norm1(x)).toBe(8);
    expect(norm(x, Infinity)).toBe(4);
    expect(normInf(x)).toBe(4);
    expect(norm(x, -Infinity)).toBe(0);
    expect(norm(x, 0)).toBe(3);
    expect(norm(x, 3)).toBeCloseTo((27 + 64 + 1) ** (1 / 3), 13);
    expect(norm(x, 0.5)).toBeCloseTo((Math.sqrt(3) + 2 + 1) ** 2, 12);
    // a strided vector: every other element of a row
    const row = new Tensor(new Float64Array([3, 99, -4, 99]), [2], [2], 0);
    expect(norm(row, 2)).toBe(5);
  });

  it('Frobenius and max norms of N-d tensors', () => {
    const T = new Tensor(
      Float64Array.from({ length: 24 }, (_, i) => i - 12),
      [2, 3, 4],
    ).permute([2, 1, 0]);
    const ref = Math.sqrt(
      Array.from({ length: 24 }, (_, i) => (i - 12) ** 2).reduce((a, b) => a + b),
    );
    expect(normFro(T)).toBeCloseTo(ref, 12);
    expect(norm(T, 'max')).toBe(12);
  });

  it('propagates NaN and Infinity', () => {
    expect(normFro(Matrix.from([[1, NaN]]))).toBeNaN();
    expect(normFro(Matrix.from([[Infinity, 1, -Infinity]]))).toBe(Infinity);
    expect(normFro(Matrix.from([[Infinity, NaN]]))).toBeNaN();
    expect(
      norm1(
        Matrix.from([
          [1, NaN],
          [2, 3],
        ]),
      ),
    ).toBeNaN();
    expect(normInf(Matrix.from([[NaN, 0]]))).toBeNaN();
    expect(normMax(Matrix.from([[NaN, 0]]))).toBeNaN();
  });

  it('empty matrices have norm 0', () => {
    const E = new Matrix(new Float64Array(0), 0, 3);
    expect(normFro(E)).toBe(0);
    expect(norm1(E)).toBe(0);
    expect(normInf(E)).toBe(0);
    expect(normMax(E)).toBe(0);
  });

  it('rejects what it cannot or should not compute', () => {
    const A = Matrix.from([[1, 2]]);
    expect(codeOf(() => norm(A, 2))).toBe('UNSUPPORTED');
    expect(codeOf(() => norm(A, 'nuc' as 'fro'))).toBe('UNSUPPORTED');
    expect(codeOf(() => norm(A, 3))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => norm(A, 'spectral' as 'fro'))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => norm(A, Number.NaN))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => norm(tensor([1, 2], [2]), -1))).toBe('INVALID_ARGUMENT');
    const T = new Tensor(new Float64Array(8), [2, 2, 2]);
    expect(codeOf(() => norm1(T))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => norm(T, 1))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => normFro({} as Tensor))).toBe('INVALID_ARGUMENT');
  });
});
