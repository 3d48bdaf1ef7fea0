import { Matrix, max, mean, min, sum, Tensor, tensor, zeros } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbLayout, arbValues, codeOf, makeMatrix } from './arb.js';

const colRef = (vals: number[][], n: number, f: (xs: number[]) => number): number[] =>
  Array.from({ length: n }, (_, j) => f(vals.map((r) => r[j]!)));
const naiveSum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('reductions', () => {
  it('sum/mean/max/min over the whole matrix and along each axis match naive loops', () => {
    fc.assert(
      fc.property(
        arbValues(1, 7),
        arbLayout,
        fc.constantFrom('float64' as const, 'float32' as const),
        ({ vals, n }, layout, dtype) => {
          const A = makeMatrix(vals, n, layout, dtype);
          const flat = vals.flat();
          // quarter-integers of modest size: every partial sum is exact, so equality is exact
          expect(sum(A)).toBe(naiveSum(flat));
          expect(mean(A)).toBeCloseTo(naiveSum(flat) / flat.length, 12);
          expect(max(A)).toBe(Math.max(...flat));
          expect(min(A)).toBe(Math.min(...flat));
          expect(Array.from(sum(A, { axis: 0 }))).toEqual(colRef(vals, n, naiveSum));
          expect(Array.from(sum(A, { axis: 1 }))).toEqual(vals.map(naiveSum));
          expect(Array.from(max(A, { axis: 0 }))).toEqual(colRef(vals, n, (xs) => Math.max(...xs)));
          expect(Array.from(min(A, { axis: 1 }))).toEqual(vals.map((r) => Math.min(...r)));
          const m0 = mean(A, { axis: 0 });
          for (const [j, s] of colRef(vals, n, naiveSum).entries()) {
            expect(m0[j]).toBeCloseTo(s / vals.length, 12);
          }
          const m1 = mean(A, { axis: 1 });
          for (const [i, r] of vals.entries()) expect(m1[i]).toBeCloseTo(naiveSum(r) / n, 12);
        },
      ),
      { seed: 3, numRuns: 150 },
    );
  });

  it('uses compensated summation (Neumaier): 1 + 1e100 + 1 − 1e100 = 2', () => {
    const x = tensor([1, 1e100, 1, -1e100], [4]);
    expect(sum(x)).toBe(2);
    const A = Matrix.from([
      [1, 1],
      [1e100, 1e100],
      [1, 1],
      [-1e100, -1e100],
    ]);
    expect(Array.from(sum(A, { axis: 0 }))).toEqual([2, 2]);
    expect(Array.from(sum(A.T, { axis: 1 }))).toEqual([2, 2]);
    // a naive left-to-right sum of 0.1 ten million times drifts; one thousand is enough to see it
    const tenth = new Tensor(new Float64Array(1000).fill(0.1), [1000]);
    let naive = 0;
    for (let i = 0; i < 1000; i++) naive += 0.1;
    expect(naive).not.toBe(100);
    expect(Math.abs(sum(tenth) - 100)).toBeLessThanOrEqual(1e-13);
  });

  it('propagates Infinity and NaN', () => {
    expect(sum(tensor([1, Infinity, 2], [3]))).toBe(Infinity);
    expect(sum(tensor([-Infinity, 1], [2]))).toBe(-Infinity);
    expect(sum(tensor([Infinity, -Infinity], [2]))).toBeNaN();
    expect(sum(tensor([1, NaN], [2]))).toBeNaN();
    expect(
      Array.from(
        sum(
          Matrix.from([
            [1, 2],
            [Infinity, 3],
          ]),
          { axis: 0 },
        ),
      ),
    ).toEqual([Infinity, 5]);
    expect(max(tensor([1, NaN, 3], [3]))).toBeNaN();
    expect(min(tensor([NaN, 1], [2]))).toBeNaN();
    const cols = max(
      Matrix.from([
        [1, NaN],
        [2, 5],
      ]),
      { axis: 0 },
    );
    expect(cols[0]).toBe(2);
    expect(cols[1]).toBeNaN();
  });

  it('reduces N-d and permuted tensors as a whole', () => {
    const T = new Tensor(
      Float64Array.from({ length: 60 }, (_, i) => i - 20),
      [3, 4, 5],
    ).permute([1, 2, 0]);
    expect(sum(T)).toBe(naiveSum(Array.from({ length: 60 }, (_, i) => i - 20)));
    expect(max(T)).toBe(39);
    expect(min(T)).toBe(-20);
    expect(mean(T)).toBeCloseTo(9.5, 14);
    expect(sum(new Tensor(new Float64Array([7]), []))).toBe(7);
  });

  it('handles empty extents: the empty sum is 0, max/min/mean throw SHAPE_MISMATCH', () => {
    expect(sum(zeros(0, 3))).toBe(0);
    expect(Array.from(sum(zeros(0, 3), { axis: 0 }))).toEqual([0, 0, 0]);
    expect(sum(zeros(0, 3), { axis: 1 }).length).toBe(0);
    expect(codeOf(() => max(zeros(0, 3)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => min(zeros(2, 0), { axis: 1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => mean(zeros(0, 0)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => mean(zeros(0, 2), { axis: 0 }))).toBe('SHAPE_MISMATCH');
    expect(max(zeros(0, 3), { axis: 1 }).length).toBe(0);
  });

  it('rejects bad axes and non-tensors', () => {
    const T = new Tensor(new Float64Array(8), [2, 2, 2]);
    expect(codeOf(() => sum(T, { axis: 0 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => sum(zeros(2, 2), { axis: 2 as 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => max(zeros(2, 2), { axis: -1 as 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => sum(zeros(2, 2), 5 as unknown as { axis: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => sum([1, 2] as unknown as Tensor))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => mean(null as unknown as Tensor))).toBe('INVALID_ARGUMENT');
  });
});
