import { CooMatrix, CsrMatrix, matrix } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ObservedEntries, parseRatings, splitObserved } from '../src/index.js';

describe('ObservedEntries', () => {
  test('byRow / byColumn list every entry exactly once, grouped correctly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: -5, max: 5, noNaN: true })), {
          maxLength: 40,
        }),
        (m, n, trip) => {
          const e = ObservedEntries.fromTriplets(
            m,
            n,
            trip.map((t) => t[0] % m),
            trip.map((t) => t[1] % n),
            trip.map((t) => t[2]),
          );
          for (const [idx, key, other, dim] of [
            [e.byRow(), e.row, e.col, m],
            [e.byColumn(), e.col, e.row, n],
          ] as const) {
            expect(idx.ptr[dim]).toBe(e.nnz);
            const seen = new Set<number>();
            for (let i = 0; i < dim; i++)
              for (let s = idx.ptr[i]!; s < idx.ptr[i + 1]!; s++) {
                const p = idx.entry[s]!;
                expect(key[p]).toBe(i);
                expect(other[p]).toBe(idx.other[s]);
                seen.add(p);
              }
            expect(seen.size).toBe(e.nnz);
          }
        },
      ),
      { numRuns: 60, seed: 1 },
    );
  });

  test('from COO / CSR and back', () => {
    const A = matrix([
      [1, 0, 2],
      [0, 3, 0],
    ]);
    const csr = CsrMatrix.fromDense(A);
    const e = ObservedEntries.fromSparse(csr);
    expect(e.nnz).toBe(3);
    expect(e.toCsr().toDense().toArray()).toEqual(A.toArray());
    const coo = new CooMatrix(2, 3, [1, 0], [1, 2], [3, 2]);
    const f = ObservedEntries.fromSparse(coo);
    expect(Array.from(f.values)).toEqual([3, 2]);
    expect(f.values).not.toBe(coo.values);
  });

  test('hostile inputs fail fast with codes', () => {
    const I = (a: number[]) => Int32Array.from(a);
    const F = (a: number[]) => Float64Array.from(a);
    const bad: [() => unknown, string][] = [
      [() => new ObservedEntries(2, 2, I([2]), I([0]), F([1])), 'INVALID_ARGUMENT'],
      [() => new ObservedEntries(2, 2, I([0]), I([-1]), F([1])), 'INVALID_ARGUMENT'],
      [() => new ObservedEntries(2, 2, I([0]), I([0, 1]), F([1])), 'SHAPE_MISMATCH'],
      [() => new ObservedEntries(2, 2, I([0]), I([0]), F([Number.NaN])), 'NON_FINITE'],
      [
        () => new ObservedEntries(2, 2, I([0]), I([0]), F([Number.POSITIVE_INFINITY])),
        'NON_FINITE',
      ],
      [() => new ObservedEntries(-1, 2, I([]), I([]), F([])), 'INVALID_ARGUMENT'],
      [
        () => new ObservedEntries(2, 2, [0] as unknown as Int32Array, I([0]), F([1])),
        'INVALID_ARGUMENT',
      ],
      [() => ObservedEntries.fromTriplets(2, 2, [0.5], [0], [1]), 'INVALID_ARGUMENT'],
      [() => ObservedEntries.fromSparse({} as CsrMatrix), 'INVALID_ARGUMENT'],
      [
        () => splitObserved(ObservedEntries.fromTriplets(1, 1, [0], [0], [1]), { testFraction: 1 }),
        'INVALID_ARGUMENT',
      ],
      [() => parseRatings('a,b,c\n1,2,x\n'), 'FORMAT'],
      [() => parseRatings('1,2\n'), 'FORMAT'],
      [() => parseRatings('u,i,r\n1,2,3\n', { ratingColumn: 'score' }), 'INVALID_ARGUMENT'],
    ];
    for (const [f, code] of bad) expect(f).toThrow(expect.objectContaining({ code }));
  });
});

describe('parseRatings', () => {
  test('maps arbitrary ids to dense indices; header auto-detected; quoted names', () => {
    const text = '"user","item","stars","ts"\nann,x,4,1\nbob,x,3,2\n\nann,"y",5,3\n';
    const { observed, userIds, itemIds, header } = parseRatings(text);
    expect(header).toEqual(['user', 'item', 'stars', 'ts']);
    expect(userIds).toEqual(['ann', 'bob']);
    expect(itemIds).toEqual(['x', 'y']);
    expect(Array.from(observed.row)).toEqual([0, 1, 0]);
    expect(Array.from(observed.col)).toEqual([0, 0, 1]);
    expect(Array.from(observed.values)).toEqual([4, 3, 5]);
    const byName = parseRatings(text, {
      userColumn: 'item',
      itemColumn: 'user',
      ratingColumn: 'ts',
    });
    expect(byName.observed.rows).toBe(2);
    expect(Array.from(byName.observed.values)).toEqual([1, 2, 3]);
    const noHeader = parseRatings('10\t20\t1.5\n11\t20\t2\n');
    expect(noHeader.header).toBeNull();
    expect(noHeader.observed.nnz).toBe(2);
  });
});

describe('splitObserved', () => {
  test('rejects input that is not ObservedEntries with INVALID_ARGUMENT', () => {
    for (const bad of [null, undefined, {}, [1, 2, 3]]) {
      expect(() => splitObserved(bad as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });

  test('disjoint, complete, deterministic, right size', () => {
    const n = 200;
    const e = ObservedEntries.fromTriplets(
      20,
      20,
      Array.from({ length: n }, (_, p) => p % 20),
      Array.from({ length: n }, (_, p) => Math.floor(p / 20) * 2),
      Array.from({ length: n }, (_, p) => p),
    );
    const { train, test: held } = splitObserved(e, { testFraction: 0.25, seed: 3 });
    expect(held.nnz).toBe(50);
    expect(train.nnz).toBe(150);
    const all = [...train.values, ...held.values].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, p) => p));
    const again = splitObserved(e, { testFraction: 0.25, seed: 3 });
    expect(again.test.values).toEqual(held.values);
    expect(splitObserved(e, { testFraction: 0.25, seed: 4 }).test.values).not.toEqual(held.values);
  });
});
