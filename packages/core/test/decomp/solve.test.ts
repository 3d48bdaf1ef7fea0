import {
  det,
  EPS,
  eye,
  inv,
  lu,
  luSolve,
  Matrix,
  matmul,
  randn,
  slogdet,
  solve,
  zeros,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { diffFro, fro, hilbert, maxAbsDiff } from '../helpers.js';
import { lowRank, snapshot, squareZoo, thrown } from './zoo.js';

/** ‖A·X − B‖_F / (‖A‖_F·‖X‖_F·n·ε): the backward-error ratio of a solve. */
function solveRatio(A: Matrix, X: Matrix, B: Matrix): number {
  const n = Math.max(A.rows, 1);
  const denom = fro(A) * fro(X) * n * EPS.float64;
  const r = diffFro(matmul(A, X), B);
  return denom === 0 ? (r === 0 ? 0 : Infinity) : r / denom;
}

function colVec(x: Float64Array): Matrix {
  return new Matrix(Float64Array.from(x), x.length, 1);
}

const nonsingular = squareZoo().filter(
  (c) => !['0×0', 'Hilbert 12', 'rank-3 6×6'].includes(c.name) && !lu(c.A).singular,
);

describe('solve', () => {
  it.each(nonsingular)(
    '$name: small backward error for a matrix and a vector right-hand side',
    ({ A }) => {
      const n = A.rows;
      const B = randn(n, 3, { seed: 5 });
      const before = [snapshot(A), snapshot(B)];
      const X = solve(A, B);
      expect([snapshot(A), snapshot(B)]).toEqual(before);
      expect(X).toBeInstanceOf(Matrix);
      expect([X.rows, X.cols]).toEqual([n, 3]);
      expect(solveRatio(A, X, B)).toBeLessThan(10);
      const b = B.colArray(0);
      const x = solve(A, b);
      expect(x).toBeInstanceOf(Float64Array);
      expect(solveRatio(A, colVec(x), colVec(b))).toBeLessThan(10);
    },
  );

  it('recovers a known solution with error bounded by κ·ε', () => {
    const A = Matrix.from([
      [4, -2, 1],
      [-2, 4, -2],
      [1, -2, 4],
    ]);
    const xTrue = new Float64Array([1, -2, 3]);
    const b = new Float64Array(3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) b[i] += A.get(i, j) * xTrue[j]!;
    const x = solve(A, b);
    for (let i = 0; i < 3; i++) expect(x[i]).toBeCloseTo(xTrue[i]!, 14);
    // Hilbert 8 (κ₂ ≈ 1.5e10): relative forward error ≲ κ·ε
    const H = hilbert(8);
    const xt = new Float64Array(8).fill(1);
    const hb = new Float64Array(8);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) hb[i] += H.get(i, j);
    const hx = solve(H, hb);
    let err = 0;
    for (let i = 0; i < 8; i++) err = Math.max(err, Math.abs(hx[i]! - xt[i]!));
    expect(err).toBeLessThan(1.5e10 * EPS.float64 * 100);
    expect(err).toBeGreaterThan(0); // it is genuinely ill-conditioned
  });

  it('accepts a Float32Array right-hand side and strided A', () => {
    const A = randn(6, 6, { seed: 3 }).T;
    const b = new Float32Array([1, 2, 3, 4, 5, 6]);
    const x = solve(A, b);
    expect(x).toBeInstanceOf(Float64Array);
    expect(solveRatio(A, colVec(x), colVec(Float64Array.from(b)))).toBeLessThan(10);
  });

  it('0×0 systems give empty answers', () => {
    expect(solve(zeros(0, 0), new Float64Array(0)).length).toBe(0);
    const X = solve(zeros(0, 0), zeros(0, 2));
    expect([X.rows, X.cols]).toEqual([0, 2]);
  });

  it('singular A → INVALID_ARGUMENT naming singularity', () => {
    for (const A of [
      Matrix.from([
        [1, 2],
        [2, 4],
      ]),
      zeros(3, 3),
    ]) {
      const e = thrown(() => solve(A, new Float64Array(A.rows)));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toMatch(/singular/);
    }
  });
});

