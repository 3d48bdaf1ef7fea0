import {
  allFinite,
  eye,
  hstack,
  kron,
  Matrix,
  matmul,
  Tensor,
  trace,
  transposeCopy,
  vstack,
  zeros,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../helpers.js';
import { arbLayout, arbValues, codeOf, makeMatrix, seededValues, toNested } from './arb.js';

describe('hstack / vstack', () => {
  it('concatenate any layouts', () => {
    fc.assert(
      fc.property(arbValues(1, 5), arbValues(1, 5), arbLayout, arbLayout, (a, b, la, lb) => {
        const A = makeMatrix(a.vals, a.n, la);
        // B with A's row count for hstack, A's column count for vstack
        const Bh = makeMatrix(
          a.vals.map((_, i) => b.vals[i % b.m]!.slice()),
          b.n,
          lb,
        );
        const H = hstack([A, Bh, A]);
        expect(H.shape).toEqual([a.m, 2 * a.n + b.n]);
        expect(toNested(H)).toEqual(a.vals.map((r, i) => [...r, ...b.vals[i % b.m]!, ...r]));
        const Bv = makeMatrix(
          b.vals.map((r) => a.vals[0]!.map((_, j) => r[j % b.n]!)),
          a.n,
          lb,
        );
        const V = vstack([A, Bv]);
        expect(toNested(V)).toEqual([
          ...a.vals,
          ...b.vals.map((r) => a.vals[0]!.map((_, j) => r[j % b.n]!)),
        ]);
      }),
      { seed: 6, numRuns: 80 },
    );
  });

  it('keep float32 only if all inputs are float32, and handle empty blocks', () => {
    const a = Matrix.from([[1, 2]], 'float32');
    expect(hstack([a, a]).dtype).toBe('float32');
    expect(vstack([a, Matrix.from([[3, 4]])]).dtype).toBe('float64');
    expect(vstack([zeros(0, 2), Matrix.from([[3, 4]])]).toArray()).toEqual([[3, 4]]);
    expect(hstack([zeros(2, 0), eye(2)]).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('reject bad input', () => {
    expect(codeOf(() => hstack([zeros(2, 2), zeros(3, 2)]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => vstack([zeros(2, 2), zeros(2, 3)]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => hstack([]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => vstack(zeros(2, 2) as unknown as Matrix[]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => hstack([zeros(2, 2), [[1]] as unknown as Matrix]))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('trace and transposeCopy', () => {
  it('trace sums the main diagonal of any view', () => {
    const vals = seededValues(5, 7, 1);
    for (const layout of ['c', 'T', 'block', 'step', 'neg'] as const) {
      const A = makeMatrix(vals, 7, layout);
      const ref = [0, 1, 2, 3, 4].reduce((s, i) => s + vals[i]![i]!, 0);
      expect(trace(A)).toBeCloseTo(ref, 14);
      expect(trace(A.T)).toBeCloseTo(ref, 14);
    }
    expect(trace(eye(4))).toBe(4);
    expect(trace(zeros(0, 0))).toBe(0);
    expect(codeOf(() => trace(new Tensor(new Float64Array(8), [2, 2, 2]) as Matrix))).toBe(
      'SHAPE_MISMATCH',
    );
  });

  it('transposeCopy is a contiguous copy of Aᵀ across tile boundaries', () => {
    const vals = seededValues(70, 45, 2);
    for (const layout of ['c', 'T', 'step', 'neg'] as const) {
      for (const dtype of ['float64', 'float32'] as const) {
        const A = makeMatrix(vals, 45, layout, dtype);
        const T = transposeCopy(A);
        expect(T.isContiguous()).toBe(true);
        expect(T.dtype).toBe(dtype);
        expect(T.data).not.toBe(A.data);
        expect(maxAbsDiff(T, A.T)).toBe(0);
      }
    }
  });
});

describe('kron', () => {
  it('matches the block definition (A ⊗ B)[i·p + k, j·q + l] = a_ij·b_kl on views', () => {
    fc.assert(
      fc.property(arbValues(1, 4), arbValues(1, 4), arbLayout, arbLayout, (a, b, la, lb) => {
        const K = kron(makeMatrix(a.vals, a.n, la), makeMatrix(b.vals, b.n, lb));
        expect(K.shape).toEqual([a.m * b.m, a.n * b.n]);
        for (let i = 0; i < a.m; i++)
          for (let j = 0; j < a.n; j++)
            for (let k = 0; k < b.m; k++)
              for (let l = 0; l < b.n; l++)
                expect(K.get(i * b.m + k, j * b.n + l)).toBe(a.vals[i]![j]! * b.vals[k]![l]!);
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('satisfies the mixed-product rule (A ⊗ B)(C ⊗ D) = AC ⊗ BD', () => {
    const A = makeMatrix(seededValues(3, 4, 1), 4, 'T');
    const B = makeMatrix(seededValues(2, 3, 2), 3, 'step');
    const C = makeMatrix(seededValues(4, 2, 3), 2, 'c');
    const D = makeMatrix(seededValues(3, 5, 4), 5, 'neg');
    const lhs = matmul(kron(A, B), kron(C, D));
    const rhs = kron(matmul(A, C), matmul(B, D));
    expect(maxAbsDiff(lhs, rhs)).toBeLessThan(1e-14);
  });

  it('dtype rule and errors', () => {
    expect(kron(Matrix.from([[2]], 'float32'), Matrix.from([[3]], 'float32')).dtype).toBe(
      'float32',
    );
    expect(kron(Matrix.from([[2]], 'float32'), Matrix.from([[3]])).dtype).toBe('float64');
    expect(kron(zeros(0, 2), eye(3)).shape).toEqual([0, 6]);
    expect(codeOf(() => kron(eye(2), 3 as unknown as Matrix))).toBe('INVALID_ARGUMENT');
  });
});

describe('allFinite', () => {
  it('finds NaN and ±Infinity in any view, and ignores storage outside the view', () => {
    const vals = seededValues(4, 5, 3);
    for (const layout of ['c', 'T', 'block', 'step', 'neg'] as const) {
      expect(allFinite(makeMatrix(vals, 5, layout))).toBe(true);
      for (const bad of [NaN, Infinity, -Infinity]) {
        const v = vals.map((r) => r.slice());
        v[3]![1] = bad;
        expect(allFinite(makeMatrix(v, 5, layout))).toBe(false);
      }
    }
    const data = new Float64Array([1, NaN, 2, Infinity]);
    expect(allFinite(new Matrix(data, 2, 1, 2, 1, 0))).toBe(true); // elements 0 and 2 only
    expect(allFinite(new Matrix(data, 2, 2))).toBe(false);
    expect(allFinite(zeros(0, 0))).toBe(true);
    expect(codeOf(() => allFinite([1] as unknown as Matrix))).toBe('INVALID_ARGUMENT');
  });
});
