// One table of hostile inputs thrown at every public function of the iterative module.

import {
  cg,
  type LinearOperator,
  lanczos,
  lsqr,
  lstsq,
  Matrix,
  pinv,
  randn,
  randomizedSvd,
  tensorZeros,
  truncatedSvd,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { HOSTILE_NUMBERS } from '../helpers.js';
import { codeOf, poisson1d } from './_problems.js';

const spd = poisson1d(6);
const rect = randn(8, 5, { seed: 1 });
const ones = (n: number) => new Float64Array(n).fill(1);
const withNaN = (n: number, at = 2) => {
  const v = ones(n);
  v[at] = Number.NaN;
  return v;
};
const nanMatrix = () => {
  const A = rect.clone();
  A.set(3, 1, Number.POSITIVE_INFINITY);
  return A;
};
const badOp = (rows: number, cols: number, kind: 'nan' | 'length'): LinearOperator => ({
  rows,
  cols,
  matvec: (x) =>
    kind === 'nan'
      ? new Float64Array(rows).fill(Number.NaN)
      : new Float64Array(rows + 1 + 0 * x.length),
  rmatvec: (y) =>
    kind === 'nan'
      ? new Float64Array(cols).fill(Number.NaN)
      : new Float64Array(cols + 1 + 0 * y.length),
});

type Case = [string, () => unknown, string];

const cases: Case[] = [
  // cg
  ['cg: NaN in b', () => cg(spd, withNaN(6)), 'NON_FINITE'],
  ['cg: ∞ in A', () => cg(nanMatrix(), ones(8)), 'NON_FINITE'],
  ['cg: b too short', () => cg(spd, ones(5)), 'SHAPE_MISMATCH'],
  ['cg: non-square A', () => cg(rect, ones(8)), 'SHAPE_MISMATCH'],
  ['cg: x0 wrong length', () => cg(spd, ones(6), { x0: ones(7) }), 'SHAPE_MISMATCH'],
  ['cg: NaN in x0', () => cg(spd, ones(6), { x0: withNaN(6) }), 'NON_FINITE'],
  ['cg: A not a matrix', () => cg([[1]] as unknown as Matrix, ones(1)), 'INVALID_ARGUMENT'],
  [
    'cg: 3-d tensor',
    () => cg(tensorZeros([2, 2, 2]) as unknown as Matrix, ones(2)),
    'SHAPE_MISMATCH',
  ],
  ['cg: b not an array', () => cg(spd, 'abc' as unknown as Float64Array), 'INVALID_ARGUMENT'],
  ['cg: options not an object', () => cg(spd, ones(6), 5 as unknown as object), 'INVALID_ARGUMENT'],
  [
    'cg: preconditioner not a function',
    () => cg(spd, ones(6), { preconditioner: 3 as unknown as () => Float64Array }),
    'INVALID_ARGUMENT',
  ],
  [
    'cg: preconditioner wrong length',
    () => cg(spd, ones(6), { preconditioner: () => ones(2) }),
    'SHAPE_MISMATCH',
  ],
  [
    'cg: preconditioner returns NaN',
    () => cg(spd, ones(6), { preconditioner: () => withNaN(6) }),
    'NON_FINITE',
  ],
  ['cg: operator returns NaN', () => cg(badOp(6, 6, 'nan'), ones(6)), 'NON_FINITE'],
  ['cg: operator returns wrong length', () => cg(badOp(6, 6, 'length'), ones(6)), 'SHAPE_MISMATCH'],
  [
    'cg: signal not a signal',
    () => cg(spd, ones(6), { signal: {} as AbortSignal }),
    'INVALID_ARGUMENT',
  ],
  // lsqr
  ['lsqr: NaN in b', () => lsqr(rect, withNaN(8)), 'NON_FINITE'],
  ['lsqr: ∞ in A', () => lsqr(nanMatrix(), ones(8)), 'NON_FINITE'],
  ['lsqr: b wrong length', () => lsqr(rect, ones(5)), 'SHAPE_MISMATCH'],
  ['lsqr: x0 wrong length', () => lsqr(rect, ones(8), { x0: ones(8) }), 'SHAPE_MISMATCH'],
  [
    'lsqr: preconditioner wrong rows',
    () => lsqr(rect, ones(8), { preconditioner: randn(4, 4) }),
    'SHAPE_MISMATCH',
  ],
  [
    'lsqr: preconditioner not an operator',
    () => lsqr(rect, ones(8), { preconditioner: 7 as unknown as Matrix }),
    'INVALID_ARGUMENT',
  ],
  [
    'lsqr: calcVar not boolean',
    () => lsqr(rect, ones(8), { calcVar: 1 as unknown as boolean }),
    'INVALID_ARGUMENT',
  ],
  ['lsqr: operator returns NaN', () => lsqr(badOp(8, 5, 'nan'), ones(8)), 'NON_FINITE'],
  [
    'lsqr: operator returns wrong length',
    () => lsqr(badOp(8, 5, 'length'), ones(8)),
    'SHAPE_MISMATCH',
  ],
  // lanczos
  ['lanczos: k > n', () => lanczos(spd, { k: 7 }), 'INVALID_ARGUMENT'],
  ['lanczos: k = 0', () => lanczos(spd, { k: 0 }), 'INVALID_ARGUMENT'],
  ['lanczos: k missing', () => lanczos(spd, {} as { k: number }), 'INVALID_ARGUMENT'],
  [
    'lanczos: no options',
    () => lanczos(spd, undefined as unknown as { k: number }),
    'INVALID_ARGUMENT',
  ],
  [
    'lanczos: bad which',
    () => lanczos(spd, { k: 1, which: 'LA' as 'largest' }),
    'INVALID_ARGUMENT',
  ],
  ['lanczos: ncv ≤ k', () => lanczos(spd, { k: 3, ncv: 3 }), 'INVALID_ARGUMENT'],
  ['lanczos: ncv > n', () => lanczos(spd, { k: 3, ncv: 7 }), 'INVALID_ARGUMENT'],
  ['lanczos: zero v0', () => lanczos(spd, { k: 1, v0: new Float64Array(6) }), 'INVALID_ARGUMENT'],
  ['lanczos: NaN v0', () => lanczos(spd, { k: 1, v0: withNaN(6) }), 'NON_FINITE'],
  ['lanczos: non-square', () => lanczos(rect, { k: 1 }), 'SHAPE_MISMATCH'],
  ['lanczos: bad seed', () => lanczos(spd, { k: 1, seed: 1.5 }), 'INVALID_ARGUMENT'],
  ['lanczos: operator returns NaN', () => lanczos(badOp(6, 6, 'nan'), { k: 1 }), 'NON_FINITE'],
  // randomizedSvd
  ['randomizedSvd: rank > min(m, n)', () => randomizedSvd(rect, { rank: 6 }), 'INVALID_ARGUMENT'],
  ['randomizedSvd: rank 0', () => randomizedSvd(rect, { rank: 0 }), 'INVALID_ARGUMENT'],
  [
    'randomizedSvd: bad normalizer',
    () => randomizedSvd(rect, { rank: 1, normalizer: 'LU' as 'lu' }),
    'INVALID_ARGUMENT',
  ],
  [
    'randomizedSvd: bad transpose',
    () => randomizedSvd(rect, { rank: 1, transpose: 'yes' as 'auto' }),
    'INVALID_ARGUMENT',
  ],
  ['randomizedSvd: ∞ in A', () => randomizedSvd(nanMatrix(), { rank: 1 }), 'NON_FINITE'],
  [
    'randomizedSvd: empty A',
    () => randomizedSvd(new Matrix(new Float64Array(0), 0, 3), { rank: 1 }),
    'INVALID_ARGUMENT',
  ],
  [
    'randomizedSvd: operator returns NaN',
    () => randomizedSvd(badOp(8, 5, 'nan'), { rank: 2 }),
    'NON_FINITE',
  ],
  // truncatedSvd
  ['truncatedSvd: rank > min(m, n)', () => truncatedSvd(rect, { rank: 6 }), 'INVALID_ARGUMENT'],
  ['truncatedSvd: rank 0', () => truncatedSvd(rect, { rank: 0 }), 'INVALID_ARGUMENT'],
  [
    'truncatedSvd: bad method',
    () => truncatedSvd(rect, { rank: 1, method: 'arpack' as 'exact' }),
    'INVALID_ARGUMENT',
  ],
  ['truncatedSvd: ∞ in A', () => truncatedSvd(nanMatrix(), { rank: 1 }), 'NON_FINITE'],
  // lstsq / pinv
  ['lstsq: NaN in b', () => lstsq(rect, withNaN(8)), 'NON_FINITE'],
  ['lstsq: ∞ in A', () => lstsq(nanMatrix(), ones(8)), 'NON_FINITE'],
  ['lstsq: b wrong length', () => lstsq(rect, ones(5)), 'SHAPE_MISMATCH'],
  ['lstsq: B wrong rows', () => lstsq(rect, randn(5, 2)), 'SHAPE_MISMATCH'],
  [
    'lstsq: A an operator',
    () => lstsq(badOp(8, 5, 'nan') as unknown as Matrix, ones(8)),
    'INVALID_ARGUMENT',
  ],
  ['pinv: ∞ in A', () => pinv(nanMatrix()), 'NON_FINITE'],
  ['pinv: not a matrix', () => pinv({} as Matrix), 'INVALID_ARGUMENT'],
];

// every numeric option gets every hostile number
const numericOptions: [string, (v: unknown) => unknown][] = [
  ['cg rtol', (v) => cg(spd, ones(6), { rtol: v as number })],
  ['cg atol', (v) => cg(spd, ones(6), { atol: v as number })],
  ['cg maxIterations', (v) => cg(spd, ones(6), { maxIterations: v as number })],
  ['lsqr damp', (v) => lsqr(rect, ones(8), { damp: v as number })],
  ['lsqr atol', (v) => lsqr(rect, ones(8), { atol: v as number })],
  ['lsqr btol', (v) => lsqr(rect, ones(8), { btol: v as number })],
  ['lsqr conlim', (v) => lsqr(rect, ones(8), { conlim: v as number })],
  ['lsqr maxIterations', (v) => lsqr(rect, ones(8), { maxIterations: v as number })],
  ['lanczos k', (v) => lanczos(spd, { k: v as number })],
  ['lanczos tol', (v) => lanczos(spd, { k: 1, tol: v as number })],
  ['lanczos maxIterations', (v) => lanczos(spd, { k: 1, maxIterations: v as number })],
  ['lanczos ncv', (v) => lanczos(spd, { k: 1, ncv: v as number })],
  ['randomizedSvd rank', (v) => randomizedSvd(rect, { rank: v as number })],
  ['randomizedSvd oversample', (v) => randomizedSvd(rect, { rank: 1, oversample: v as number })],
  [
    'randomizedSvd powerIterations',
    (v) => randomizedSvd(rect, { rank: 1, powerIterations: v as number }),
  ],
  ['truncatedSvd rank', (v) => truncatedSvd(rect, { rank: v as number })],
  ['truncatedSvd tol', (v) => truncatedSvd(rect, { rank: 1, tol: v as number })],
  ['lstsq rcond', (v) => lstsq(rect, ones(8), { rcond: v as number })],
  ['pinv rtol', (v) => pinv(rect, { rtol: v as number })],
  ['pinv atol', (v) => pinv(rect, { atol: v as number })],
];

describe('hostile inputs', () => {
  it.each(cases)('%s → %s', (_name, call, code) => {
    expect(codeOf(call)).toBe(code);
  });

  it.each(numericOptions)(
    '%s rejects every hostile number with INVALID_ARGUMENT',
    (_name, call) => {
      // `undefined` means "use the default"; every other hostile value must be rejected
      for (const v of HOSTILE_NUMBERS) {
        if (v === undefined) continue;
        // 1.5 is a valid tolerance; -1 is invalid everywhere
        if (v === 1.5 && /tol|damp|conlim|rcond|rtol|atol/.test(_name)) continue;
        expect(
          codeOf(() => call(v)),
          `value ${String(v)}`,
        ).toBe('INVALID_ARGUMENT');
      }
    },
  );

  it('never mutates its inputs', () => {
    const A = randn(8, 5, { seed: 9 });
    const b = randn(8, 1, { seed: 10 }).toFloat64Array();
    const a0 = A.clone();
    const b0 = Float64Array.from(b);
    lsqr(A, b, { damp: 0.1 });
    lstsq(A, b);
    pinv(A);
    randomizedSvd(A, { rank: 3 });
    truncatedSvd(A, { rank: 3, method: 'lanczos' });
    expect(A.data).toEqual(a0.data);
    expect(b).toEqual(b0);
  });
});
