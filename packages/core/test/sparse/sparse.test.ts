import {
  applyOperator,
  CooMatrix,
  CsrMatrix,
  csrOperator,
  gemv,
  Matrix,
  matmul,
  spmm,
  spmmT,
  spmv,
  spmvT,
  zeros,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOSTILE_NUMBERS, maxAbsDiff } from '../helpers.js';
import { arbLayout, codeOf, makeMatrix, seededValues, smallValue, toNested } from '../ops/arb.js';

interface Triplets {
  m: number;
  n: number;
  row: number[];
  col: number[];
  val: number[];
}

// random COO triplets, in random order, with duplicates likely (few distinct positions)
const arbTriplets: fc.Arbitrary<Triplets> = fc
  .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }))
  .chain(([m, n]) => {
    const entry =
      m === 0 || n === 0
        ? fc.constant(null)
        : fc.tuple(
            fc.integer({ min: 0, max: m - 1 }),
            fc.integer({ min: 0, max: n - 1 }),
            smallValue,
          );
    return fc.array(entry, { maxLength: m === 0 || n === 0 ? 0 : 30 }).map((es) => {
      const t: Triplets = { m, n, row: [], col: [], val: [] };
      for (const e of es) {
        if (!e) continue;
        t.row.push(e[0]);
        t.col.push(e[1]);
        t.val.push(e[2]);
      }
      return t;
    });
  });

function denseOf(t: Triplets): number[][] {
  const D = Array.from({ length: t.m }, () => new Array<number>(t.n).fill(0));
  t.row.forEach((i, k) => {
    D[i]![t.col[k]!]! += t.val[k]!;
  });
  return D;
}

const coo = (t: Triplets): CooMatrix =>
  new CooMatrix(t.m, t.n, Int32Array.from(t.row), Int32Array.from(t.col), Float64Array.from(t.val));

// A CSR matrix whose rows hold unsorted, repeated column indices (valid, as in scipy).
function unsortedCsr(t: Triplets): CsrMatrix {
  const perRow: [number, number][][] = Array.from({ length: t.m }, () => []);
  for (const [k, i] of t.row.entries()) perRow[i]!.push([t.col[k]!, t.val[k]!]);
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of perRow) {
    for (const [j, v] of r.reverse()) {
      indices.push(j);
      values.push(v);
    }
    indptr.push(indices.length);
  }
  return new CsrMatrix(t.m, t.n, indptr, indices, values);
}

