import { Matrix } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { costMatrix } from '../src/costMatrix.js';
import { emd } from '../src/emd.js';
import { sinkhorn } from '../src/sinkhorn.js';
import { sinkhornGrid } from '../src/sinkhornGrid.js';
import { sinkhornNewtonSparse } from '../src/sinkhornNewtonSparse.js';
import { wasserstein } from '../src/wasserstein.js';
import { wasserstein1d } from '../src/wasserstein1d.js';
import { randomCost } from './helpers.js';

const M = Matrix.from([
  [0, 1, 2],
  [1, 0, 1],
]);
const a = [0.5, 0.5];
const b = [0.2, 0.3, 0.5];
const code = (c: string) => expect.objectContaining({ code: c });

// every dense solver takes (a, b, M, options)
const solvers: [string, (a: unknown, b: unknown, M: unknown, o?: object) => unknown][] = [
  [
    'sinkhorn',
    (x, y, C, o) => sinkhorn(x as number[], y as number[], C as Matrix, { reg: 0.1, ...o }),
  ],
  [
    'sinkhorn log',
    (x, y, C, o) =>
      sinkhorn(x as number[], y as number[], C as Matrix, { reg: 0.1, method: 'log', ...o }),
  ],
  [
    'sinkhorn stabilized',
    (x, y, C, o) =>
      sinkhorn(x as number[], y as number[], C as Matrix, { reg: 0.1, method: 'stabilized', ...o }),
  ],
  [
    'sinkhornNewtonSparse',
    (x, y, C, o) =>
      sinkhornNewtonSparse(x as number[], y as number[], C as Matrix, { reg: 0.1, ...o }),
  ],
  ['emd', (x, y, C, o) => emd(x as number[], y as number[], C as Matrix, o)],
  ['wasserstein', (x, y, C, o) => wasserstein(x as number[], y as number[], C as Matrix, o)],
];

describe.each(solvers)('%s: hostile inputs', (_name, solve) => {
  it('accepts the valid problem', () => {
    expect(() => solve(a, b, M)).not.toThrow();
  });
  it.each([
    ['negative mass', [1.5, -0.5], b, M, 'INVALID_ARGUMENT'],
    ['unequal total mass', [0.5, 0.6], b, M, 'INVALID_ARGUMENT'],
    ['zero total mass', [0, 0], [0, 0, 0], M, 'INVALID_ARGUMENT'],
    ['a of the wrong length', [1 / 3, 1 / 3, 1 / 3], b, M, 'SHAPE_MISMATCH'],
    ['b of the wrong length', a, [0.5, 0.5], M, 'SHAPE_MISMATCH'],
    ['NaN in a', [Number.NaN, 0.5], b, M, 'NON_FINITE'],
    ['Infinity in b', a, [Infinity, 0, 0], M, 'NON_FINITE'],
    [
      'NaN in M',
      a,
      b,
      Matrix.from([
        [0, Number.NaN, 2],
        [1, 0, 1],
      ]),
      'NON_FINITE',
    ],
    [
      'M not a matrix',
      a,
      b,
      [
        [0, 1, 2],
        [1, 0, 1],
      ],
      'INVALID_ARGUMENT',
    ],
    ['a not an array', 'ab', b, M, 'INVALID_ARGUMENT'],
    ['a string entry', [0.5, '0.5'], b, M, 'INVALID_ARGUMENT'],
    ['empty M', [], [], new Matrix(new Float64Array(0), 0, 3), 'SHAPE_MISMATCH'],
  ])('%s → %s', (_what, x, y, C, c) => {
    expect(() => solve(x, y, C)).toThrow(code(c as string));
  });
  it('an already aborted signal → ABORTED', () => {
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => solve(a, b, M, { signal: ctrl.signal })).toThrow(code('ABORTED'));
  });
});

