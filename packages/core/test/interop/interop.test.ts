import { fromDataDims, fromMlMatrix, Matrix, Tensor, toDataDims, toMlMatrix } from '@lr/core';
import fc from 'fast-check';
import { MatrixTransposeView, Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { arbLayout, arbValues, codeOf, makeMatrix, toNested } from '../ops/arb.js';

describe('ml-matrix interop', () => {
  it('round-trips any layout through ml-matrix', () => {
    fc.assert(
      fc.property(arbValues(0, 6), arbLayout, ({ vals, m, n }, layout) => {
        const A = makeMatrix(vals, n, layout);
        const ml = toMlMatrix(A);
        expect(ml).toBeInstanceOf(MlMatrix);
        expect([ml.rows, ml.columns]).toEqual([m, n]);
        if (m > 0 && n > 0) expect(ml.to2DArray()).toEqual(vals);
        const back = fromMlMatrix(ml);
        expect(back).toBeInstanceOf(Matrix);
        expect(back.shape).toEqual([m, n]);
        expect(toNested(back)).toEqual(vals);
        expect(back.data).not.toBe(A.data);
      }),
      { seed: 20, numRuns: 80 },
    );
  });

  it('reads ml-matrix views, get-objects and to2DArray-objects', () => {
    const ml = new MlMatrix([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(fromMlMatrix(new MatrixTransposeView(ml)).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const getOnly = { rows: 2, columns: 2, get: (i: number, j: number) => 10 * i + j };
    expect(fromMlMatrix(getOnly).toArray()).toEqual([
      [0, 1],
      [10, 11],
    ]);
    const arrOnly = {
      to2DArray: () => [
        [1, 2],
        [3, 4],
      ],
    };
    expect(fromMlMatrix(arrOnly).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const f32 = fromMlMatrix(new MlMatrix([[0.1]]), { dtype: 'float32' });
    expect(f32.dtype).toBe('float32');
    expect(f32.get(0, 0)).toBe(Math.fround(0.1));
    // results agree with ml-matrix's own product
    const A = makeMatrix(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      2,
      'T',
    );
    expect(toMlMatrix(A).mmul(toMlMatrix(A.T)).to2DArray()).toEqual([
      [5, 11, 17],
      [11, 25, 39],
      [17, 39, 61],
    ]);
  });

  it('rejects what is not matrix-like', () => {
    expect(codeOf(() => fromMlMatrix(null as unknown as MlMatrix))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => fromMlMatrix({} as unknown as MlMatrix))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => fromMlMatrix({ rows: -1, columns: 2, get: () => 0 }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      codeOf(() => fromMlMatrix({ rows: 1, columns: 1, get: () => '1' as unknown as number })),
    ).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => fromMlMatrix({ to2DArray: () => [[1, 2], [3]] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => fromMlMatrix({ to2DArray: () => 'x' as unknown as number[][] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => fromMlMatrix(new MlMatrix(1, 1), { dtype: 'int8' as 'float64' }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => toMlMatrix([[1]] as unknown as Matrix))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => toMlMatrix(new Tensor(new Float64Array(2), [2]) as Matrix))).toBe(
      'SHAPE_MISMATCH',
    );
  });
});

describe('{ data, dims } interop', () => {
  it('shares Float32Array / Float64Array storage without copying', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const M = fromDataDims({ data, dims: [2, 3] });
    expect(M).toBeInstanceOf(Matrix);
    expect(M.data).toBe(data);
    expect(M.dtype).toBe('float32');
    expect((M as Matrix).get(1, 0)).toBe(4);
    data[3] = 40;
    expect((M as Matrix).get(1, 0)).toBe(40);
    const copied = fromDataDims({ data, dims: [6] }, { copy: true });
    expect(copied.data).not.toBe(data);
    expect(copied).not.toBeInstanceOf(Matrix);
    const sub = new Float64Array([9, 1, 2, 3, 4, 9]).subarray(1, 5);
    const T = fromDataDims({ data: sub, dims: [2, 1, 2] });
    expect(T.data).toBe(sub);
    expect(T.shape).toEqual([2, 1, 2]);
    expect(T.at(1, 0, 1)).toBe(4);
  });

  it('converts integer typed arrays, bigint arrays and number arrays to float64 copies', () => {
    const cases: [ArrayLike<number> | ArrayLike<bigint>, number[]][] = [
      [new Int32Array([-1, 2, 3, 2147483647]), [-1, 2, 3, 2147483647]],
      [new Uint8Array([0, 255, 7, 1]), [0, 255, 7, 1]],
      [new Uint8ClampedArray([0, 255, 7, 1]), [0, 255, 7, 1]],
      [new Int16Array([-32768, 2, 3, 4]), [-32768, 2, 3, 4]],
      [new Uint32Array([4294967295, 0, 1, 2]), [4294967295, 0, 1, 2]],
      [new BigInt64Array([-5n, 2n, 3n, 9007199254740993n]), [-5, 2, 3, 9007199254740992]],
      [
        [0.5, 1.5, 2.5, 3.5],
        [0.5, 1.5, 2.5, 3.5],
      ],
    ];
    for (const [data, expected] of cases) {
      const t = fromDataDims({ data, dims: [2, 2] });
      expect(t.dtype).toBe('float64');
      expect(t.data).not.toBe(data);
      expect(Array.from(t.toFloat64Array())).toEqual(expected);
    }
  });

  it('round-trips through toDataDims (no copy when contiguous, C-order copy for views)', () => {
    fc.assert(
      fc.property(arbValues(0, 5), arbLayout, ({ vals, m, n }, layout) => {
        const A = makeMatrix(vals, n, layout);
        const dd = toDataDims(A);
        expect(dd.dims).toEqual([m, n]);
        expect(Array.from(dd.data)).toEqual(vals.flat());
        if (A.isContiguous()) expect(dd.data.buffer).toBe(A.data.buffer);
        expect(toNested(fromDataDims(dd) as Matrix)).toEqual(vals);
      }),
      { seed: 21, numRuns: 60 },
    );
    const scalar = fromDataDims({ data: new Float64Array([7]), dims: [] });
    expect(scalar.shape).toEqual([]);
    expect(scalar.at()).toBe(7);
    expect(toDataDims(scalar)).toEqual({ data: new Float64Array([7]), dims: [] });
  });

  it('validates data against dims', () => {
    expect(codeOf(() => fromDataDims({ data: new Float32Array(5), dims: [2, 3] }))).toBe(
      'SHAPE_MISMATCH',
    );
    expect(codeOf(() => fromDataDims({ data: new Float32Array(0), dims: [2, 0] }))).toBeUndefined();
    expect(codeOf(() => fromDataDims({ data: new Float32Array(6), dims: [2, -3] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => fromDataDims({ data: new Float32Array(6), dims: [2, 3.5] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      codeOf(() => fromDataDims({ data: new Float32Array(6), dims: '23' as unknown as number[] })),
    ).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => fromDataDims({ data: 'abcdef' as unknown as number[], dims: [6] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => fromDataDims({ data: [1, '2'] as unknown as number[], dims: [2] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => fromDataDims(null as unknown as { data: number[]; dims: number[] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      codeOf(() => fromDataDims({ data: [1], dims: [1] }, 3 as unknown as { copy: boolean })),
    ).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => toDataDims({ data: [], dims: [] } as unknown as Tensor))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