describe('luSolve', () => {
  it('reuses one factorization for A·X = B and Aᵀ·X = B', () => {
    const A = randn(90, 90, { seed: 21 });
    const f = lu(A);
    const B = randn(90, 12, { seed: 22 });
    expect(solveRatio(A, luSolve(f, B), B)).toBeLessThan(10);
    const Xt = luSolve(f, B, { transpose: true });
    expect(solveRatio(A.T, Xt, B)).toBeLessThan(10);
    const b = B.colArray(3);
    expect(solveRatio(A.T, colVec(luSolve(f, b, { transpose: true })), colVec(b))).toBeLessThan(10);
    expect(maxAbsDiff(luSolve(f, B), solve(A, B))).toBe(0);
  });

  it('rejects singular, rectangular and malformed factors', () => {
    expect(
      thrown(() =>
        luSolve(
          lu(
            Matrix.from([
              [1, 2],
              [2, 4],
            ]),
          ),
          new Float64Array(2),
        ),
      ).code,
    ).toBe('INVALID_ARGUMENT');
    expect(thrown(() => luSolve(lu(randn(4, 3, { seed: 1 })), new Float64Array(4))).code).toBe(
      'SHAPE_MISMATCH',
    );
    const f = lu(randn(3, 3, { seed: 2 }));
    expect(
      thrown(() => luSolve({ ...f, perm: new Int32Array([0, 0, 1]) }, new Float64Array(3))).code,
    ).toBe('INVALID_ARGUMENT');
    expect(thrown(() => luSolve(null as never, new Float64Array(3))).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => luSolve(f, new Float64Array(4))).code).toBe('SHAPE_MISMATCH');
  });
});

describe('det and slogdet', () => {
  it('known values', () => {
    expect(
      det(
        Matrix.from([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBeCloseTo(-2, 14);
    expect(det(eye(7))).toBe(1);
    expect(det(zeros(0, 0))).toBe(1);
    expect(det(Matrix.from([[-3]]))).toBe(-3);
    expect(
      det(
        Matrix.from([
          [0, 1],
          [1, 0],
        ]),
      ),
    ).toBe(-1);
    expect(
      det(
        Matrix.from([
          [2, 1, 7],
          [0, 3, 5],
          [0, 0, -4],
        ]),
      ),
    ).toBeCloseTo(-24, 13);
    // Vandermonde: ∏_{i<j} (x_j − x_i) for x = 1, 2, 3, 4 = 1·2·3·1·2·1 = 12
    const V = Matrix.from([1, 2, 3, 4].map((x) => [1, x, x * x, x * x * x]));
    expect(det(V)).toBeCloseTo(12, 11);
  });

  it('det of a product is the product of dets', () => {
    for (const n of [3, 10, 60]) {
      const A = randn(n, n, { seed: n });
      const B = randn(n, n, { seed: n + 100 });
      const dAB = det(matmul(A, B));
      expect(Math.abs(dAB - det(A) * det(B)) / Math.abs(dAB)).toBeLessThan(1e4 * n * EPS.float64);
      expect(det(A.T) / det(A)).toBeCloseTo(1, 10);
    }
  });

  it('singular matrices give 0 (never throw)', () => {
    expect(
      det(
        Matrix.from([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toBe(0);
    expect(det(zeros(5, 5))).toBe(0);
    expect(slogdet(zeros(5, 5))).toEqual({ sign: 0, logAbsDet: -Infinity });
    // numerically but not exactly singular: tiny relative to ‖A‖
    expect(Math.abs(det(lowRank(6, 6, 3, 4)))).toBeLessThan(1e-10);
  });

  it('slogdet survives where det overflows', () => {
    const A = eye(400);
    for (let i = 0; i < 400; i++) A.set(i, i, i % 2 === 0 ? 100 : -100);
    expect(det(A)).toBe(Infinity);
    const { sign, logAbsDet } = slogdet(A);
    expect(sign).toBe(1);
    expect(logAbsDet).toBeCloseTo(800 * Math.log(10), 9);
    const B = randn(30, 30, { seed: 3 });
    const s = slogdet(B);
    const d = det(B);
    expect(Math.abs(s.sign * Math.exp(s.logAbsDet) - d) / Math.abs(d)).toBeLessThan(1e-12);
    expect(slogdet(zeros(0, 0))).toEqual({ sign: 1, logAbsDet: 0 });
  });
});

describe('inv', () => {
  it('known inverse', () => {
    const X = inv(
      Matrix.from([
        [4, 7],
        [2, 6],
      ]),
    );
    expect(
      maxAbsDiff(
        X,
        Matrix.from([
          [0.6, -0.7],
          [-0.2, 0.4],
        ]),
      ),
    ).toBeLessThan(1e-15);
    expect(inv(zeros(0, 0)).rows).toBe(0);
  });

  it.each(nonsingular)('$name: ‖inv(A)·A − I‖ ≲ κ(A)·n·ε', ({ A }) => {
    const n = A.rows;
    const before = snapshot(A);
    const X = inv(A);
    expect(snapshot(A)).toEqual(before);
    const kappa = fro(A) * fro(X); // Frobenius-norm condition number
    const err = diffFro(matmul(X, A), eye(n));
    expect(err / (kappa * n * EPS.float64)).toBeLessThan(10);
  });

  it('singular A → INVALID_ARGUMENT', () => {
    const e = thrown(() =>
      inv(
        Matrix.from([
          [1, 2],
          [2, 4],
        ]),
      ),
    );
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/singular/);
  });
});