describe('option validation', () => {
  it('a non-object options argument → INVALID_ARGUMENT', () => {
    const bad = 5 as never;
    expect(() => sinkhorn(a, b, M, bad)).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sinkhornNewtonSparse(a, b, M, bad)).toThrow(code('INVALID_ARGUMENT'));
    expect(() => emd(a, b, M, bad)).toThrow(code('INVALID_ARGUMENT'));
    expect(() => wasserstein(a, b, M, bad)).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sinkhornGrid(M, M, bad)).toThrow(code('INVALID_ARGUMENT'));
  });
  it('reg is required and must be positive', () => {
    expect(() => sinkhorn(a, b, M, {} as { reg: number })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sinkhorn(a, b, M, { reg: 0 })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sinkhorn(a, b, M, { reg: Number.NaN })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sinkhornNewtonSparse(a, b, M, { reg: -1 })).toThrow(code('INVALID_ARGUMENT'));
  });
  it('unknown method, bad counts, bad warm start', () => {
    expect(() => sinkhorn(a, b, M, { reg: 1, method: 'fast' as 'log' })).toThrow(
      code('INVALID_ARGUMENT'),
    );
    expect(() => sinkhorn(a, b, M, { reg: 1, numItermax: 1.5 })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sinkhorn(a, b, M, { reg: 1, checkEvery: 0 })).toThrow(code('INVALID_ARGUMENT'));
    // a warm start of the wrong length is a shape error (it was INVALID_ARGUMENT)
    expect(() => sinkhorn(a, b, M, { reg: 1, warmstart: { f: [0], g: [0, 0, 0] } })).toThrow(
      code('SHAPE_MISMATCH'),
    );
    expect(() => sinkhornNewtonSparse(a, b, M, { reg: 1, sparsity: 2 })).toThrow(
      code('INVALID_ARGUMENT'),
    );
    expect(() => costMatrix(M, M, { metric: 'cosine' as 'euclidean' })).toThrow(
      code('INVALID_ARGUMENT'),
    );
    expect(() => costMatrix(M, Matrix.from([[1, 2]]))).toThrow(code('SHAPE_MISMATCH'));
  });
  it('sinkhornGrid: mismatched grids, negative pixels, NaN', () => {
    const A = Matrix.from([[0.5, 0.5]]);
    expect(() => sinkhornGrid(A, Matrix.from([[0.5], [0.5]]), { reg: 1 })).toThrow(
      code('SHAPE_MISMATCH'),
    );
    expect(() => sinkhornGrid(A, Matrix.from([[1.5, -0.5]]), { reg: 1 })).toThrow(
      code('INVALID_ARGUMENT'),
    );
    expect(() => sinkhornGrid(A, Matrix.from([[Number.NaN, 1]]), { reg: 1 })).toThrow(
      code('NON_FINITE'),
    );
    expect(() => sinkhornGrid(A, A, { reg: 1, method: 'fft' as 'log' })).toThrow(
      code('INVALID_ARGUMENT'),
    );
  });
});

describe('AbortSignal stops long runs', () => {
  const C = randomCost(30, 30, 5);
  it.each(['sinkhorn', 'log', 'stabilized'] as const)('sinkhorn %s mid-run', (method) => {
    const ctrl = new AbortController();
    let checks = 0;
    expect(() =>
      sinkhorn([], [], C, {
        reg: 1e-3,
        method,
        numItermax: 1e6,
        stopThr: 0,
        signal: ctrl.signal,
        onProgress: () => {
          if (++checks === 3) ctrl.abort();
        },
      }),
    ).toThrow(code('ABORTED'));
    expect(checks).toBe(3);
  });
  it('sinkhornGrid mid-run', () => {
    const ctrl = new AbortController();
    const A = new Matrix(new Float64Array(16).fill(1 / 16), 4, 4);
    const B = new Matrix(
      new Float64Array(16).map((_, k) => (k + 1) / 136),
      4,
      4,
    );
    let checks = 0;
    expect(() =>
      sinkhornGrid(A, B, {
        reg: 1e-3,
        method: 'log',
        numItermax: 1e6,
        stopThr: 0,
        signal: ctrl.signal,
        onProgress: () => {
          if (++checks === 2) ctrl.abort();
        },
      }),
    ).toThrow(code('ABORTED'));
  });
});

describe('wasserstein1d hostile inputs', () => {
  it.each([
    ['empty sample', [], [1], {}, 'INVALID_ARGUMENT'],
    ['NaN position', [Number.NaN], [1], {}, 'NON_FINITE'],
    ['p < 1', [0], [1], { p: 0.5 }, 'INVALID_ARGUMENT'],
    ['negative weight', [0, 1], [1], { weightsA: [2, -1] }, 'INVALID_ARGUMENT'],
    ['weights of the wrong length', [0, 1], [1], { weightsB: [1, 1] }, 'SHAPE_MISMATCH'],
    ['a string position', ['0'], [1], {}, 'INVALID_ARGUMENT'],
  ])('%s → %s', (_what, x, y, o, c) => {
    expect(() => wasserstein1d(x as number[], y as number[], o)).toThrow(code(c as string));
  });
});
