// One table of hostile inputs thrown at every public decomposition function.

import {
  cholesky,
  choleskySolve,
  det,
  eye,
  inv,
  ldu,
  lu,
  luSolve,
  Matrix,
  qr,
  randn,
  rq,
  slogdet,
  solve,
  solveTriangular,
  tensorZeros,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { snapshot, thrown } from './zoo.js';

type Fn = (A: Matrix) => unknown;

const withNaN = (n = 3, bad = Number.NaN) => {
  const A = eye(n).clone();
  A.set(n - 1, n - 1, bad);
  return A;
};

/** Functions of one matrix, and whether they need a square one. */
const unary: { name: string; fn: Fn; square: boolean }[] = [
  { name: 'qr', fn: (A) => qr(A), square: false },
  { name: 'qr pivoting', fn: (A) => qr(A, { pivoting: true }), square: false },
  { name: 'rq', fn: (A) => rq(A), square: false },
  { name: 'lu', fn: (A) => lu(A), square: false },
  { name: 'ldu', fn: (A) => ldu(A), square: false },
  { name: 'det', fn: (A) => det(A), square: true },
  { name: 'slogdet', fn: (A) => slogdet(A), square: true },
  { name: 'inv', fn: (A) => inv(A), square: true },
  { name: 'cholesky', fn: (A) => cholesky(A), square: true },
  { name: 'solve(A, b)', fn: (A) => solve(A, new Float64Array(3)), square: true },
  {
    name: 'solveTriangular(A, b)',
    fn: (A) => solveTriangular(A, new Float64Array(3), { lower: true }),
    square: true,
  },
  { name: 'choleskySolve(A, b)', fn: (A) => choleskySolve(A, new Float64Array(3)), square: true },
];

const notMatrices: unknown[] = [
  null,
  undefined,
  3,
  'A',
  [
    [1, 2],
    [3, 4],
  ],
  {},
  new Float64Array(4),
  tensorZeros([2, 2, 2]),
];

describe.each(unary)('$name', ({ fn, square }) => {
  it('NaN / ±Infinity in A → NON_FINITE', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      expect(thrown(() => fn(withNaN(3, bad))).code).toBe('NON_FINITE');
    }
  });

  it('non-Matrix A → INVALID_ARGUMENT (or SHAPE_MISMATCH for a 3-d tensor)', () => {
    for (const v of notMatrices) {
      const code = thrown(() => fn(v as Matrix)).code;
      expect(code, String(v)).toBe(
        v instanceof Object && 'ndim' in (v as object) ? 'SHAPE_MISMATCH' : 'INVALID_ARGUMENT',
      );
    }
  });

  if (square) {
    it('non-square A → SHAPE_MISMATCH', () => {
      expect(thrown(() => fn(randn(3, 4, { seed: 1 }))).code).toBe('SHAPE_MISMATCH');
    });
  }

  it('does not mutate A', () => {
    // symmetric and diagonally dominant, so every function (cholesky included) succeeds;
    // a transposed view checks that shared storage is left alone too
    const G = randn(3, 3, { seed: 2 });
    const S = G.clone();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) S.set(i, j, (G.get(i, j) + G.get(j, i)) / 2 + (i === j ? 10 : 0));
    }
    const before = snapshot(S);
    fn(S.T);
    expect(snapshot(S)).toEqual(before);
  });
});

describe('right-hand sides and options', () => {
  const A = eye(3);
  const solvers: { name: string; fn: (B: unknown) => unknown }[] = [
    { name: 'solve', fn: (B) => solve(A, B as Matrix) },
    { name: 'luSolve', fn: (B) => luSolve(lu(A), B as Matrix) },
    { name: 'solveTriangular', fn: (B) => solveTriangular(A, B as Matrix) },
    { name: 'choleskySolve', fn: (B) => choleskySolve(A, B as Matrix) },
  ];
  it.each(solvers)('$name: bad B gets the right code; B is not mutated', ({ fn }) => {
    expect(thrown(() => fn(new Float64Array(4))).code).toBe('SHAPE_MISMATCH');
    expect(thrown(() => fn(randn(4, 2, { seed: 1 }))).code).toBe('SHAPE_MISMATCH');
    expect(thrown(() => fn(new Float64Array([1, Number.NaN, 3]))).code).toBe('NON_FINITE');
    expect(thrown(() => fn(Matrix.from([[1], [Infinity], [3]]))).code).toBe('NON_FINITE');
    expect(thrown(() => fn([1, 2, 3])).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => fn(null)).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => fn(new Int32Array(3))).code).toBe('INVALID_ARGUMENT');
    const B = randn(3, 2, { seed: 3 });
    const b = new Float64Array([1, 2, 3]);
    const before = [snapshot(B), snapshot(b)];
    const X = fn(B) as Matrix;
    const x = fn(b) as Float64Array;
    expect([snapshot(B), snapshot(b)]).toEqual(before);
    expect(X).toBeInstanceOf(Matrix);
    expect(x).toBeInstanceOf(Float64Array);
    expect(x).not.toBe(b);
  });

  it('bad options → INVALID_ARGUMENT', () => {
    const M = randn(4, 3, { seed: 1 });
    const bad: (() => unknown)[] = [
      () => qr(M, { mode: 'economic' as never }),
      () => qr(M, { pivoting: 'yes' as never }),
      () => qr(M, { tolerance: -1 }),
      () => qr(M, { tolerance: Number.NaN }),
      () => qr(M, 5 as never),
      () => qr(M, [] as never),
      () => cholesky(eye(2), { lower: 1 as never }),
      () => solveTriangular(eye(2), new Float64Array(2), { transpose: 'no' as never }),
      () => solveTriangular(eye(2), new Float64Array(2), { unitDiagonal: null as never }),
      () => choleskySolve(eye(2), new Float64Array(2), { lower: 0 as never }),
      () => luSolve(lu(eye(2)), new Float64Array(2), { transpose: 1 as never }),
    ];
    for (const f of bad) expect(thrown(f).code).toBe('INVALID_ARGUMENT');
  });

  it('messages name the argument and what was found', () => {
    expect(thrown(() => qr(withNaN())).message).toMatch(
      /^A: expected finite values, found NaN at \(2, 2\)/,
    );
    expect(thrown(() => solve(randn(2, 3, { seed: 1 }), new Float64Array(2))).message).toMatch(
      /A: expected a square matrix.*\[2, 3\]/,
    );
    expect(thrown(() => solve(eye(2), new Float64Array(3))).message).toMatch(
      /B: .*length 2.*length 3/,
    );
    expect(thrown(() => qr(eye(2), { mode: 'x' as never })).message).toMatch(/options\.mode/);
  });
});
