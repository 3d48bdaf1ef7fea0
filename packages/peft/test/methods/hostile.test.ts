import { type LrErrorCode, type Matrix, matmul, randn, zeros } from '@lr/core';
import { describe, expect, test } from 'vitest';
import {
  collectCovariance,
  corda,
  eora,
  extractLora,
  loldu,
  lora,
  mergeAdapter,
  olora,
  pissa,
  svfit,
  toPlainLora,
} from '../../src/methods/index.js';
import { expectCode, withEntry } from './helpers.js';

const W = randn(12, 8, { seed: 1 });
const X = randn(40, 8, { seed: 2 });
const C = matmul(X.T, X);
const Wc = randn(12, 8, { seed: 3 });
const bad = (v: number) => withEntry(W, 3, 2, v);
const A0 = randn(2, 8, { seed: 4 });
const B0 = randn(12, 2, { seed: 5 });
const init = { A: A0, B: B0, alpha: 4, rank: 2 };

/** Each weight-level initialiser as f(W, options). */
const single: Record<string, (w: Matrix, o?: object) => unknown> = {
  lora: (w, o) => lora(w, o),
  pissa: (w, o) => pissa(w, o),
  pissaNiter: (w, o) => pissa(w, { niter: 2, ...o }),
  olora: (w, o) => olora(w, o),
  corda: (w, o) => corda(w, C, o),
  eora: (w, o) => eora(w, Wc, X, { rank: 4, ...o }),
  svfit: (w, o) => svfit(w, { rank: 4, ...o }),
  loldu: (w, o) => loldu(w, o),
  extractLora: (w, o) => extractLora(w, Wc, o),
};

describe('hostile inputs', () => {
  for (const [name, f] of Object.entries(single)) {
    test(`${name}: NaN/±Inf → NON_FINITE; bad rank/alpha/options → INVALID_ARGUMENT; inputs untouched`, () => {
      for (const v of [Number.NaN, Infinity, -Infinity]) expectCode(() => f(bad(v)), 'NON_FINITE');
      for (const rank of [0, -1, 9, 2.5, Number.NaN, '4', null]) {
        expectCode(() => f(W, { rank }), 'INVALID_ARGUMENT');
      }
      for (const alpha of [0, -1, Number.NaN, Infinity, '8']) {
        expectCode(() => f(W, { rank: 4, alpha }), 'INVALID_ARGUMENT');
      }
      expectCode(() => f(W, { rank: 4, useRslora: 'yes' }), 'INVALID_ARGUMENT');
      expectCode(() => f([[1, 2]] as unknown as Matrix), 'INVALID_ARGUMENT');
      expectCode(() => f(randn(0, 8)), 'SHAPE_MISMATCH');
      const before = Array.from(W.data);
      f(W, { rank: 4 });
      expect(Array.from(W.data)).toEqual(before);
    });
  }

  test('method-specific options', () => {
    expectCode(() => pissa(W, { niter: -1 }), 'INVALID_ARGUMENT');
    expectCode(() => pissa(W, { niter: 1.5 }), 'INVALID_ARGUMENT');
    expectCode(() => lora(W, { seed: 1.5 }), 'INVALID_ARGUMENT');
    expectCode(() => corda(W, C, { mode: 'both' as 'ipm' }), 'INVALID_ARGUMENT');
    expectCode(() => corda(W, C, { damp: -1 }), 'INVALID_ARGUMENT');
    expectCode(() => corda(W, zeros(8, 8)), 'INVALID_ARGUMENT');
    expectCode(() => svfit(W, { energy: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => svfit(W, { energy: 1.5 }), 'INVALID_ARGUMENT');
    expectCode(() => eora(W, Wc, X, { compareSvd: 1 as unknown as boolean }), 'INVALID_ARGUMENT');
    expectCode(() => collectCovariance(X, { scale: 'abs' as 'max' }), 'INVALID_ARGUMENT');
    expectCode(() => collectCovariance([]), 'INVALID_ARGUMENT');
    expectCode(() => pissa(W, 3 as unknown as object), 'INVALID_ARGUMENT');
  });

  test('shape mismatches → SHAPE_MISMATCH', () => {
    expectCode(() => corda(W, randn(7, 7)), 'SHAPE_MISMATCH');
    expectCode(() => corda(W, randn(8, 7)), 'SHAPE_MISMATCH');
    expectCode(() => eora(W, randn(12, 7), X), 'SHAPE_MISMATCH');
    expectCode(() => eora(W, Wc, randn(40, 7)), 'SHAPE_MISMATCH');
    expectCode(() => eora(W, Wc, { gram: randn(7, 7) }), 'SHAPE_MISMATCH');
    expectCode(() => extractLora(W, randn(8, 12)), 'SHAPE_MISMATCH');
    expectCode(() => collectCovariance([X, randn(5, 7)]), 'SHAPE_MISMATCH');
    expectCode(() => mergeAdapter(W, { A: randn(2, 7), B: B0, scaling: 1 }), 'SHAPE_MISMATCH');
    expectCode(() => mergeAdapter(W, { A: A0, B: randn(12, 3), scaling: 1 }), 'SHAPE_MISMATCH');
    expectCode(() => toPlainLora(init, { A: randn(3, 8), B: B0 }), 'SHAPE_MISMATCH');
    expectCode(() => toPlainLora({ ...init, rank: 3 }, { A: A0, B: B0 }), 'SHAPE_MISMATCH');
  });

  test('non-finite calibration, covariance and factors → NON_FINITE', () => {
    const codes: [() => unknown, LrErrorCode][] = [
      [() => corda(W, withEntry(C, 1, 1, Number.NaN)), 'NON_FINITE'],
      [() => eora(W, withEntry(Wc, 0, 0, Infinity), X), 'NON_FINITE'],
      [() => eora(W, Wc, withEntry(X, 0, 0, Number.NaN)), 'NON_FINITE'],
      [() => eora(W, Wc, { gram: withEntry(C, 0, 1, Number.NaN) }), 'NON_FINITE'],
      [() => collectCovariance(withEntry(X, 2, 2, -Infinity)), 'NON_FINITE'],
      [
        () => mergeAdapter(W, { A: withEntry(A0, 0, 0, Number.NaN), B: B0, scaling: 1 }),
        'NON_FINITE',
      ],
      [() => mergeAdapter(W, { A: A0, B: B0, scaling: Number.NaN }), 'INVALID_ARGUMENT'],
      [() => toPlainLora(init, { A: A0, B: withEntry(B0, 0, 0, Number.NaN) }), 'NON_FINITE'],
      [() => toPlainLora({ ...init, alpha: 0 }, { A: A0, B: B0 }), 'INVALID_ARGUMENT'],
      [() => toPlainLora({ ...init, rank: 2.5 }, { A: A0, B: B0 }), 'INVALID_ARGUMENT'],
    ];
    for (const [fn, code] of codes) expectCode(fn, code);
  });
});