describe('CooMatrix', () => {
  it('sums duplicates and sorts indices when converting to CSR', () => {
    fc.assert(
      fc.property(arbTriplets, (t) => {
        const A = coo(t);
        expect(A.nnz).toBe(t.val.length);
        const C = A.toCsr();
        expect(C.sortedIndices).toBe(true);
        for (let i = 0; i < C.rows; i++) {
          for (let k = C.indptr[i]! + 1; k < C.indptr[i + 1]!; k++)
            expect(C.indices[k]!).toBeGreaterThan(C.indices[k - 1]!);
        }
        const distinct = new Set(t.row.map((i, k) => i * 8 + t.col[k]!)).size;
        expect(C.nnz).toBe(distinct);
        const D = denseOf(t);
        expect(toNested(C.toDense())).toEqual(D);
        expect(toNested(A.toDense())).toEqual(D);
        expect(toNested(A.transpose().toDense())).toEqual(toNested(A.toDense().T));
        for (let i = 0; i < t.m; i++)
          for (let j = 0; j < t.n; j++) expect(C.get(i, j)).toBe(D[i]![j]!);
      }),
      { seed: 10, numRuns: 150 },
    );
  });

  it('example with duplicates and explicit zeros', () => {
    const A = new CooMatrix(2, 3, [1, 0, 1, 0, 1], [2, 1, 0, 1, 2], [1, 2, 3, 4, -1]);
    const C = A.toCsr();
    expect(Array.from(C.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(C.indices)).toEqual([1, 0, 2]);
    expect(Array.from(C.values)).toEqual([6, 3, 0]); // (1,2): 1 − 1 = 0 stays stored
    expect(A.toDense('float32').dtype).toBe('float32');
    expect(A.toDense().toArray()).toEqual([
      [0, 6, 0],
      [3, 0, 0],
    ]);
  });

  it('builds from dense views with a drop tolerance', () => {
    const A = makeMatrix(
      [
        [1, 1e-9, 0],
        [0, -2, 3e-3],
      ],
      3,
      'T',
    );
    const C = CooMatrix.fromDense(A, { tol: 1e-6 });
    expect(C.nnz).toBe(3);
    expect(C.toDense().toArray()).toEqual([
      [1, 0, 0],
      [0, -2, 3e-3],
    ]);
  });

  it('validates its arrays', () => {
    expect(codeOf(() => new CooMatrix(2, 2, [0, 1], [0], [1, 2]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => new CooMatrix(2, 2, [0], [0], [1, 2]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => new CooMatrix(2, 2, [2], [0], [1]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new CooMatrix(2, 2, [0], [-1], [1]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new CooMatrix(2, 2, [0.5], [0], [1]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new CooMatrix(2, 2, [0], [0], ['1' as unknown as number]))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => new CooMatrix(2, 2, 'ab' as unknown as number[], [0], [1]))).toBe(
      'INVALID_ARGUMENT',
    );
    for (const bad of HOSTILE_NUMBERS) {
      if (typeof bad === 'number' && Number.isSafeInteger(bad) && bad >= 0) continue;
      expect(codeOf(() => new CooMatrix(bad as number, 2, [], [], []))).toBe('INVALID_ARGUMENT');
    }
    // typed arrays of the right type are stored, not copied
    const r = new Int32Array([0]);
    expect(new CooMatrix(1, 1, r, new Int32Array([0]), new Float64Array([1])).row).toBe(r);
  });
});

describe('CsrMatrix', () => {
  it('validates its structure', () => {
    expect(codeOf(() => new CsrMatrix(2, 2, [0, 1], [0], [1]))).toBe('SHAPE_MISMATCH'); // indptr too short
    expect(codeOf(() => new CsrMatrix(2, 2, [0, 1, 1], [0], [1, 2]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => new CsrMatrix(2, 2, [0, 1, 3], [0, 1], [1, 2]))).toBe('SHAPE_MISMATCH'); // indptr[rows] ≠ nnz
    expect(codeOf(() => new CsrMatrix(2, 2, [1, 1, 2], [0, 1], [1, 2]))).toBe('INVALID_ARGUMENT'); // indptr[0] ≠ 0
    expect(codeOf(() => new CsrMatrix(3, 2, [0, 2, 1, 2], [0, 1], [1, 2]))).toBe(
      'INVALID_ARGUMENT',
    ); // decreasing
    expect(codeOf(() => new CsrMatrix(2, 2, [0, 1, 2], [0, 2], [1, 2]))).toBe('INVALID_ARGUMENT'); // column 2 of 2
    expect(codeOf(() => new CsrMatrix(2, 2, [0, 1, 2], [0, -1], [1, 2]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new CsrMatrix(-1, 2, [0], [], []))).toBe('INVALID_ARGUMENT');
    expect(new CsrMatrix(0, 0, [0], [], []).nnz).toBe(0);
  });

  it('get, toDense, transpose and norms agree with the dense matrix (sorted and unsorted indices)', () => {
    fc.assert(
      fc.property(arbTriplets, (t) => {
        const D = denseOf(t);
        for (const C of [coo(t).toCsr(), unsortedCsr(t)]) {
          expect(toNested(C.toDense())).toEqual(D);
          for (let i = 0; i < t.m; i++)
            for (let j = 0; j < t.n; j++) expect(C.get(i, j)).toBe(D[i]![j]!);
          const T = C.transpose();
          // transposing sorts the indices; only repeated (i, j) entries stay as repeats
          const distinct = new Set(t.row.map((i, k) => i * 8 + t.col[k]!)).size;
          if (C.nnz === distinct) expect(T.sortedIndices).toBe(true);
          expect(toNested(T.toDense())).toEqual(toNested(C.toDense().T));
          const rn = C.rowNorms();
          for (const [i, r] of D.entries()) expect(rn[i]).toBeCloseTo(Math.hypot(...r), 12);
          const cn = C.colNorms();
          for (let j = 0; j < t.n; j++)
            expect(cn[j]).toBeCloseTo(Math.hypot(...D.map((r) => r[j]!)), 12);
        }
      }),
      { seed: 11, numRuns: 120 },
    );
  });

  it('fromDense round-trips any view and drops |a| ≤ tol', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        arbLayout,
        fc.integer(),
        (m, n, layout, seed) => {
          const vals = seededValues(m, n, seed).map((r) =>
            r.map((v) => (Math.abs(v) < 0.2 ? 0 : v)),
          );
          const A = makeMatrix(vals, n, layout);
          const C = CsrMatrix.fromDense(A);
          expect(C.nnz).toBe(vals.flat().filter((v) => v !== 0).length);
          expect(toNested(C.toDense())).toEqual(vals);
          const big = CsrMatrix.fromDense(A, { tol: 0.35 });
          expect(toNested(big.toDense())).toEqual(
            vals.map((r) => r.map((v) => (Math.abs(v) <= 0.35 ? 0 : v))),
          );
        },
      ),
      { seed: 12, numRuns: 80 },
    );
    expect(codeOf(() => CsrMatrix.fromDense(zeros(2, 2), { tol: -1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => CsrMatrix.fromDense(zeros(2, 2), { tol: Number.NaN }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => CsrMatrix.fromDense([[1]] as unknown as Matrix))).toBe('INVALID_ARGUMENT');
  });

  it('get checks its indices', () => {
    const C = new CsrMatrix(2, 3, [0, 1, 2], [2, 0], [5, 6]);
    expect(C.get(0, 2)).toBe(5);
    expect(C.get(1, 1)).toBe(0);
    expect(codeOf(() => C.get(2, 0))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => C.get(0, 3))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => C.get(0, 0.5))).toBe('INVALID_ARGUMENT');
  });
});

describe('sparse products', () => {
  it('spmv, spmvT, spmm, spmmT and csrOperator match dense products', () => {
    fc.assert(
      fc.property(
        arbTriplets,
        arbLayout,
        fc.integer({ min: 0, max: 4 }),
        fc.integer(),
        (t, layout, k, seed) => {
          const Dd = makeMatrix(denseOf(t), t.n, 'c');
          const x = Float64Array.from(seededValues(1, t.n, seed)[0] ?? []);
          const y = Float64Array.from(seededValues(1, t.m, seed + 1)[0] ?? []);
          const B = makeMatrix(seededValues(t.n, k, seed + 2), k, layout);
          const Bt = makeMatrix(seededValues(t.m, k, seed + 3), k, layout);
          for (const C of [coo(t).toCsr(), unsortedCsr(t)]) {
            const tol = 1e-13;
            expect(maxDiff(spmv(C, x), gemv(Dd, x))).toBeLessThan(tol);
            expect(maxDiff(spmvT(C, y), gemv(Dd, y, { trans: true }))).toBeLessThan(tol);
            const P = spmm(C, B);
            expect(P.shape).toEqual([t.m, k]);
            expect(maxAbsDiff(P, matmul(Dd, B))).toBeLessThan(tol);
            expect(maxAbsDiff(spmmT(C, Bt), matmul(Dd.T, Bt))).toBeLessThan(tol);
            const op = csrOperator(C);
            expect([op.rows, op.cols]).toEqual([t.m, t.n]);
            expect(maxDiff(op.matvec(x), gemv(Dd, x))).toBeLessThan(tol);
            expect(maxDiff(op.rmatvec(y), gemv(Dd, y, { trans: true }))).toBeLessThan(tol);
            expect(maxAbsDiff(applyOperator(op, B), matmul(Dd, B))).toBeLessThan(tol);
            expect(maxAbsDiff(applyOperator(op, Bt, true), matmul(Dd.T, Bt))).toBeLessThan(tol);
          }
        },
      ),
      { seed: 13, numRuns: 120 },
    );
  });

  it('take float32 vectors and plain arrays', () => {
    const C = new CooMatrix(2, 2, [0, 1, 1], [1, 0, 1], [2, 3, 4]).toCsr();
    expect(Array.from(spmv(C, new Float32Array([1, 2])))).toEqual([4, 11]);
    expect(Array.from(spmv(C, [1, 2]))).toEqual([4, 11]);
    expect(Array.from(spmvT(C, [1, 2]))).toEqual([6, 10]);
    expect(spmm(C, Matrix.from([[1], [2]], 'float32')).toArray()).toEqual([[4], [11]]);
  });

  it('reject shape mismatches and non-CSR input', () => {
    const C = new CsrMatrix(2, 3, [0, 1, 2], [2, 0], [5, 6]);
    expect(codeOf(() => spmv(C, new Float64Array(2)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => spmvT(C, new Float64Array(3)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => spmm(C, zeros(2, 2)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => spmmT(C, zeros(3, 2)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => spmv(C, ['a', 'b', 'c'] as unknown as number[]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => spmv(zeros(2, 3) as unknown as CsrMatrix, new Float64Array(3)))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => csrOperator({} as CsrMatrix))).toBe('INVALID_ARGUMENT');
    const op = csrOperator(C);
    expect(codeOf(() => op.matvec(new Float64Array(2)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => op.rmatvec(new Float64Array(3)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => op.matmat?.(zeros(2, 1)))).toBe('SHAPE_MISMATCH');
  });
});

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(x.length).toBe(y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}
