import {
  abs,
  add,
  addScalar,
  div,
  Matrix,
  map,
  mul,
  neg,
  scale,
  sub,
  Tensor,
  tensor,
  zeros,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOSTILE_NUMBERS } from '../helpers.js';
import { arbLayout, arbValues, codeOf, makeMatrix, toNested } from './arb.js';

const OPS = {
  add: [add, (a: number, b: number) => a + b],
  sub: [sub, (a: number, b: number) => a - b],
  mul: [mul, (a: number, b: number) => a * b],
  div: [div, (a: number, b: number) => a / b],
} as const;

describe('element-wise binary ops', () => {
  for (const [name, [op, ref]] of Object.entries(OPS)) {
    it(`${name} matches the scalar definition on every layout`, () => {
      fc.assert(
        fc.property(
          arbValues(0, 6),
          arbLayout,
          arbLayout,
          fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 36, maxLength: 36 }),
          ({ vals, m, n }, la, lb, bs) => {
            const bvals = vals.map((r, i) => r.map((_, j) => bs[(i * 6 + j) % 36]!));
            const A = makeMatrix(vals, n, la);
            const B = makeMatrix(bvals, n, lb);
            const before = toNested(A);
            const C = (op as (a: Matrix, b: Matrix) => Matrix)(A, B);
            expect(C).toBeInstanceOf(Matrix);
            expect(C.shape).toEqual([m, n]);
            expect(C.isContiguous()).toBe(true);
            expect(C.data).not.toBe(A.data);
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++)
                expect(C.get(i, j)).toBe(ref(vals[i]![j]!, bvals[i]![j]!));
            expect(toNested(A)).toEqual(before); // input untouched
          },
        ),
        { seed: 1, numRuns: 120 },
      );
    });
  }

  it('takes a scalar on either side', () => {
    const A = Matrix.from([
      [1, 2],
      [4, 8],
    ]);
    expect(add(A, 1).toArray()).toEqual([
      [2, 3],
      [5, 9],
    ]);
    expect(add(1, A).toArray()).toEqual([
      [2, 3],
      [5, 9],
    ]);
    expect(sub(10, A).toArray()).toEqual([
      [9, 8],
      [6, 2],
    ]);
    expect(sub(A, 1).toArray()).toEqual([
      [0, 1],
      [3, 7],
    ]);
    expect(div(8, A).toArray()).toEqual([
      [8, 4],
      [2, 1],
    ]);
    expect(div(A, 2).toArray()).toEqual([
      [0.5, 1],
      [2, 4],
    ]);
    expect(mul(3, A).toArray()).toEqual([
      [3, 6],
      [12, 24],
    ]);
    expect(scale(A.T, -1).toArray()).toEqual([
      [-1, -4],
      [-2, -8],
    ]);
    expect(addScalar(A, 0.5).toArray()).toEqual([
      [1.5, 2.5],
      [4.5, 8.5],
    ]);
  });

  it('follows IEEE division by zero like numpy', () => {
    const C = div(Matrix.from([[1, -1, 0]]), Matrix.from([[0, 0, 0]]));
    expect(C.get(0, 0)).toBe(Infinity);
    expect(C.get(0, 1)).toBe(-Infinity);
    expect(C.get(0, 2)).toBeNaN();
  });

  it('keeps float32 only when every tensor input is float32', () => {
    const a32 = Matrix.from([[1, 2]], 'float32');
    const b32 = Matrix.from([[3, 4]], 'float32');
    const b64 = Matrix.from([[3, 4]]);
    expect(add(a32, b32).dtype).toBe('float32');
    expect(add(a32, b64).dtype).toBe('float64');
    expect(add(b64, a32).dtype).toBe('float64');
    expect(mul(a32, 0.1).dtype).toBe('float32');
    expect(mul(a32, 0.1).get(0, 0)).toBe(Math.fround(Math.fround(1) * 0.1));
    expect(neg(a32).dtype).toBe('float32');
    expect(map(a32, (v) => v / 3).dtype).toBe('float32');
  });

  it('returns a Tensor for tensors and a Matrix as soon as one input is a Matrix', () => {
    const t = tensor([1, 2, 3, 4], [2, 2]);
    const plain = new Tensor(new Float64Array([1, 2, 3, 4]), [2, 2]);
    expect(add(plain, plain)).not.toBeInstanceOf(Matrix);
    expect(add(plain, plain)).toBeInstanceOf(Tensor);
    expect(
      add(
        plain,
        Matrix.from([
          [1, 1],
          [1, 1],
        ]),
      ),
    ).toBeInstanceOf(Matrix);
    expect(add(t, 1)).toBeInstanceOf(Tensor);
  });

  it('works on permuted N-d tensors (C order of the logical elements)', () => {
    const data = Float64Array.from({ length: 24 }, (_, i) => i);
    const T = new Tensor(data, [2, 3, 4]).permute([2, 0, 1]); // shape [4, 2, 3], non-contiguous
    const U = new Tensor(
      Float64Array.from({ length: 24 }, (_, i) => 100 * i),
      [4, 2, 3],
    );
    const S = add(T, U);
    const tf = T.toFloat64Array();
    const expected = Array.from({ length: 24 }, (_, i) => tf[i]! + 100 * i);
    expect(Array.from(S.toFloat64Array())).toEqual(expected);
    expect(S.shape).toEqual([4, 2, 3]);
  });

  it('neg, abs and map on strided views', () => {
    fc.assert(
      fc.property(arbValues(0, 5), arbLayout, ({ vals, m, n }, la) => {
        const A = makeMatrix(vals, n, la);
        expect(toNested(neg(A))).toEqual(vals.map((r) => r.map((v) => -v)));
        expect(toNested(abs(A))).toEqual(vals.map((r) => r.map((v) => Math.abs(v))));
        const M = map(A, (v, k) => v * 2 + k);
        expect(M).toBeInstanceOf(Matrix);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) expect(M.get(i, j)).toBe(vals[i]![j]! * 2 + i * n + j);
      }),
      { seed: 2, numRuns: 60 },
    );
  });

  it('rejects mismatched shapes with SHAPE_MISMATCH', () => {
    expect(codeOf(() => add(zeros(2, 3), zeros(3, 2)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => mul(zeros(2, 3), tensor([1, 2, 3, 4, 5, 6], [6])))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => div(zeros(2, 3), zeros(2, 2)))).toBe('SHAPE_MISMATCH');
  });

  it('rejects non-tensor operands and non-finite scalars with INVALID_ARGUMENT', () => {
    for (const bad of HOSTILE_NUMBERS) {
      const isFiniteNumber = typeof bad === 'number' && Number.isFinite(bad);
      if (isFiniteNumber) continue;
      expect(codeOf(() => add(zeros(1, 1), bad as number))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => scale(zeros(1, 1), bad as number))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => addScalar(zeros(1, 1), bad as number))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => neg(bad as Matrix))).toBe('INVALID_ARGUMENT');
    }
    expect(codeOf(() => add(1 as unknown as Matrix, 2 as unknown as Matrix))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => add([[1]] as unknown as Matrix, zeros(1, 1)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => map(zeros(1, 1), 'x' as unknown as (v: number) => number))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
