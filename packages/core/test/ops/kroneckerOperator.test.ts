import {
  abs,
  applyOperator,
  EPS,
  gemv,
  kron,
  kroneckerOperator,
  Matrix,
  matmul,
  randn,
  zeros,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../helpers.js';
import { arbLayout, arbValues, codeOf, makeMatrix, seededValues } from './arb.js';

const arbFactor = fc
  .tuple(arbValues(1, 4), arbLayout)
  .map(([v, layout]) => makeMatrix(v.vals, v.n, layout));

function randVec(n: number, seed: number): Float64Array {
  return Float64Array.from(seededValues(1, n, seed)[0]!);
}

// tolerance for a computed product against a reference: 64·ε·max(|D|·|x|) (the rounding
// bound of a dot product scales with the magnitudes summed, not with the result)
function tolFor(D: Matrix, x: ArrayLike<number>): number {
  return 64 * EPS.float64 * Math.max(1e-300, ...gemv(abs(D), Float64Array.from(x, Math.abs)));
}

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(x.length).toBe(y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

describe('kroneckerOperator', () => {
  it('matvec, rmatvec, matmat and rmatmat agree with the dense Kronecker product', () => {
    fc.assert(
      fc.property(
        fc.array(arbFactor, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 99 }),
        (factors, seed) => {
          const K = kroneckerOperator(factors);
          let D = factors[0]!;
          for (let i = 1; i < factors.length; i++) D = kron(D, factors[i]!);
          expect([K.rows, K.cols]).toEqual([D.rows, D.cols]);
          const x = randVec(K.cols, seed);
          const y = randVec(K.rows, seed + 1);
          expect(maxDiff(K.matvec(x), gemv(D, x))).toBeLessThanOrEqual(tolFor(D, x));
          expect(maxDiff(K.rmatvec(y), gemv(D, y, { trans: true }))).toBeLessThanOrEqual(
            tolFor(D.T, y),
          );
          const X = makeMatrix(seededValues(K.cols, 3, seed + 2), 3, 'T');
          const Y = makeMatrix(seededValues(K.rows, 2, seed + 3), 2, 'step');
          // |X| entries are < 1/2, so tolFor with a vector of ones bounds every column
          expect(maxAbsDiff(K.matmat(X), matmul(D, X))).toBeLessThanOrEqual(
            tolFor(D, new Float64Array(K.cols).fill(1)),
          );
          expect(maxAbsDiff(K.rmatmat(Y), matmul(D.T, Y))).toBeLessThanOrEqual(
            tolFor(D.T, new Float64Array(K.rows).fill(1)),
          );
          expect(maxAbsDiff(K.toDense(), D)).toBe(0);
        },
      ),
      { seed: 8, numRuns: 80 },
    );
  });

  it('implements the vec trick: (A ⊗ B)·vec(X) = vec(A·X·Bᵀ) in row-major order', () => {
    const A = randn(3, 4, { seed: 1 });
    const B = randn(5, 2, { seed: 2 });
    const X = randn(4, 2, { seed: 3 });
    const lhs = kroneckerOperator([A, B]).matvec(X.toFloat64Array() as Float64Array);
    const rhs = matmul(matmul(A, X), B.T).toFloat64Array();
    expect(maxDiff(lhs, rhs)).toBeLessThan(1e-13);
  });

  it('applies products far too large to form: columns of A ⊗ B ⊗ C for 40×40 factors (N = 64000)', () => {
    // the dense product would hold 64000² doubles (33 GB)
    const A = randn(40, 40, { seed: 4 });
    const B = randn(40, 40, { seed: 5 }).T;
    const C = randn(41, 40, { seed: 6 }).block(1, 0, 40, 40);
    const K = kroneckerOperator([A, B, C]);
    expect(K.cols).toBe(64000);
    for (const [j1, j2, j3] of [
      [0, 0, 0],
      [5, 39, 17],
      [39, 1, 38],
    ] as const) {
      const e = new Float64Array(K.cols);
      e[(j1 * 40 + j2) * 40 + j3] = 1;
      const col = K.matvec(e);
      // column (j1, j2, j3) of A ⊗ B ⊗ C is a_{:,j1} ⊗ b_{:,j2} ⊗ c_{:,j3}
      const ref = kron(kron(A.col(j1), B.col(j2)), C.col(j3));
      expect(maxDiff(col, ref.toFloat64Array())).toBeLessThan(1e-12);
      const row = K.rmatvec(e);
      const refRow = kron(kron(A.row(j1), B.row(j2)), C.row(j3));
      expect(maxDiff(row, refRow.toFloat64Array())).toBeLessThan(1e-12);
    }
  });

  it('accepts Float32Array vectors and works through applyOperator', () => {
    const K = kroneckerOperator([
      Matrix.from(
        [
          [1, 2],
          [3, 4],
        ],
        'float32',
      ),
      Matrix.from([
        [0, 1],
        [1, 0],
      ]),
    ]);
    const y = K.matvec(new Float32Array([1, 0, 0, 0]));
    expect(Array.from(y)).toEqual([0, 1, 0, 3]);
    const X = Matrix.from([[1], [0], [0], [0]]);
    expect(applyOperator(K, X).toArray()).toEqual([[0], [1], [0], [3]]);
    expect(applyOperator(K, X, true).toArray()).toEqual([[0], [1], [0], [2]]);
  });

  it('copies the factors, so later writes to them do not change the operator', () => {
    const A = Matrix.from([
      [1, 2],
      [3, 4],
    ]);
    const K = kroneckerOperator([A, A]);
    const before = K.matvec(new Float64Array([1, 1, 1, 1]));
    A.set(0, 0, 100);
    expect(Array.from(K.matvec(new Float64Array([1, 1, 1, 1])))).toEqual(Array.from(before));
  });

  it('handles empty factors', () => {
    const K = kroneckerOperator([zeros(2, 0), zeros(3, 3)]);
    expect([K.rows, K.cols]).toEqual([6, 0]);
    expect(Array.from(K.matvec(new Float64Array(0)))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(K.rmatvec(new Float64Array(6)).length).toBe(0);
  });

  it('rejects bad input', () => {
    expect(codeOf(() => kroneckerOperator([]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => kroneckerOperator(zeros(2, 2) as unknown as Matrix[]))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => kroneckerOperator([zeros(2, 2), 'x' as unknown as Matrix]))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => kroneckerOperator([Matrix.from([[1, NaN]])]))).toBe('NON_FINITE');
    const K = kroneckerOperator([zeros(2, 3), zeros(2, 2)]);
    expect(codeOf(() => K.matvec(new Float64Array(5)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => K.rmatvec(new Float64Array(6)))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => K.matvec([1, 2, 3, 4, 5, 6] as unknown as Float64Array))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => K.matmat(zeros(5, 2)))).toBe('SHAPE_MISMATCH');
  });
});
